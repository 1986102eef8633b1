"""Calibration of speaker confidences: (confidence, correct) pairs in, reliability table and ECE out.

A confidence is a probability with a meaning: of the attributions given 0.8, about 80% should be
right. The reliability table bins the confidences in equal-width bins and sets each bin's mean
confidence beside its accuracy; the expected calibration error (ECE) is their gap, weighted by the
share of attributions in the bin (Guo et al., 2017). An unattributed statement (speaker null) is
scored like any other: its confidence is the probability that "nobody" is right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

BINS = 10
# The confidence from which an attribution counts as confident (shown without a caveat, counted in
# "most quoted"); the same threshold the read side uses (queries.CONFIDENT).
CONFIDENT = 0.5


@dataclass(frozen=True, slots=True)
class Bin:
    """One confidence bin: ``[low, high)``, how many fell in it, their mean confidence and accuracy."""

    low: float
    high: float
    count: int
    confidence: float | None
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class Calibration:
    """How well confidences match accuracy, and what a confidence threshold keeps."""

    scored: int
    unscored: int
    bins: tuple[Bin, ...]
    ece: float | None
    threshold: float
    kept: int
    kept_share: float | None
    kept_precision: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def metrics(self, prefix: str = "") -> dict[str, float]:
        """Gate figures: 1 - ECE (so that higher is better, like every floor), precision and share kept."""
        if self.ece is None:
            return {}
        return {
            f"{prefix}calibration": 1.0 - self.ece,
            f"{prefix}confident_precision": self.kept_precision or 0.0,
            f"{prefix}confident_share": self.kept_share or 0.0,
        }


def calibration(
    pairs: Iterable[tuple[float | None, bool]], *, bins: int = BINS, threshold: float = CONFIDENT
) -> Calibration:
    """The reliability table and ECE of ``(confidence, correct)`` pairs.

    Args:
        pairs: One pair per scored attribution; a None confidence is counted as unscored.
        bins: The number of equal-width bins over [0, 1].
        threshold: The confidence an attribution needs to be kept in ``kept_*``.
    """
    rows = list(pairs)
    scored = [(c, ok) for c, ok in rows if c is not None]
    table = []
    gap = 0.0
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [(c, ok) for c, ok in scored if low <= c < high or (i == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            gap += len(inside) * abs(conf - acc)
            table.append(Bin(low, high, len(inside), conf, acc))
        else:
            table.append(Bin(low, high, 0, None, None))
    kept = [ok for c, ok in scored if c >= threshold]
    return Calibration(
        scored=len(scored),
        unscored=len(rows) - len(scored),
        bins=tuple(table),
        ece=gap / len(scored) if scored else None,
        threshold=threshold,
        kept=len(kept),
        kept_share=len(kept) / len(scored) if scored else None,
        kept_precision=sum(kept) / len(kept) if kept else None,
    )


def format_calibration(result: Calibration, title: str = "calibration") -> str:
    """The reliability table and its summary as lines of text."""
    if result.ece is None:
        return f"{title}: no confidences to score ({result.unscored} attributions without one)"
    lines = [f"{title}: ECE {result.ece:.3f} over {result.scored} attributions"]
    lines.append("  confidence bin   count  mean conf  accuracy")
    for b in result.bins:
        if b.count:
            lines.append(
                f"  [{b.low:.1f}, {b.high:.1f})     {b.count:>5}  {b.confidence:9.3f}  {b.accuracy:8.3f}"
            )
    lines.append(
        f"  confidence >= {result.threshold:g}: precision {_fmt(result.kept_precision)}, "
        f"keeps {_fmt(result.kept_share)} of attributions ({result.kept}/{result.scored})"
    )
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def pairs_of(checks: Sequence[Any]) -> list[tuple[float | None, bool]]:
    """``(confidence, correct)`` of speaker checks (:class:`~onrecord.evaluate.quote_scores.SpeakerCheck`)."""
    return [(c.confidence, bool(c.correct)) for c in checks]
