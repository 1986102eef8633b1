"""Dev beside unseen articles: PolNeAR dev and the held-out train slice, per publisher (gold in, report out).

The dev split is what the rules were tuned on; the train slice (the 118 articles of
``polnear-train-speakers.jsonl``, never used to fit a rule or a model) is what a user meets. A gain
counts when the slice and the worst publisher move, so both are reported side by side with a
per-publisher table and the calibration of the speaker confidences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.evaluate.brat import publisher, speaker_articles
from onrecord.evaluate.calibration import Calibration, calibration, format_calibration, pairs_of
from onrecord.evaluate.quote_scores import DocumentResult, QuoteScores, aggregate, format_quote_scores
from onrecord.evaluate.quotes import Analyzer, score_documents

THRESHOLDS = (0.3, 0.5, 0.8)
DEV_SPEAKERS = "polnear-dev-speakers.jsonl"
SLICE_SPEAKERS = "polnear-train-speakers.jsonl"


@dataclass(frozen=True, slots=True)
class SplitReport:
    """One split's scores, their calibration and the same scores per publisher."""

    name: str
    scores: QuoteScores
    calibration: Calibration
    publishers: dict[str, QuoteScores]

    def metrics(self) -> dict[str, float]:
        """The gate's figures: the quote scores plus calibration, precision and share kept."""
        return self.scores.metrics() | self.calibration.metrics()

    def to_dict(self) -> dict[str, Any]:
        return {
            "scores": self.scores.to_dict(),
            "calibration": self.calibration.to_dict(),
            "publishers": {p: s.to_dict() for p, s in self.publishers.items()},
        }


def report(name: str, results: Iterable[DocumentResult]) -> SplitReport:
    """Aggregate one split's document results, overall and per publisher."""
    rows = list(results)
    groups: dict[str, list[DocumentResult]] = {}
    for r in rows:
        groups.setdefault(publisher(r.name), []).append(r)
    scores = _aggregate(rows)
    return SplitReport(
        name=name,
        scores=scores,
        calibration=calibration(pairs_of([c for r in rows for c in r.speakers])),
        publishers={p: _aggregate(g) for p, g in sorted(groups.items())},
    )


def _aggregate(rows: list[DocumentResult]) -> QuoteScores:
    return aggregate(rows, thresholds=THRESHOLDS, threshold=0.5, speakers_given=True)


def evaluate_split(
    polnear_dir: Path,
    analyze: Analyzer,
    split: str,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SplitReport:
    """Score ``analyze`` on "dev" or "slice" (the held-out train articles with canonical speakers).

    Raises:
        EvaluationError: The split is unknown or its gold files are missing.
    """
    if split == "dev":
        speakers, folder, names = polnear_dir / DEV_SPEAKERS, "dev", None
    elif split == "slice":
        speakers, folder = polnear_dir / SLICE_SPEAKERS, "train"
        names = speaker_articles(speakers)
    else:
        raise EvaluationError(f"unknown split {split!r}: use dev or slice")
    results = score_documents(
        polnear_dir,
        analyze,
        split=folder,
        speakers=speakers,
        thresholds=THRESHOLDS,
        limit=limit,
        names=names,
        progress=progress,
    )
    return report(split, results)


_ROWS = (
    ("quote F1@0.5", lambda s: s.detection[1].f1),
    ("speaker accuracy", lambda s: s.speaker_accuracy),
    ("  name", lambda s: _kind(s, "name")),
    ("  pronoun", lambda s: _kind(s, "pronoun")),
    ("  description", lambda s: _kind(s, "description")),
    ("who-said-what F1", lambda s: s.who_said_what.f1 if s.who_said_what else None),
    ("mention overlap", lambda s: s.mention_overlap),
)


def _kind(scores: QuoteScores, kind: str) -> float | None:
    return next((k.accuracy for k in scores.speaker_by_kind if k.kind == kind), None)


def _cell(value: float | None) -> str:
    return f"{value:>8.3f}" if value is not None else f"{'n/a':>8}"


def format_reports(reports: list[SplitReport]) -> str:
    """Splits side by side, a per-publisher table of speaker accuracy, and each reliability table."""
    lines = ["figure".ljust(20) + "".join(f"{r.name:>8}" for r in reports)]
    for label, get in _ROWS:
        lines.append(label.ljust(20) + "".join(_cell(get(r.scores)) for r in reports))
    lines.append("ECE".ljust(20) + "".join(_cell(r.calibration.ece) for r in reports))
    lines.append("")
    lines.append("speaker accuracy per publisher (quotes scored)")
    names = sorted({p for r in reports for p in r.publishers})
    lines.append("publisher".ljust(20) + "".join(f"{r.name:>14}" for r in reports))
    for name in names:
        cells = []
        for r in reports:
            s = r.publishers.get(name)
            acc = s.speaker_accuracy if s else None
            cells.append(f"{_cell(acc)} ({s.speaker_evaluated if s else 0:>3})")
        lines.append(name.ljust(20) + "".join(cells))
    worst = [min((s.speaker_accuracy or 0.0, p) for p, s in r.publishers.items()) for r in reports]
    lines.append("worst".ljust(20) + "".join(f"{w[0]:>8.3f} {w[1][:5]:<5}" for w in worst))
    for r in reports:
        lines.append("")
        lines.append(f"== {r.name}")
        lines.append(format_quote_scores(r.scores))
        lines.append(format_calibration(r.calibration, f"{r.name} calibration"))
    return "\n".join(lines)
