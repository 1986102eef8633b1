"""Attention over time: the statements a filter set matches -> counts per day, week or month.

Media Cloud's attention-over-time chart for the record: how often a matching statement was made,
in buckets chosen by the span (days up to two months, weeks up to two years, months beyond), every
empty bucket included so the gaps show. Each bucket carries its first and last day, so a front end
can narrow a search to it. Counted within a time budget like the facets: a chart that could not be
counted in time is None, never an estimate.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import Any

from onrecord import queries

DAY_SPAN = 62  # at most this many days between the first and last statement: a bar per day
WEEK_SPAN = 730  # at most this many: a bar per week (Monday to Sunday); beyond, a bar per month
# Seconds the count by day takes per statement a search matches (1M-quote bench store, quiet:
# ~2 us a hit): a search with more hits than its budget allows is not begun (its chart is offered
# as a link), so the page does not spend the budget only to leave the chart out.
HIT_COST = 2e-6
MAX_BUCKETS = 240  # the latest buckets kept (twenty years of months); the counts before are summed
BY_DAY_SQL = "SELECT q.date, count(*) FROM quotes q{where} GROUP BY q.date"
HITS_BY_DAY_SQL = f"SELECT q.date, count(*) {queries.HIT_FACETS}{{where}} GROUP BY q.date"


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def per_day(conn: sqlite3.Connection, filters: queries.QuoteFilters) -> dict[dt.date, int]:
    """How many statements matching ``filters`` fall on each day (undated ones left out)."""
    if filters.search:
        match, rest = queries.hit_match(conn, filters)
        where = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
        rows = conn.execute(HITS_BY_DAY_SQL.format(where=where), [match, *rest.params])
    else:
        narrowed = queries.filter_sql(conn, filters, None)
        rows = conn.execute(BY_DAY_SQL.format(where=narrowed.sql), narrowed.params)
    counts: dict[dt.date, int] = {}
    for date, count in rows:
        day = _day(str(date)) if date else None
        if day is not None:
            counts[day] = counts.get(day, 0) + int(count)
    return counts


def per_month_of_all(conn: sqlite3.Connection) -> dict[dt.date, int]:
    """Every statement by month (the first of the month), read from the totals kept at write time."""
    rows = conn.execute(
        "SELECT value, count FROM tallies WHERE subject = 'quotes.month' AND value != '' AND count > 0"
    )
    return {day: int(n) for value, n in rows if (day := _day(f"{value}-01")) is not None}


def _start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start + dt.timedelta(days=1)
    if unit == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _label(start: dt.date, unit: str) -> str:
    if unit == "month":
        return start.strftime("%Y-%m")
    if unit == "week":
        return f"week of {start.isoformat()}"
    return start.isoformat()


def unit_for(first: dt.date, last: dt.date) -> str:
    """The bucket a span is best drawn in: day, week or month."""
    span = (last - first).days
    return "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"


def buckets(counts: dict[dt.date, int], unit: str | None = None) -> dict[str, Any]:
    """Counts per day (or per month, ``unit="month"``) as consecutive buckets of the best unit.

    Returns ``{"unit", "buckets": [{"label", "since", "until", "statements"}], "max", "total",
    "earlier"}``; ``earlier`` counts the statements before the first bucket kept (``MAX_BUCKETS``).
    """
    if not counts:
        return {"unit": unit or "day", "buckets": [], "max": 0, "total": 0, "earlier": 0}
    first, last = min(counts), max(counts)
    unit = unit or unit_for(first, last)
    summed: dict[dt.date, int] = {}
    for day, count in counts.items():
        start = _start(day, unit)
        summed[start] = summed.get(start, 0) + count
    rows: list[dict[str, Any]] = []
    start = _start(first, unit)
    while start <= last:
        end = _next(start, unit)
        rows.append(
            {
                "label": _label(start, unit),
                "since": start.isoformat(),
                "until": (end - dt.timedelta(days=1)).isoformat(),
                "statements": summed.get(start, 0),
            }
        )
        start = end
    kept = rows[-MAX_BUCKETS:]
    earlier = sum(r["statements"] for r in rows[: len(rows) - len(kept)])
    return {
        "unit": unit,
        "buckets": kept,
        "max": max(r["statements"] for r in kept),
        "total": sum(counts.values()),
        "earlier": earlier,
    }


def attention(
    conn: sqlite3.Connection,
    filters: queries.QuoteFilters,
    *,
    budget: float | None = None,
    matching: int | None = None,
) -> dict[str, Any] | None:
    """The statements matching ``filters`` per day, week or month (``buckets``), or None when they
    could not be counted within ``budget`` seconds (None: no limit). ``matching``: how many
    statements match, when the caller knows (a search's that could not be counted in time is not
    begun)."""
    filters = queries.with_words(filters)
    if not filters.given():
        return buckets(per_month_of_all(conn), "month")
    if filters.search and budget is not None and matching is not None and matching * HIT_COST > budget:
        return None
    with queries.deadline(conn, budget):
        counts = queries.in_time(lambda: per_day(conn, filters))
    if counts is None:
        return None
    return _drawn(counts, filters)


def _drawn(counts: dict[dt.date, int], filters: queries.QuoteFilters) -> dict[str, Any]:
    if filters.since and filters.until:  # a range asked for is drawn whole, empty days included
        first, last = _day(filters.since), _day(filters.until)
        if first and last and first <= last and (last - first).days <= 366 * 25:
            counts.setdefault(first, 0)
            counts.setdefault(last, 0)
    return buckets(counts)


def day_buckets(days: Mapping[str, int], filters: queries.QuoteFilters) -> dict[str, Any]:
    """``attention`` from counts by day already made (YYYY-MM-DD -> statements, as the facets of a
    search count them: ``queries.quote_facets(days=...)``)."""
    counts: dict[dt.date, int] = {}
    for date, count in days.items():
        day = _day(date)
        if day is not None:
            counts[day] = counts.get(day, 0) + count
    return _drawn(counts, filters)
