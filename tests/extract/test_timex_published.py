"""Tests for publication-date inference from the text's own temporal expressions (text -> Dating)."""

from __future__ import annotations

from onrecord.extract.published import infer

_STORY = "On Tuesday, the ministers signed the pact. On November 27, the rival states signed their own. "


def test_a_plan_years_ahead_does_not_place_year_less_days() -> None:
    # "By December 2023" is a horizon, not the story's week: the date stays empty, the bound is kept.
    result = infer(_STORY + "The cable is to be completed by December 2023.")
    assert result.date is None
    assert any("published before 2023-12-01" in line for line in result.evidence)


def test_an_appointment_to_the_day_places_them() -> None:
    result = infer(_STORY + "The cable will be switched on on 5 January 2024.")
    assert result.date == "2023-11-28"  # the first Tuesday on or after 27 November 2023
