"""The quality gate: today's scores on the annotated data may not fall below eval_baseline.json.

Lowering a floor needs ``onrecord eval ... --update-baseline eval_baseline.json --allow-lower
--reason "..."``; the reason is kept in the file's history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onrecord.cli.evaluate import analyzer
from onrecord.evaluate.gate import check

BASELINE = Path(__file__).resolve().parents[1] / "eval_baseline.json"


def assert_no_regression(section: str, metrics: dict[str, float]) -> None:
    regressions = check({section: metrics}, BASELINE)
    assert not regressions, "\n".join(str(r) for r in regressions)


def test_seed_scores_hold(shared_data: Path) -> None:
    from onrecord.evaluate.seed import evaluate_seed

    gold = next((shared_data / "seed").glob("*.gold.json"))
    assert_no_regression("seed", evaluate_seed(gold, analyzer).metrics())


def test_seed_scores_hold_without_a_given_date(shared_data: Path) -> None:
    """The seed carries no date: it must be inferred (2020-10-22) and everything else still hold."""
    from onrecord.evaluate.seed import evaluate_seed

    gold = next((shared_data / "seed").glob("*.gold.json"))
    scores = evaluate_seed(gold, analyzer, give_published=False)
    assert scores.to_dict()["published_source"] == "inferred"
    assert_no_regression("seed_inferred", scores.metrics())


@pytest.mark.parametrize(("split", "section"), [("dev", "quotes"), ("slice", "quotes_slice")])
def test_polnear_quote_scores_hold(shared_data: Path, split: str, section: str) -> None:
    """Dev (tuned on) and the held-out train slice (nobody tuned on), each with its own floors,
    calibration (1 - ECE) and confident-attribution precision among them."""
    from onrecord.evaluate.generalisation import evaluate_split

    report = evaluate_split(shared_data / "polnear", analyzer, split)
    metrics = report.metrics()
    assert "calibration" in metrics and "confident_precision" in metrics
    assert_no_regression(section, metrics)


def test_tempeval_timex_scores_hold(shared_data: Path) -> None:
    from onrecord.evaluate.timeml import evaluate_timex

    scores: Any = evaluate_timex(shared_data / "tempeval3")
    metrics = scores.metrics() if hasattr(scores, "metrics") else None
    if metrics is None:
        from onrecord.cli.evaluate import _flat

        metrics = _flat(scores.to_dict())
    assert_no_regression("timex", metrics)


def test_gate_catches_a_drop(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"seed": {"quotes_found": 0.9}}', encoding="utf-8")
    assert check({"seed": {"quotes_found": 0.5}}, baseline)
    assert not check({"seed": {"quotes_found": 0.95}}, baseline)


@pytest.mark.parametrize("section", ["seed", "seed_inferred", "quotes", "quotes_slice", "timex"])
def test_baseline_pins_real_floors(section: str) -> None:
    import json

    floors = json.loads(BASELINE.read_text(encoding="utf-8"))[section]
    assert floors and any(value > 0 for value in floors.values()), f"{section} floors are all zero"


def test_multilingual_scores_hold(shared_data: Path) -> None:
    """The language packs on the hand-labelled non-English articles (French today; the others say
    they have no pack and count as missed)."""
    from onrecord.cli.evaluate import routed_analyzer
    from onrecord.evaluate.multilingual import evaluate_multilingual

    scores = evaluate_multilingual(shared_data / "multilingual", routed_analyzer)
    assert_no_regression("multilingual", scores.metrics())
