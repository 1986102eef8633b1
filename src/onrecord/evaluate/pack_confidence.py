"""Counting the language packs' rules on labelled articles, and checking the confidence they give.

For every non-English gold article (``../shared/data/multilingual``), each statement the packs
found and the gold holds (cover >= 0.5) with a speaker named is an observation: its (rule, mention
kind) (``extract/packs/confidence.py``) and whether the speaker is the gold's. The counts are the
shipped table (``--write``). Their calibration is measured leave-one-article-out: each article's
statements get the confidence counted from the other articles only, and the reliability table,
expected calibration error (ECE) and the precision of confident (>= 0.5) attributions are reported
on those, so no figure is scored on the counts it came from.

Run with ``scripts/calibrate-packs [--write]`` (``python -m onrecord.evaluate.pack_confidence``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from onrecord.evaluate.multilingual import match, predicted, read_gold_folder
from onrecord.evaluate.names import same_speaker
from onrecord.extract.packs.confidence import TABLE, Counts, PackConfidence, key_of, probability, with_totals
from onrecord.pipeline import Pipeline

BINS = 5


@dataclass(frozen=True, slots=True)
class Observation:
    article: str
    language: str
    key: tuple[str, str]
    right: bool


def counting_pipeline(code: str) -> Pipeline:
    """A pack's pipeline that withholds no speaker: the rules are counted as they are, not as the
    shipped counts (which they make) would leave them."""
    from onrecord.extract.packs import components

    steps = [
        PackConfidence(withhold_below=0.0) if isinstance(c, PackConfidence) else c for c in components(code)
    ]
    return Pipeline(steps)


def observe(folder: Path) -> list[Observation]:
    """Every attributed, matched statement of the packs on the gold folder, with its verdict."""
    from onrecord.corpus.language import detect
    from onrecord.extract.packs import PACKS
    from onrecord.ingest.document import from_text

    pipelines: dict[str, Pipeline] = {}
    found: list[Observation] = []
    for gold in read_gold_folder(folder):
        raw = from_text(gold.text)
        code = detect(raw.text)
        if code not in PACKS:
            continue
        if code not in pipelines:
            pipelines[code] = counting_pipeline(code)
        article = pipelines[code](raw, gold.published)
        preds = predicted(article.to_dict())
        for gi, pi in match(gold.quotes, preds, 0.5).items():
            quote, want = article.quotes[pi], gold.quotes[gi]
            if quote.actor_id is None:
                continue
            right = same_speaker(preds[pi].name, want.speaker) or (
                want.speaker_latin is not None and same_speaker(preds[pi].name, want.speaker_latin)
            )
            found.append(Observation(gold.name, gold.language, key_of(quote), right))
    return found


def count(observations: list[Observation]) -> Counts:
    right: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for o in observations:
        total[o.key] += 1
        right[o.key] += o.right
    return {k: (right[k], total[k]) for k in total}


def held_out(observations: list[Observation]) -> list[tuple[float, bool]]:
    """(confidence counted without the statement's article, whether it was right), for each."""
    out: list[tuple[float, bool]] = []
    for name in sorted({o.article for o in observations}):
        counts = with_totals(count([o for o in observations if o.article != name]))
        out.extend((probability(counts, o.key), o.right) for o in observations if o.article == name)
    return out


def reliability(scored: list[tuple[float, bool]]) -> str:
    """The reliability table, ECE and confident precision of ``(confidence, right)`` pairs."""
    lines = [f"{'confidence':>12} {'statements':>10} {'mean conf':>9} {'right':>6}"]
    ece = 0.0
    for b in range(BINS):
        low, high = b / BINS, (b + 1) / BINS
        inside = [(p, r) for p, r in scored if low <= p < high or (b == BINS - 1 and p == 1.0)]
        if not inside:
            continue
        mean = sum(p for p, _ in inside) / len(inside)
        share = sum(r for _, r in inside) / len(inside)
        ece += len(inside) / len(scored) * abs(mean - share)
        lines.append(f"{low:>5.1f}-{high:<5.1f} {len(inside):>10} {mean:>9.3f} {share:>6.3f}")
    confident = [r for p, r in scored if p >= 0.5]
    precision = sum(confident) / len(confident) if confident else 0.0
    accuracy = sum(r for _, r in scored) / len(scored) if scored else 0.0
    lines.append(
        f"statements {len(scored)}, right {accuracy:.3f}; ECE {ece:.3f}; confident (>= 0.5): "
        f"{len(confident)} ({len(confident) / max(len(scored), 1):.1%}), precision {precision:.3f}"
    )
    return "\n".join(lines)


def write_table(counts: Counts, path: Path) -> None:
    rows = "\n".join(f"{rule}\t{kind}\t{r}\t{t}" for (rule, kind), (r, t) in sorted(counts.items()))
    path.write_text(
        "# rule\tmention kind\tright\ttotal — the language packs' attributions on the hand-labelled\n"
        "# non-English articles, written by scripts/calibrate-packs (onrecord.evaluate.pack_confidence)\n"
        + rows
        + "\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=None, help="default: the shared gold")
    parser.add_argument("--write", action="store_true", help=f"write extract/packs/{TABLE}")
    args = parser.parse_args()
    from onrecord.cli.evaluate import data_dir  # where every eval command finds the shared data

    observations = observe(args.gold or data_dir() / "multilingual")
    counts = count(observations)
    for (rule, kind), (r, t) in sorted(counts.items(), key=lambda kv: -kv[1][1]):
        print(f"{rule:>16} {kind:>12} {r:>4}/{t:<4} {r / t:.2f}")
    print("held out by article:")
    print(reliability(held_out(observations)))
    if args.write:
        target = Path(__file__).resolve().parents[1] / "extract" / "packs" / TABLE
        write_table(counts, target)
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
