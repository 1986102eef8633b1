"""Benchmark: analysis cost per word in each language, and peak memory with every pack loaded (not a test).

Run by hand (needs ../shared/data/fundus/ground_truth.jsonl, real pages of 41 countries)::

    .venv/bin/python bench/bench_languages.py [--per-language 20] [--rounds 1]

Each page's text (headline, summary, paragraphs) is routed by its detected language
(``pipeline.analyse_routed``) in one process, as an ingest worker does. Every language's model is
warmed up first (loading is not counted); then the languages' pages are analysed in turn and CPU
milliseconds per 1,000 words are reported with the ratio to English. Keep ``--rounds`` at 1 for the
cost of unseen text: a second round finds every German word in the tagger's word cache. Peak RSS
is the process's, with English, French, Russian, German and Spanish all loaded: what one worker
holds at most.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fundus" / "ground_truth.jsonl"


def _flat(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n\n".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return "\n\n".join(_flat(v) for v in value.values())
    return ""


def pages(per_language: int) -> dict[str, list[str]]:
    from onrecord.corpus.language import SUPPORTED, detect

    found: dict[str, list[str]] = defaultdict(list)
    for line in DATA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = f"{row.get('title') or ''}\n\n{_flat(row.get('body'))}"
        code = detect(text)
        if code in SUPPORTED and len(found[code]) < per_language:
            found[code].append(text)
    return dict(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    from onrecord.model import RawDocument
    from onrecord.pipeline import analyse_routed
    from onrecord.processes import one_thread_per_worker

    one_thread_per_worker()
    texts = pages(args.per_language)
    for group in texts.values():  # warm up: every model loaded before timing
        analyse_routed(RawDocument(group[0]), None)
    cpu: dict[str, float] = defaultdict(float)
    words: dict[str, int] = defaultdict(int)
    statements: dict[str, int] = defaultdict(int)
    for _ in range(args.rounds):
        for code, group in texts.items():
            for text in group:
                start = time.process_time()
                article, _, _ = analyse_routed(RawDocument(text), None)
                cpu[code] += time.process_time() - start
                words[code] += len(text.split())
                statements[code] += len(article.quotes)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    english = cpu["en"] / words["en"] * 1000 if words.get("en") else None
    header = ("language", "pages", "words", "statements", "CPU ms/1k words", "x English")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (8, 5, 8, 10, 16, 9), strict=True)))
    for code in sorted(texts, key=lambda c: (c != "en", c)):
        per = cpu[code] / words[code] * 1000 * 1000
        ratio = f"{per / (english * 1000):.2f}" if english else "-"
        n = len(texts[code])
        print(f"{code:>8} {n:>5} {words[code]:>8} {statements[code]:>10} {per:>16.1f} {ratio:>9}")
    print(f"peak RSS with every pack loaded: {rss:.0f} MB")


if __name__ == "__main__":
    main()
