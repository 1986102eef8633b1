"""Statement listings: filters -> one page of statements in date or best-match order, exact total.

A page of a search is found the cheapest of several ways (a list of its hits, a walk of the quotes
in date order, a window of them, a read among its hits in a covering index), each priced from costs
measured on the 1M-quote bench store.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from onrecord.search_syntax import SearchSyntaxError, parse_search
from onrecord.statement_filters import (
    DEFAULT_LIMIT,
    HIT_FACETS,
    HIT_ROWS,
    LANGUAGE_CLAUSE,
    LANGUAGE_WALK_SHARE,
    Page,
    QuoteFilters,
    Where,
    filter_sql,
    hit_match,
    rows_of,
    speaker_indexed,
    statement_match,
    tally,
    with_words,
)

QUOTE_SELECT = """SELECT q.id, q.date, q.speaker,
 coalesce(ac.name, q.speaker) AS actor, q.actor_id, q.confidence, q.kind, q.statement, q.text AS quoted,
 q.cue_lemma AS cue, q.attitude, q.content_start, q.content_end, o.name AS outlet, a.headline,
 coalesce(a.url, a.source) AS source, q.article_id, q.statement_id, a.language
 FROM quotes q JOIN articles a ON a.id = q.article_id
 LEFT JOIN actors ac ON ac.id = q.actor_id LEFT JOIN outlets o ON o.id = a.outlet_id"""


QUOTES_BY_ID = QUOTE_SELECT + " WHERE q.id IN (SELECT value FROM json_each(?)) ORDER BY q.date, q.id"  # noqa: S608


def quotes(
    conn: sqlite3.Connection,
    *,
    speaker: str | None = None,
    search: str | None = None,
    about: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    attitude: str | None = None,
    min_confidence: float | None = None,
    language: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page:
    """Statements matching every filter given, oldest first (the filters are ``QuoteFilters``')."""
    filters = QuoteFilters(speaker, search, about, outlet, since, until, attitude, min_confidence, language)
    return find_quotes(conn, filters, limit=limit, offset=offset)


ORDERS = ("oldest", "newest", "relevance")


# Ranking by bm25 scores every hit before the first page can be shown (1M-quote bench store, two
# common words: ~5 s for 100,000 hits under load): past this many hits the best match is not
# ranked, the statements come newest first, and ``ranked`` says so to the caller.
MAX_RANKED = 5_000


# A search with other filters than a speaker is counted and paged among its hits, in a covering
# index (~3 us a hit, 1M-quote bench store), up to this many hits; past it, the quotes in date order
# are walked and each asked of the index (``_search_clause``), which finds a page sooner.
MAX_LISTED_HITS = 30_000


NEWEST_FIRST = "ORDER BY q.date DESC, q.id DESC"  # undated statements last (NULL sorts lowest)


def in_order(sql: str, order: str) -> str:
    """``sql`` (which lists quotes oldest first) listing them newest first when ``order`` says so."""
    return sql.replace("ORDER BY q.date, q.id", NEWEST_FIRST) if order == "newest" else sql


@dataclass(slots=True)
class HitRead:
    """A search's hits as read once for a page: ``rows`` as the listing read them (``HIT_ROWS``'
    columns: actor id, date, attitude, outlet id; None when it did not), and ``days``, their count
    by day (YYYY-MM-DD) as the facets summed them for the chart (None when they were not counted)."""

    rows: list[tuple[Any, ...]] | None = None
    days: dict[str, int] | None = None


def find_quotes(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    order: str = "oldest",
    read: HitRead | None = None,
) -> Page:
    """Statements matching ``filters`` with the exact total: oldest first, newest first, or (with a
    search) the best matches first (FTS5's bm25 rank; without a search, or with more hits than
    ``MAX_RANKED``, newest first: the page's ``order`` says which). ``read``:
    when the page is found by reading every hit of a search, they are kept there."""
    if order not in ORDERS:
        raise ValueError(f"{order!r} is not an order: give one of {', '.join(ORDERS)}")
    filters = with_words(filters)
    if order == "relevance" and not filters.search:
        order = "newest"
    if order != "relevance" and not filters.given() <= {"search", "speaker"} and _narrow(filters.search):
        # A phrase or several words that must all occur, narrowed further: read among its hits at
        # once, rather than count them first (FTS5 would find a phrase's hits twice).
        found = _among_hits(conn, filters, limit, offset, order, read or HitRead(), most=MAX_LISTED_HITS)
        if found is not None:
            return replace(found, order=order)
    where = filter_sql(conn, filters, limit + offset)
    total = _known_total(conn, filters, where)
    if order == "relevance":
        hits = where.hits if where.hits is not None else MAX_RANKED + 1
        if min(hits, total if total is not None else hits) <= MAX_RANKED:
            return replace(_best_first(conn, filters, total, limit, offset), order=order)
        order = "newest"  # too many hits to rank: the caller sees it in the page's ``order``
    if total is not None and where.match is not None and filters.given() <= {"search", "speaker"}:
        ids = _hit_page(conn, filters, where, total, limit, offset, order)
        rows = rows_of(conn, in_order(QUOTES_BY_ID, order), json.dumps(ids))
        return Page(rows, total, limit, offset, order)
    if where.match is not None and (where.hits or 0) <= MAX_LISTED_HITS:
        page = _among_hits(conn, filters, limit, offset, order, read or HitRead())
        assert page is not None  # no limit on the hits read
        return replace(page, order=order)
    if total is None:
        total = int(conn.execute(f"SELECT count(*) FROM quotes q{where.sql}", where.params).fetchone()[0])  # noqa: S608
    conditions = where.sql
    if filters.language and _common_language(conn, filters.language):
        conditions = conditions.replace(LANGUAGE_CLAUSE, "+" + LANGUAGE_CLAUSE)
    sql = in_order(f"{QUOTE_SELECT}{conditions} ORDER BY q.date, q.id LIMIT ? OFFSET ?", order)
    rows = [dict(row) for row in conn.execute(sql, [*where.params, limit, offset])]
    return Page(rows, total, limit, offset, order)


def _narrow(search: str | None) -> bool:
    """Whether a search is a phrase, or words that must all occur (no OR): one that few statements match."""
    if not search:
        return False
    try:
        parsed = parse_search(search)
    except SearchSyntaxError:
        return False
    several = len(parsed.terms) > 1 or any(len(term.words) > 1 for term in parsed.terms)
    return several and " OR " not in parsed.match


def _among_hits(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    limit: int,
    offset: int,
    order: str,
    read: HitRead,
    *,
    most: int | None = None,
) -> Page | None:
    """A search's statements with other filters: its hits that pass them, read once from the covering
    indexes (m010: every column a filter reads but the confidence), counted and put in date order
    here, and kept in ``read`` for the facets. None when more than ``most`` hits pass."""
    match, rest = hit_match(conn, filters)
    where = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
    sql = HIT_ROWS.replace("SELECT", "SELECT q.id,", 1).replace("JOIN", "CROSS JOIN", 1)  # hits first
    params: list[Any] = [match, *rest.params]
    if most is not None:
        sql += " LIMIT ?"
        params.append(most + 1)
    found = conn.execute(sql.format(where=where), params).fetchall()
    if most is not None and len(found) > most:
        return None
    # SQLite's order: an undated statement (NULL) before every date, oldest first.
    found.sort(key=lambda row: (row[2] is not None, row[2] or "", row[0]), reverse=order == "newest")
    ids = [int(row[0]) for row in found[offset : offset + limit]]
    read.rows = [tuple(row[1:]) for row in found]
    return Page(rows_of(conn, in_order(QUOTES_BY_ID, order), json.dumps(ids)), len(found), limit, offset)


def _best_first(
    conn: sqlite3.Connection, filters: QuoteFilters, total: int | None, limit: int, offset: int
) -> Page:
    """A search's statements, the best matches first (bm25, as FTS5 ranks them), exact total."""
    match, rest = hit_match(conn, filters)
    where = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
    if total is None:
        total = int(conn.execute(f"SELECT count(*) {HIT_FACETS}{where}", [match, *rest.params]).fetchone()[0])
    ranked = f"SELECT q.id {HIT_FACETS}{where} ORDER BY quotes_fts.rank, q.id LIMIT ? OFFSET ?"
    ids = [int(r[0]) for r in conn.execute(ranked, [match, *rest.params, limit, offset])]
    found = {row["id"]: row for row in rows_of(conn, QUOTES_BY_ID, json.dumps(ids))}
    return Page([found[i] for i in ids if i in found], total, limit, offset)


def _common_language(conn: sqlite3.Connection, language: str) -> bool:
    """Whether ``language`` has at least ``LANGUAGE_WALK_SHARE`` of the articles."""
    return tally(conn, "articles.language", [language]) >= LANGUAGE_WALK_SHARE * tally(conn, "articles")


def _known_total(conn: sqlite3.Connection, filters: QuoteFilters, where: Where) -> int | None:
    """The exact total without counting rows, when the filters allow it."""
    given = filters.given()
    if not given:
        return tally(conn, "quotes")
    if given == {"search"} or (given == {"search", "speaker"} and speaker_indexed(where)):
        # The full-text index's own count is exact and avoids a look-up per hit (1M-quote bench:
        # 42 ms instead of 390 ms for a word in 60% of the quotes; with a speaker, the two meet
        # inside the index: see ``store.schema.SPEAKER_SEARCH``).
        return where.hits
    if given == {"speaker"} and where.actor_ids is not None:
        return tally(conn, "quotes.actor", where.actor_ids) if where.actor_ids else 0
    if given == {"attitude"} and filters.attitude:
        return tally(conn, "quotes.attitude", [filters.attitude])
    if given == {"outlet"} and filters.outlet:
        ids = [
            str(r[0])
            for r in conn.execute("SELECT id FROM outlets WHERE name = ? COLLATE NOCASE", (filters.outlet,))
        ]
        return tally(conn, "quotes.outlet", ids) if ids else 0
    return None


# A page of a search's hits in date order, three ways; the cheapest is chosen by what it costs
# (microseconds, measured on the 1M-quote bench store with its index in one segment, under load):
# - list every hit with its date from the id-led covering index, keep the first (LIST_COST a hit);
# - walk the quotes in date order (a speaker's, when there is one), asking the index about each
#   (CHECK_COST a quote), reaching the page after about needed * in_scope / hits quotes;
# - take a window of the first quotes in date order (twice the walk's expected length) and keep the
#   hits among them in one pass over the hits (PROBE_COST a hit, WINDOW_COST a quote of the window).
# Hits bunched late in time can leave a walk or a window short: then the hits are listed.
LIST_COST = 2.5


CHECK_COST = 30.0


PROBE_COST = 0.6


WINDOW_COST = 1.5


WALK_SLACK = 4


HIT_LIST = (
    "SELECT q.id FROM quotes_fts CROSS JOIN quotes q INDEXED BY quotes_facets ON q.id = quotes_fts.rowid"
    " WHERE quotes_fts MATCH ? ORDER BY q.date, q.id LIMIT ? OFFSET ?"
)


IN_DATE_ORDER = {  # (every quote, one speaker's): the walk's and the window's order
    "walk": (
        "SELECT q.id, EXISTS (SELECT 1 FROM quotes_fts WHERE quotes_fts MATCH ? AND rowid = q.id)"
        " FROM quotes q INDEXED BY quotes_date ORDER BY q.date, q.id",
        "SELECT q.id, EXISTS (SELECT 1 FROM quotes_fts WHERE quotes_fts MATCH ? AND rowid = q.id)"
        " FROM quotes q INDEXED BY quotes_actor_date WHERE q.actor_id = ? ORDER BY q.date, q.id",
    ),
    "window": (
        "SELECT q.id FROM quotes q INDEXED BY quotes_date ORDER BY q.date, q.id LIMIT ?",
        "SELECT q.id FROM quotes q INDEXED BY quotes_actor_date WHERE q.actor_id = ?"
        " ORDER BY q.date, q.id LIMIT ?",
    ),
}


# '+rowid': the ids are looked up in the window, not each one in the index (a check per quote).
HITS_AMONG = (
    "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))"
)


def _hit_page(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    where: Where,
    hits: int,
    limit: int,
    offset: int,
    order: str = "oldest",
) -> list[int]:
    """The ids of one page of a search's hits (optionally by a speaker), in date ``order``."""
    needed = limit + offset
    if hits <= offset or limit <= 0 or where.match is None:
        return []
    costs = {"list": hits * LIST_COST}
    if not filters.speaker or (where.actor_ids and len(where.actor_ids) == 1):
        speaker = where.actor_ids or []
        in_scope = tally(conn, "quotes.actor", speaker) if speaker else tally(conn, "quotes")
        expected = needed * in_scope / hits
        costs["walk"] = expected * CHECK_COST
        costs["window"] = hits * PROBE_COST + 2 * expected * WINDOW_COST
        way = min(costs, key=lambda k: costs[k])
        found = None
        if way == "walk":  # the words only: the walk keeps to the speaker's quotes itself
            params = [statement_match(filters.search or ""), *speaker]
            walk = in_order(IN_DATE_ORDER["walk"][bool(speaker)], order)
            found = _walk(conn, walk, params, needed, WALK_SLACK * expected + 100)
        elif way == "window":
            window = (
                in_order(IN_DATE_ORDER["window"][bool(speaker)], order),
                [*speaker, int(2 * expected) + 100],
            )
            found = _window(conn, *window, where.match, needed)
        if found is not None:
            return found[offset:]
    return [int(row[0]) for row in conn.execute(in_order(HIT_LIST, order), (where.match, limit, offset))]


def _walk(
    conn: sqlite3.Connection, sql: str, params: list[Any], needed: int, most: float
) -> list[int] | None:
    """The first ``needed`` hits of a walk (fewer: all there are); None if ``most`` quotes did not do."""
    found: list[int] = []
    cursor = conn.execute(sql, params)
    try:
        for walked, (quote_id, hit) in enumerate(cursor, 1):
            if hit:
                found.append(int(quote_id))
                if len(found) >= needed:
                    return found
            if walked >= most:
                return None
        return found
    finally:
        cursor.close()


def _window(
    conn: sqlite3.Connection, sql: str, params: list[Any], match: str, needed: int
) -> list[int] | None:
    """The first ``needed`` hits among a window of quotes in date order (fewer: all there are); None
    when the window held too few of them and more quotes follow it."""
    window = [int(row[0]) for row in conn.execute(sql, params)]
    hit = {int(row[0]) for row in conn.execute(HITS_AMONG, (match, json.dumps(window)))}
    found = [quote_id for quote_id in window if quote_id in hit]
    if len(found) >= needed or len(window) < params[-1]:
        return found[:needed]
    return None
