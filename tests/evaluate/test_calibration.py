"""Reliability table, expected calibration error and what a confidence threshold keeps."""

from __future__ import annotations

import pytest

from onrecord.evaluate.calibration import calibration, format_calibration


def test_perfectly_calibrated_confidences_have_no_error() -> None:
    pairs = [(0.75, True)] * 3 + [(0.75, False)] + [(0.25, True)] + [(0.25, False)] * 3
    result = calibration(pairs)
    assert result.ece == pytest.approx(0.0)
    assert result.kept == 4 and result.kept_share == pytest.approx(0.5)
    assert result.kept_precision == pytest.approx(0.75)


def test_overconfidence_is_the_weighted_gap() -> None:
    pairs = [(0.95, True)] * 5 + [(0.95, False)] * 5  # 95% promised, 50% delivered
    result = calibration(pairs)
    assert result.ece == pytest.approx(0.45)
    assert result.bins[9].count == 10 and result.bins[9].accuracy == pytest.approx(0.5)
    assert "ECE 0.450" in format_calibration(result)


def test_unscored_attributions_are_counted_apart() -> None:
    result = calibration([(None, True), (1.0, True)])
    assert result.unscored == 1 and result.scored == 1
    assert result.bins[-1].count == 1  # a confidence of exactly 1.0 falls in the last bin
    assert calibration([(None, False)]).ece is None
