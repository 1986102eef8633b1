"""Tests for onrecord.evaluate.gate: floors only go up, lowering needs a flag and a reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from onrecord.errors import EvaluationError, QualityGateError
from onrecord.evaluate.gate import Regression, check, enforce, floors, load_baseline, update
from onrecord.evaluate.quote_scores import aggregate
from onrecord.evaluate.seed import SeedScores

REPO_BASELINE = Path(__file__).resolve().parents[2] / "eval_baseline.json"


def write(path: Path, data: dict[str, object]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    return write(
        tmp_path / "eval_baseline.json",
        {
            "notes": {"seed": "one article"},
            "seed": {"quotes_found": 0.8, "speaker_accuracy": 0.5},
            "quotes": {"f1@0.5": 0.6},
            "history": [],
        },
    )


def test_check_reports_every_metric_below_its_floor(baseline: Path) -> None:
    measured = {"seed": {"quotes_found": 0.7, "speaker_accuracy": 0.4}, "quotes": {"f1@0.5": 0.9}}
    assert check(measured, baseline) == [
        Regression("seed", "quotes_found", 0.8, 0.7),
        Regression("seed", "speaker_accuracy", 0.5, 0.4),
    ]


def test_check_tolerates_floating_noise(baseline: Path) -> None:
    measured = {"seed": {"quotes_found": 0.796, "speaker_accuracy": 0.5}, "quotes": {"f1@0.5": 0.594}}
    assert check(measured, baseline) == [Regression("quotes", "f1@0.5", 0.6, 0.594)]


def test_a_missing_metric_is_a_regression_a_missing_section_is_not_checked(baseline: Path) -> None:
    regressions = check({"seed": {"quotes_found": 0.9}}, baseline)
    assert regressions == [Regression("seed", "speaker_accuracy", 0.5, None)]
    assert "not measured" in str(regressions[0])


def test_enforce_raises_naming_the_metrics(baseline: Path) -> None:
    with pytest.raises(QualityGateError, match=r"seed\.quotes_found: 0\.7000 < floor 0\.8000"):
        enforce({"seed": {"quotes_found": 0.7, "speaker_accuracy": 0.5}}, baseline)
    enforce({"seed": {"quotes_found": 0.8, "speaker_accuracy": 0.5}}, baseline)


def test_a_missing_baseline_is_an_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="update"):
        check({}, tmp_path / "none.json")


def test_update_raises_floors_and_adds_metrics(baseline: Path) -> None:
    update({"seed": {"quotes_found": 0.91234, "timex_exact": 0.5}, "timex": {"f1": 0.3}}, baseline)
    data = load_baseline(baseline)
    assert data["seed"] == {"quotes_found": 0.9123, "speaker_accuracy": 0.5, "timex_exact": 0.5}
    assert data["timex"] == {"f1": 0.3}
    assert data["quotes"] == {"f1@0.5": 0.6}  # not measured: kept
    assert data["notes"] == {"seed": "one article"}
    assert data["history"] == []


def test_update_keeps_a_floor_measured_within_tolerance(baseline: Path) -> None:
    update({"seed": {"quotes_found": 0.797}}, baseline)
    assert load_baseline(baseline)["seed"]["quotes_found"] == 0.8


def test_lowering_needs_the_flag_and_a_reason(baseline: Path) -> None:
    before = baseline.read_text(encoding="utf-8")
    measured = {"seed": {"quotes_found": 0.7, "speaker_accuracy": 0.4}}
    with pytest.raises(QualityGateError, match=r"seed\.quotes_found, seed\.speaker_accuracy"):
        update(measured, baseline)
    with pytest.raises(QualityGateError, match="reason"):
        update(measured, baseline, allow_lower=True, reason="  ")
    with pytest.raises(QualityGateError):
        update(measured, baseline, reason="no flag")
    assert baseline.read_text(encoding="utf-8") == before  # nothing written


def test_lowering_with_a_reason_is_recorded(baseline: Path) -> None:
    update(
        {"seed": {"quotes_found": 0.7}},
        baseline,
        allow_lower=True,
        reason="new gold file is harder",
        today=date(2024, 5, 1),
    )
    data = load_baseline(baseline)
    assert data["seed"]["quotes_found"] == 0.7
    assert data["history"] == [
        {
            "date": "2024-05-01",
            "reason": "new gold file is harder",
            "lowered": {"seed.quotes_found": {"from": 0.8, "to": 0.7}},
        }
    ]


def test_update_creates_a_missing_baseline(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    update({"seed": {"quotes_found": 0.3}}, path)
    assert floors(load_baseline(path)) == {"seed": {"quotes_found": 0.3}}


def test_the_repository_baseline_names_metrics_the_scorers_report() -> None:
    data = load_baseline(REPO_BASELINE)
    pinned = floors(data)
    assert {"seed", "quotes", "timex"} <= set(pinned)
    assert {"notes", "history"} <= set(data)
    from onrecord.evaluate.generalisation import report

    assert {"quotes_slice"} <= set(pinned)
    quote_metrics = aggregate([], thresholds=(0.3, 0.5, 0.8), threshold=0.5, speakers_given=True).metrics()
    calibrated = {"calibration", "confident_precision", "confident_share"}
    assert set(report("dev", []).metrics()) <= set(quote_metrics) | calibrated
    for section in ("quotes", "quotes_slice"):
        assert set(pinned[section]) <= set(quote_metrics) | calibrated
    seed = SeedScores("f", True, True, True, None, None, (), (), (), (), 0, 0, 0, 0, 0, 0, 0, ())
    assert set(pinned["seed"]) <= set(seed.metrics())
    assert all(value >= 0.0 for section in pinned.values() for value in section.values())
