"""Attention over time: statements per day, week or month, every empty bucket drawn."""

from __future__ import annotations

import datetime as dt

from onrecord.attention import buckets, unit_for

D = dt.date


def test_the_unit_follows_the_span() -> None:
    assert unit_for(D(2020, 1, 1), D(2020, 2, 15)) == "day"
    assert unit_for(D(2020, 1, 1), D(2021, 6, 1)) == "week"
    assert unit_for(D(2018, 1, 1), D(2021, 6, 1)) == "month"


def test_days_with_nothing_said_are_bars_of_zero() -> None:
    chart = buckets({D(2020, 10, 19): 2, D(2020, 10, 22): 1})
    assert chart["unit"] == "day"
    assert [(b["since"], b["statements"]) for b in chart["buckets"]] == [
        ("2020-10-19", 2),
        ("2020-10-20", 0),
        ("2020-10-21", 0),
        ("2020-10-22", 1),
    ]
    assert chart["total"] == 3 and chart["max"] == 2


def test_weeks_run_monday_to_sunday_and_months_end_on_their_last_day() -> None:
    weeks = buckets({D(2020, 1, 1): 1, D(2020, 6, 30): 4})  # a Wednesday, a Tuesday
    assert weeks["unit"] == "week"
    first, last = weeks["buckets"][0], weeks["buckets"][-1]
    assert (first["since"], first["until"], first["statements"]) == ("2019-12-30", "2020-01-05", 1)
    assert (last["since"], last["until"], last["statements"]) == ("2020-06-29", "2020-07-05", 4)
    months = buckets({D(2019, 12, 31): 1, D(2024, 2, 10): 2})
    assert months["unit"] == "month"
    assert [(b["label"], b["since"], b["until"]) for b in months["buckets"][-1:]] == [
        ("2024-02", "2024-02-01", "2024-02-29")
    ]
    assert sum(b["statements"] for b in months["buckets"]) == 3


def test_a_long_span_keeps_the_latest_buckets_and_counts_the_rest() -> None:
    chart = buckets({D(1950, 1, 1): 5, D(2020, 1, 1): 1})
    assert len(chart["buckets"]) == 240 and chart["earlier"] == 5 and chart["total"] == 6
