"""Benchmark: the share of timex tagging + publication dating in the whole analysis time of an article.

Run by hand (not a test)::

    .venv/bin/python bench/bench_timex.py [--sample 60] [--repeat 2]

Analyses the seed article and a sample of Wikinews 2019-2021 articles (../shared/data/open-news)
with the default pipeline, timing every component, and prints the share taken by PublicationDater
and TimexTagger (target: under 10%). With ``--published`` withheld it also reports how often the
inferred publication date agrees with the Wikinews date, and how often a date was left empty.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from onrecord.ingest.document import from_text
from onrecord.model import Article
from onrecord.pipeline import Pipeline, default_components

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEED = SHARED / "seed" / "sputnik-2020-10-22-new-start.txt"
WIKINEWS = SHARED / "open-news" / "wikinews-2019-2021" / "wikinews_2019_2021.jsonl"
TEMPORAL = ("PublicationDater", "TimexTagger")


class Timed:
    """Wraps a component and adds its wall time to a shared table."""

    def __init__(self, inner: Any, table: dict[str, float]) -> None:
        self.inner = inner
        self.table = table
        self.requires = inner.requires
        self.provides = inner.provides

    def __call__(self, article: Article) -> Article:
        start = time.perf_counter()
        result: Article = self.inner(article)
        self.table[type(self.inner).__name__] += time.perf_counter() - start
        return result


def load(sample: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(name, text, true date) for the seed and a reproducible sample of Wikinews articles."""
    docs: list[tuple[str, str, str | None]] = [(SEED.name, SEED.read_text(encoding="utf-8"), "2020-10-22")]
    rows = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(seed).shuffle(rows)  # noqa: S311  (a reproducible sample, not a secret)
    docs.extend((row["id"], row["text"], row.get("date")) for row in rows[:sample])
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=60, help="Wikinews articles to analyse")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the sample (first warms up)")
    parser.add_argument("--seed", type=int, default=4, help="sampling seed")
    args = parser.parse_args()
    docs = load(args.sample, args.seed)
    table: dict[str, float] = defaultdict(float)
    pipeline = Pipeline([Timed(c, table) for c in default_components()])
    pipeline(from_text("Warm-up: the parser loads here. He said so on Monday."))
    outcomes: dict[str, int] = defaultdict(int)
    for run in range(args.repeat):
        table.clear()
        for _, text, truth in docs:
            article = pipeline(from_text(text))  # no date given: the dater has to work
            if run == 0:
                outcomes[_outcome(article, truth)] += 1
    total = sum(table.values())
    temporal = sum(table[name] for name in TEMPORAL)
    print(f"articles {len(docs)} (seed + {len(docs) - 1} Wikinews), last of {args.repeat} passes")
    for name, spent in sorted(table.items(), key=lambda kv: -kv[1]):
        print(f"  {name:18s} {spent * 1000 / len(docs):8.2f} ms/article  {spent / total:6.1%}")
    print(f"timex + publication dating: {temporal / total:.1%} of analysis time (target < 10%)")
    print(
        "publication date without a given date: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    )


def _outcome(article: Article, truth: str | None) -> str:
    if article.published is None:
        return "left-empty"
    verdict = "right" if truth and article.published[:10] == truth[:10] else "wrong"
    return f"{article.published_source}-{verdict}"


if __name__ == "__main__":
    main()
