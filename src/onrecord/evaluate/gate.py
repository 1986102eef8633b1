"""The quality gate: measured scores against the floors in eval_baseline.json (scores in, regressions out).

The baseline file holds one object per scored data set (``"seed"``, ``"quotes"``, ``"timex"``),
each mapping a metric name to its floor, plus ``"notes"`` (free text: where the numbers come
from) and ``"history"`` (every lowering of a floor, with its date and reason). Floors only go
up: :func:`update` raises them freely, but lowers one only when told to, with a reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError, QualityGateError

TOLERANCE = 0.005  # scores may wobble by floating-point noise and tie order; less is not a regression
RESERVED = frozenset({"notes", "history"})

Measured = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True, slots=True)
class Regression:
    """A metric below its floor; ``measured`` is None when the metric was not reported at all."""

    section: str
    metric: str
    floor: float
    measured: float | None

    def __str__(self) -> str:
        got = "not measured" if self.measured is None else f"{self.measured:.4f}"
        return f"{self.section}.{self.metric}: {got} < floor {self.floor:.4f}"


def load_baseline(baseline_path: Path) -> dict[str, Any]:
    """Read the baseline file.

    Raises:
        EvaluationError: The file is missing or is not a JSON object of sections.
    """
    try:
        data = json.loads(baseline_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationError(
            f"cannot read baseline {baseline_path} ({exc}); create it with onrecord.evaluate.gate.update"
        ) from exc
    if not isinstance(data, dict):
        raise EvaluationError(f"{baseline_path} is not a JSON object of sections")
    return data


def floors(baseline: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """The numeric floors of a baseline, by section (``notes`` and ``history`` left out)."""
    return {
        section: {k: float(v) for k, v in metrics.items() if isinstance(v, int | float)}
        for section, metrics in baseline.items()
        if section not in RESERVED and isinstance(metrics, dict)
    }


def check(measured: Measured, baseline_path: Path, *, tolerance: float = TOLERANCE) -> list[Regression]:
    """Every metric that fell below its floor.

    Args:
        measured: Scores by section and metric, e.g. ``{"seed": {"quotes_found": 0.9}}``.
        baseline_path: The baseline file.
        tolerance: How far below its floor a metric may be before it counts as a regression.

    Returns:
        The regressions, in baseline order. A section absent from ``measured`` is not checked
        (that data set was not scored in this run); a metric missing from a measured section is a
        regression, so a scorer cannot pass by dropping a figure.

    Raises:
        EvaluationError: The baseline file is missing or malformed.
    """
    regressions = []
    for section, metrics in floors(load_baseline(baseline_path)).items():
        if section not in measured:
            continue
        for metric, floor in metrics.items():
            value = measured[section].get(metric)
            if value is None or value < floor - tolerance:
                regressions.append(Regression(section, metric, floor, value))
    return regressions


def enforce(measured: Measured, baseline_path: Path, *, tolerance: float = TOLERANCE) -> None:
    """Raise :class:`QualityGateError` listing every regression (see :func:`check`)."""
    regressions = check(measured, baseline_path, tolerance=tolerance)
    if regressions:
        lines = "\n  ".join(str(r) for r in regressions)
        raise QualityGateError(
            f"{len(regressions)} score(s) fell below their floor in {baseline_path.name}:\n  {lines}\n"
            "Fix the regression, or lower the floor with update(allow_lower=True, reason=...)."
        )


def _pin(value: float) -> float:
    """Round a measured score down to 4 decimals, so the floor never sits above the measurement."""
    return math.floor(round(value * 10_000, 6)) / 10_000


def update(
    measured: Measured,
    baseline_path: Path,
    *,
    allow_lower: bool = False,
    reason: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Pin ``measured`` as the new floors.

    A floor is raised to its measured value; a new metric gets its measured value as floor; a
    metric measured within ``TOLERANCE`` below its floor keeps its floor; floors not measured are
    kept. Lowering a floor further needs ``allow_lower=True`` and a non-empty ``reason``, which is
    recorded under ``"history"`` with the date and the old and new floors.

    Args:
        measured: Scores by section and metric.
        baseline_path: The baseline file; created when missing.
        allow_lower: Permit lowering floors.
        reason: Why the floors go down (required to lower).
        today: The date recorded in the history (default: today).

    Returns:
        The baseline as written.

    Raises:
        QualityGateError: A floor would go down without ``allow_lower`` and a reason; the
            message names the metrics. Nothing is written then.
        EvaluationError: A measured section is named "notes" or "history".
    """
    baseline = load_baseline(baseline_path) if baseline_path.exists() else {"notes": {}, "history": []}
    lowered = _merge(baseline, measured)
    if lowered:
        if not (allow_lower and reason and reason.strip()):
            raise QualityGateError(
                f"lowering floors needs allow_lower=True and a reason: {', '.join(sorted(lowered))}"
            )
        entry = {"date": (today or date.today()).isoformat(), "reason": reason.strip(), "lowered": lowered}
        baseline.setdefault("history", []).append(entry)
    baseline_path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline


def _merge(baseline: dict[str, Any], measured: Measured) -> dict[str, dict[str, float]]:
    """Apply ``measured`` to the floors in ``baseline`` (in place); return the lowered ones."""
    lowered: dict[str, dict[str, float]] = {}
    for section, metrics in measured.items():
        if section in RESERVED:
            raise EvaluationError(f"{section!r} is reserved in the baseline file; rename that section")
        current = baseline.setdefault(section, {})
        for metric, value in metrics.items():
            old, new = current.get(metric), _pin(value)
            if old is not None and value < old - TOLERANCE:
                lowered[f"{section}.{metric}"] = {"from": old, "to": new}
            if old is None or new > old or value < old - TOLERANCE:
                current[metric] = new
        baseline[section] = dict(sorted(current.items()))
    return lowered
