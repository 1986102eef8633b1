"""Search facets: filters -> counts of the matching statements by speaker, outlet, month, cue
attitude and language, exact or left out (never guessed) when they cannot be counted in time.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from onrecord.statement_filters import (
    HIT_FACETS,
    HIT_ROWS,
    QuoteFilters,
    deadline,
    filter_sql,
    hit_match,
    in_time,
    placeholders,
    rows_of,
    tally,
    with_words,
)
from onrecord.statement_listing import HitRead

FACET_SQL = {
    "speaker": "SELECT coalesce(ac.name, q.speaker) AS value, q.actor_id AS id, count(*) AS count"
    " FROM quotes q LEFT JOIN actors ac ON ac.id = q.actor_id{where}"
    " GROUP BY q.actor_id ORDER BY count DESC, value LIMIT ?",
    "outlet": "SELECT o.name AS value, count(*) AS count FROM quotes q JOIN articles a ON a.id = q.article_id"
    " JOIN outlets o ON o.id = a.outlet_id{where} GROUP BY o.name ORDER BY count DESC, value LIMIT ?",
    "month": "SELECT substr(q.date, 1, 7) AS value, count(*) AS count FROM quotes q{where}"
    " GROUP BY value HAVING value IS NOT NULL ORDER BY value DESC LIMIT ?",
    # The cue's attitude class (neutral, warning, ...); a statement without a cue has none.
    "attitude": "SELECT q.attitude AS value, count(*) AS count FROM quotes q{where}"
    " GROUP BY q.attitude HAVING value IS NOT NULL ORDER BY count DESC, value LIMIT ?",
}


# The same facets over every quote, read from the totals kept at write time.
TALLY_FACET_SQL = {
    "speaker": "SELECT ac.name AS value, nullif(t.value, '') AS id, t.count FROM tallies t"
    " LEFT JOIN actors ac ON ac.id = t.value WHERE t.subject = 'quotes.actor' AND t.count > 0"
    " ORDER BY t.count DESC, value LIMIT ?",
    "outlet": "SELECT o.name AS value, t.count FROM tallies t JOIN outlets o ON CAST(o.id AS TEXT) = t.value"
    " WHERE t.subject = 'quotes.outlet' AND t.count > 0 ORDER BY t.count DESC, value LIMIT ?",
    "month": "SELECT value, count FROM tallies WHERE subject = 'quotes.month' AND value != '' AND count > 0"
    " ORDER BY value DESC LIMIT ?",
    "attitude": "SELECT value, count FROM tallies WHERE subject = 'quotes.attitude' AND value != ''"
    " AND count > 0 ORDER BY count DESC, value LIMIT ?",
}


# The statements by their article's language: counted per article first (the ids come from the
# covering indexes, ``quotes_article`` or ``quotes_facets``), so each article's row is read once for
# its language, not once per statement. ``{hits}``: the quotes, or a search's hits (``HIT_FACETS``).
LANGUAGE_FACET = (
    "SELECT a.language AS value, sum(n.count) AS count FROM (SELECT q.article_id AS id, count(*) AS count"
    " {hits}{where} GROUP BY q.article_id) n JOIN articles a ON a.id = n.id"
    " GROUP BY a.language HAVING value IS NOT NULL ORDER BY count DESC, value LIMIT ?"
)


# Seconds the language facet takes at least per article it reads (no index holds the language: each
# article's row is read). 100,000-quote bench store, 10,000 articles, every statement counted on a
# fresh connection: 34 ms, 3.4 us an article; a third of that here, as ``FACET_HIT_COST``.
LANGUAGE_ARTICLE_COST = 1e-6


# Seconds a search's facets take at least per matching statement: both passes read each hit's row
# in the covering indexes (1M-quote bench store: 12-14 us a hit under load; a quarter of that here,
# so a facet that could be counted in time is never left out by this bound).
FACET_HIT_COST = 3e-6


def facets_fit(matching: int | None, budget: float | None) -> bool:
    """Whether a search's facets may be counted within ``budget`` for ``matching`` hits (else they are
    not begun)."""
    return budget is None or not matching or matching * FACET_HIT_COST <= budget


def quote_facets(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    *,
    top: int = 10,
    budget: float | None = None,
    matching: int | None = None,
    languages: bool = False,
    read: HitRead | None = None,
) -> dict[str, list[dict[str, Any]] | None]:
    """Counts of the statements matching ``filters`` by speaker, outlet, month (the latest) and cue
    attitude (and, asked for, their article's language): the ``top`` largest of each, exact.

    Args:
        budget: seconds the counting may take (None: no limit); a facet not counted in time is None,
            never an approximation (the Datasette facet time limit).
        matching: the number of statements matching ``filters``, when the caller knows it (the
            listing's total): facets that could not be counted within ``budget`` are not begun.
        languages: count the ``language`` facet too (ISO 639-1 codes; statements whose article has
            no known language are left out of it). No total is kept by language: even without
            filters it counts the statements, within ``budget``, and is not begun when the articles
            it would read could not be read in time.
        read: the search's hits as ``find_quotes`` read them to list its page, when it did: the
            facets are summed from them instead of reading the hits again. A search's facets,
            when counted, leave their count by day in ``read.days`` (the chart's counts).
    """
    names = [*FACET_SQL, "language"] if languages else list(FACET_SQL)
    filters = with_words(filters)
    counted = read is not None and read.rows is not None  # the hits are read already: only summed here
    if filters.search and not counted and not facets_fit(matching, budget):
        return dict.fromkeys(names)
    facets: dict[str, Any] = {}
    if not filters.given():  # read from the totals kept at write time, before any deadline
        facets = {name: rows_of(conn, sql, top) for name, sql in TALLY_FACET_SQL.items()}
    by_language = languages and _language_facet_fits(conn, budget, matching)
    with deadline(conn, budget):
        if filters.given():
            # Every read is within the deadline, the look-ups of names included: past it, a facet
            # is left out (None), never a failed page.
            summed = in_time(
                lambda: (
                    _hit_facets(conn, filters, top, read)
                    if filters.search
                    else _filtered_facets(conn, filters, top)
                )
            )
            facets = summed if summed is not None else dict.fromkeys(FACET_SQL)
        if by_language:
            facets["language"] = in_time(lambda: _language_facet(conn, filters, top))
    if languages and not by_language:
        facets["language"] = None
    return facets


def _language_facet_fits(conn: sqlite3.Connection, budget: float | None, matching: int | None) -> bool:
    """Whether the language facet could be counted within ``budget``: the articles it would read."""
    if budget is None:
        return True
    articles = tally(conn, "articles.analysed")
    return min(articles, matching if matching is not None else articles) * LANGUAGE_ARTICLE_COST <= budget


def _filtered_facets(conn: sqlite3.Connection, filters: QuoteFilters, top: int) -> dict[str, Any]:
    where = filter_sql(conn, filters, None)
    return {
        name: in_time(lambda sql=sql: rows_of(conn, sql.format(where=where.sql), *where.params, top))  # type: ignore[misc]
        for name, sql in FACET_SQL.items()
    }


def _language_facet(conn: sqlite3.Connection, filters: QuoteFilters, top: int) -> list[dict[str, Any]]:
    """The statements matching ``filters`` by their article's language, the ``top`` largest."""
    if not filters.search:
        where = filter_sql(conn, filters, None)
        return rows_of(conn, LANGUAGE_FACET.format(hits="FROM quotes q", where=where.sql), *where.params, top)
    match, rest = hit_match(conn, filters)
    clauses = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
    return rows_of(conn, LANGUAGE_FACET.format(hits=HIT_FACETS, where=clauses), match, *rest.params, top)


OUTLET_NAMES = "SELECT id, name FROM outlets"


def _hit_facets(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    top: int,
    read: HitRead | None = None,
) -> dict[str, Any]:
    """A search's facets, from one read of its hits (``HIT_ROWS``, or the listing's ``read``);
    ``read.days`` gets their count by day."""
    rows = read.rows if read is not None else None
    if rows is None:
        match, rest = hit_match(conn, filters)
        where = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
        rows = in_time(lambda: conn.execute(HIT_ROWS.format(where=where), [match, *rest.params]).fetchall())
    if rows is None:
        return dict.fromkeys(FACET_SQL)
    speakers: Counter[Any] = Counter()
    outlets: Counter[Any] = Counter()
    months: Counter[str] = Counter()
    attitudes: Counter[str] = Counter()
    by_day: Counter[str] = Counter()
    for actor_id, date, attitude, outlet_id in rows:
        speakers[actor_id] += 1
        outlets[outlet_id] += 1
        attitudes[attitude] += 1
        if date:
            by_day[date] += 1
            months[date[:7]] += 1
    ranked = sorted(speakers.items(), key=lambda item: -item[1])
    candidates = [str(i) for i, _ in ranked[: top * 4] if i]  # ties at the edge: named in this order
    who = f"SELECT id, name FROM actors WHERE id IN ({placeholders(candidates)})"  # noqa: S608  (placeholders)
    # The names are read within the deadline too: past it, no facet rather than a failed page.
    found = in_time(lambda: (conn.execute(who, candidates).fetchall(), conn.execute(OUTLET_NAMES).fetchall()))
    if found is None:
        return dict.fromkeys(FACET_SQL)
    named, names = dict(found[0]), dict(found[1])
    if read is not None:
        read.days = dict(by_day)
    facets: dict[str, Any] = {
        "speaker": [
            {"value": named.get(i), "id": i, "count": n}
            for i, n in sorted(ranked, key=lambda item: (-item[1], named.get(item[0]) or ""))[:top]
        ]
    }
    facets["outlet"] = _largest(Counter({names[k]: v for k, v in outlets.items() if k in names}), top)
    latest = sorted(months, reverse=True)[:top]
    facets["month"] = [{"value": m, "count": months[m]} for m in latest]
    facets["attitude"] = _largest(attitudes, top)
    return facets


def _largest(counts: Counter[Any], top: int) -> list[dict[str, Any]]:
    """The ``top`` largest counts, ties by value, as facet rows (a missing value left out)."""
    ordered = sorted(((-n, v) for v, n in counts.items() if v is not None), key=lambda x: (x[0], x[1]))
    return [{"value": v, "count": -n} for n, v in ordered[:top]]
