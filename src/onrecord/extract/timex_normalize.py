"""Timex value arithmetic: (anchor date, parsed parts, tense) -> TimeML value strings ("1998-W02", "P3M")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

Direction = Literal["past", "future"]

# How many days a reading that contradicts the tense costs when choosing the year of "Feb. 5" or
# "in February": news dates sit near the publication date, tense breaks the near-ties.
_TENSE_PENALTY = 200
_SEASON_ORDER = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
# Half a unit, written in the next smaller one: "2 1/2 years" -> "P2Y6M", "5 1/2 hours" -> "PT5H30M".
_HALF = {"Y": ("M", 6), "H": ("M", 30), "MIN": ("S", 30)}
_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}


def parse_anchor(anchor: str | None) -> dt.date | None:
    """The anchor "YYYY-MM-DD" as a date, or None when absent or malformed."""
    if not anchor:
        return None
    try:
        return dt.date.fromisoformat(anchor[:10])
    except ValueError:
        return None


def day(d: dt.date) -> str:
    return d.isoformat()


def week(d: dt.date) -> str:
    year, number, _ = d.isocalendar()
    return f"{year}-W{number:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_index(d: dt.date) -> int:
    """Quarters since year 0: 1998-Q1 is 1998 * 4 + 1."""
    return d.year * 4 + quarter(d)


def shift(anchor: dt.date | None, unit: str, n: int) -> str:
    """The value of the ``unit`` containing anchor + n units ("two weeks ago" -> "1998-W05")."""
    if anchor is None:
        return "PRESENT_REF" if n == 0 else ("PAST_REF" if n < 0 else "FUTURE_REF")
    if unit == "D":
        return day(anchor + dt.timedelta(days=n))
    if unit == "W":
        return week(anchor + dt.timedelta(weeks=n))
    if unit == "M":
        y, m = add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}"
    if unit == "Q":
        y, m = add_months(anchor.year, anchor.month, 3 * n)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if unit == "E":
        return f"{(anchor.year + 10 * n) // 10:03d}"
    if unit == "C":
        return f"{(anchor.year + 100 * n) // 100:02d}"
    return f"{anchor.year + n:04d}"


def weekday_date(anchor: dt.date, weekday: int, direction: Direction) -> dt.date:
    """The weekday (1 = Monday) on or before the anchor in the past, after it in the future."""
    delta = weekday - anchor.isoweekday()
    if direction == "past":
        return anchor + dt.timedelta(days=delta - 7 if delta > 0 else delta)
    return anchor + dt.timedelta(days=delta + 7 if delta <= 0 else delta)


def closest_year(anchor: dt.date, month: int, day_: int | None, direction: Direction) -> int:
    """The year putting month(/day) nearest the anchor, tense breaking near-ties."""
    best, best_cost = anchor.year, 10**9
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day_ is None and year == anchor.year and month == anchor.month:
            return year
        try:
            when = dt.date(year, month, day_ or 15)
        except ValueError:
            when = dt.date(year, month, 28)
        gap = (when - anchor).days
        cost = abs(gap)
        if (gap > 0 and direction == "past") or (gap < 0 and direction == "future"):
            cost += _TENSE_PENALTY
        if cost < best_cost:
            best, best_cost = year, cost
    return best


def month_value(anchor: dt.date | None, month: int, day_: int | None, direction: Direction) -> str:
    """ "Feb. 5" or "February" without a year, resolved against the anchor."""
    year = "XXXX" if anchor is None else f"{closest_year(anchor, month, day_, direction):04d}"
    return f"{year}-{month:02d}" + (f"-{day_:02d}" if day_ else "")


def season_value(anchor: dt.date | None, season: str, step: int | None, direction: Direction) -> str:
    """A season: step -1 "last fall", 0 "this fall", +1 "next fall", None bare "the fall"."""
    if anchor is None:
        return f"XXXX-{season}"
    order = _SEASON_ORDER[season]
    month = anchor.month
    current = (anchor.year - (month < 3)) * 4 + (3 if month in (12, 1, 2) else (month - 3) // 3)
    candidates = [(year * 4 + order, year) for year in range(anchor.year - 2, anchor.year + 2)]
    if step == -1:
        chosen = max(c for c in candidates if c[0] < current)
    elif step == 1:
        chosen = min(c for c in candidates if c[0] > current)
    elif step == 0:
        chosen = min(candidates, key=lambda c: (abs(c[0] - current), c[0] > current))
    elif direction == "past":
        chosen = max(c for c in candidates if c[0] <= current)
    else:
        chosen = min(c for c in candidates if c[0] >= current)
    return f"{chosen[1]:04d}-{season}"


def quarter_value(anchor: dt.date | None, number: int, direction: Direction) -> str:
    """ "the third quarter" without a year: this year's, or last year's if it has not begun yet."""
    if anchor is None:
        return f"XXXX-Q{number}"
    year = anchor.year
    if number > quarter(anchor) and direction == "past":
        year -= 1
    return f"{year:04d}-Q{number}"


def duration(amount: str, unit: str) -> str:
    """A TimeML duration: ("3", "M") -> "P3M", ("24", "H") -> "PT24H", ("2.5", "Y") -> "P2Y6M".

    Decades and centuries are written in years ("P10Y"), as TimeBank mostly does.
    """
    if unit in ("E", "C", "2W") and amount != "X":
        factor, unit = {"E": (10, "Y"), "C": (100, "Y"), "2W": (2, "W")}[unit]
        amount = _times(amount, factor)
    whole, _, fraction = amount.partition(".")
    if fraction == "5" and unit in _HALF:
        smaller, half = _HALF[unit]
        if unit in _TIME_UNITS:
            return f"PT{whole}{_TIME_UNITS[unit]}{half}{smaller}" if whole != "0" else f"PT{half}{smaller}"
        return f"P{whole}{unit}{half}{smaller}" if whole != "0" else f"P{half}{smaller}"
    if unit in _TIME_UNITS:
        return f"PT{amount}{_TIME_UNITS[unit]}"
    return f"P{amount}{unit}"


def _times(amount: str, factor: int) -> str:
    try:
        value = float(amount) * factor
    except ValueError:
        return amount
    return str(int(value)) if value.is_integer() else str(value)


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month = (h + weekday - 7 * m + 90) // 25
    return dt.date(year, month, (h + weekday - 7 * m + 33 * month + 19) % 32)


def holiday_value(anchor: dt.date | None, rule: str, year: int | None) -> str:
    """A holiday rule from the lexicon ("12-25", "11-TH4" fourth Thursday, "EASTER") in a year."""
    if year is None and anchor is None:
        return "XXXX-" + (rule if rule[3:].isdigit() else rule[:2])
    resolved = year if year is not None else (anchor.year if anchor else 0)
    if rule == "EASTER":
        return day(easter(resolved))
    month, spec = int(rule[:2]), rule[3:]
    if spec.isdigit():
        return f"{resolved:04d}-{month:02d}-{int(spec):02d}"
    weekday = {"MO": 1, "TH": 4}[spec[:2]]
    first = dt.date(resolved, month, 1)
    offset = (weekday - first.isoweekday()) % 7
    if spec[2] == "L":
        days = [first + dt.timedelta(days=offset + 7 * k) for k in range(5)]
        return day(max(d for d in days if d.month == month))
    return day(first + dt.timedelta(days=offset + 7 * (int(spec[2]) - 1)))
