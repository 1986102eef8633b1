"""The read side: a corpus database -> answers (quotes, actors, timelines, stories, exports).

Shared by every front end (CLI today, API and web later). Every function takes an open connection,
builds parameterized SQL, and returns plain rows (dicts); a listing is a ``Page`` with the exact
total matching the filters, so paging (``limit``/``offset``, stable order) never silently caps.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from onrecord.model import json_line
from onrecord.search_syntax import SearchSyntaxError, parse_search, plain_words
from onrecord.store.schema import CONFIDENT as CONFIDENT  # re-exported: the read side's threshold
from onrecord.store.sqlite import connect, pending

DEFAULT_LIMIT = 20
# CONFIDENT (``store.schema``): the speaker confidence from which an attribution counts in the
# corpus counts (the most quoted, an actor's statements), read from the tally kept at write time;
# a quote no model scored (NULL) counts too. Listings, their totals and facets count every quote
# unless a caller gives ``min_confidence``; there NULL passes only when no minimum is asked for.
CONFIDENT_TALLY = "quotes.actor.confident"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: its rows, and the exact number of rows matching the filters."""

    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "rows": self.rows}


def open_db(path: str | Path) -> sqlite3.Connection:
    """Open a corpus database for reading (it must exist); one made by an older onrecord is upgraded."""
    conn = connect(path, readonly=True)
    if pending(conn):
        conn.close()
        connect(path).close()  # applies the migrations
        conn = connect(path, readonly=True)
    return conn


def fts_query(text: str) -> str:
    """A user's search as an FTS5 query (phrases, prefixes, OR, NOT: ``search_syntax``); a search
    that cannot be read ("NOT x" alone) is taken as its words, every one of which must occur."""
    try:
        return parse_search(text).match
    except SearchSyntaxError:
        return plain_words(text).match


# A word the tokenizer could turn into an indexed actor token ("x" and hex digits, see
# ``actor_token``): only then is the search held to the text columns, a filter that costs a common
# word ~30% (1M-quote bench) since FTS5 must then read where each hit occurs.
_ACTOR_TOKEN_LIKE = re.compile(r"x[0-9a-f]{4,}")
# A speaker name that means more actors than this is filtered in SQL rather than in the index.
MAX_INDEXED_SPEAKERS = 50


def actor_token(actor_id: str) -> str:
    """An actor id as the one token the statement search indexes it by (``store.schema.SPEAKER_SEARCH``)."""
    return "x" + actor_id.encode("utf-8", "surrogatepass").hex()


def statement_match(text: str) -> str:
    """A user's words as an FTS5 query over the statements and speaker names of ``quotes_fts``."""
    query = fts_query(text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f"{{statement speaker}} : ({query})" if query and _ACTOR_TOKEN_LIKE.search(folded) else query


def speaker_match(actor_ids: list[str]) -> str:
    """An FTS5 query for the quotes spoken by any of ``actor_ids`` (at least one id)."""
    return "actor : (" + " OR ".join(f'"{actor_token(i)}"' for i in actor_ids) + ")"


def find_actors(conn: sqlite3.Connection, name: str) -> list[str]:
    """Actor ids a name can mean: an id, exact name or alias first, else the surname, else a substring."""
    folded = " ".join(name.split())
    keys = surname_keys(folded)
    for sql, params in (
        (
            "SELECT id FROM actors WHERE id = ? OR name = ? COLLATE NOCASE"
            " UNION SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE",
            (folded, folded, folded),
        ),
        (
            f"SELECT id FROM actors WHERE surname IN ({placeholders(keys)}) AND type = 'person'",  # noqa: S608
            keys,
        ),
        (
            "SELECT id FROM actors WHERE name LIKE ? ESCAPE '\\' COLLATE NOCASE",
            (f"%{like_pattern(folded)}%",),
        ),
    ):
        ids = [str(row[0]) for row in conn.execute(sql, params)]
        if ids:
            return sorted(ids)
    return []


def surname_keys(name: str) -> list[str]:
    """The keys persons are stored under when ``name`` is a surname alone, spelt as any language
    would ("Песков", "Peskow": "peskov"; ``corpus/spelling.py``); none for a longer name."""
    from onrecord.corpus.spelling import surname_keys as keys

    return list(keys(name)) if len(name.split()) == 1 else []


def like_pattern(text: str) -> str:
    """``text`` escaped for a LIKE/ILIKE pattern with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def placeholders(ids: list[str]) -> str:
    """One ``?`` per id for an IN list (``NULL``, matching nothing, when there are none)."""
    return ",".join("?" for _ in ids) or "NULL"


def _page(
    conn: sqlite3.Connection,
    select: str,
    where: list[str],
    params: list[Any],
    order: str,
    limit: int,
    offset: int,
) -> Page:
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT count(*) FROM ({select}{clause})", params).fetchone()[0])  # noqa: S608
    sql = f"{select}{clause} ORDER BY {order} LIMIT ? OFFSET ?"
    rows = [dict(row) for row in conn.execute(sql, [*params, limit, offset])]
    return Page(rows, total, limit, offset)


QUOTE_SELECT = """SELECT q.id, q.date, q.speaker,
 coalesce(ac.name, q.speaker) AS actor, q.actor_id, q.confidence, q.kind, q.statement, q.text AS quoted,
 q.cue_lemma AS cue, q.attitude, q.content_start, q.content_end, o.name AS outlet, a.headline,
 coalesce(a.url, a.source) AS source, q.article_id, q.statement_id, a.language
 FROM quotes q JOIN articles a ON a.id = q.article_id
 LEFT JOIN actors ac ON ac.id = q.actor_id LEFT JOIN outlets o ON o.id = a.outlet_id"""


QUOTES_BY_ID = QUOTE_SELECT + " WHERE q.id IN (SELECT value FROM json_each(?)) ORDER BY q.date, q.id"  # noqa: S608


@dataclass(frozen=True, slots=True)
class QuoteFilters:
    """What a statement listing is narrowed by; every filter given must hold.

    Attributes:
        speaker: a person's or organisation's name (or alias, or surname), or an actor id.
        search: words that must all occur in the statement (or its speaker's name).
        about: an actor mentioned inside the statement (or, failing that, named in its words).
        outlet: the outlet's name (case-insensitive).
        since, until: YYYY-MM-DD bounds on the statement's date (inclusive).
        attitude: the cue's attitude class (neutral, warning, ...).
        min_confidence: the least speaker confidence (0..1); a quote no model scored (NULL) is
            left out when one is given.
        language: the language of the statement's article, an ISO 639-1 code (``language_code``).
        kind: direct, partial, indirect or question (``model.QuoteKind``).
    """

    speaker: str | None = None
    search: str | None = None
    about: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    attitude: str | None = None
    min_confidence: float | None = None
    language: str | None = None
    kind: str | None = None

    def given(self) -> set[str]:
        """The names of the filters set (an empty text is not a filter; a minimum of 0 is one)."""
        return {name for name in self.__slots__ if getattr(self, name) not in (None, "")}


@dataclass(slots=True)
class Where:
    """A filter set as SQL over ``quotes q``, with what was learned building it."""

    clauses: list[str]
    params: list[Any]
    hits: int | None = None  # full-text matches of the search, when there is one
    actor_ids: list[str] | None = None  # the actors the speaker filter means
    match: str | None = None  # the search as an FTS5 query, with the speaker when it is indexed

    @property
    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.clauses)) if self.clauses else ""


OUTLET_CLAUSE = (
    "q.article_id IN (SELECT a.id FROM articles a JOIN outlets o ON o.id = a.outlet_id"
    " WHERE o.name = ? COLLATE NOCASE)"
)
# No index leads by language (a language matches a large share of the articles): the articles are
# read once into a list of ids, then each one's quotes are found in ``quotes_article``.
LANGUAGE_CLAUSE = "q.article_id IN (SELECT a.id FROM articles a WHERE a.language = ?)"
# A page in date order of a common language's statements is found walking the quotes in date order,
# each checked against that list ('+': the list is not used to find them), rather than by sorting
# all of the language's quotes. Bench store of 100,000 quotes, first page: a language of 65% of the
# articles 73 ms sorted, 7 ms walked; a walk that finds nothing reads every quote (33 ms), sorting
# costs ~1.1 us a quote of the language, so from this share on a walk never costs more, however the
# language's articles are spread in time.
LANGUAGE_WALK_SHARE = 0.2
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def language_code(text: str) -> str:
    """A language a user gave, as the ISO 639-1 code articles are stored with ("DE " -> "de").

    Raises:
        ValueError: ``text`` is not two letters (the message says what to give instead).
    """
    code = text.strip().lower()
    if not _LANGUAGE_CODE.fullmatch(code):
        raise ValueError(f"{text!r} is not a language code: give two letters (ISO 639-1), e.g. de or fr")
    return code


# A statement told in pieces is one row per piece: only its first is listed and counted. The
# statement search indexes first pieces only, so a search needs no such condition.
FIRST_PIECE = "q.piece = 0"


def filter_sql(
    conn: sqlite3.Connection, filters: QuoteFilters, needed: int | None, *, searched: bool = False
) -> Where:
    """``filters`` as SQL; ``needed`` rows of the listing in date order (None: every row, no order).
    ``searched``: the quotes come from the statement search (first pieces only) whatever the filters."""
    where = Where([] if filters.search or searched else [FIRST_PIECE], [])
    if filters.speaker:
        where.actor_ids = find_actors(conn, filters.speaker)
        where.clauses.append(f"q.actor_id IN ({placeholders(where.actor_ids)})")
        where.params += where.actor_ids
    if filters.search:
        where.match = statement_match(filters.search)
        if where.actor_ids and len(where.actor_ids) <= MAX_INDEXED_SPEAKERS:
            where.match = f"({where.match}) AND {speaker_match(where.actor_ids)}"
        known_empty = where.actor_ids == []
        where.hits = 0 if known_empty else int(conn.execute(SEARCH_COUNT, (where.match,)).fetchone()[0])
        where.clauses.append(_search_clause(conn, filters, where, needed))
        where.params.append(where.match)
    if filters.about:
        words = fts_query(filters.about)
        where.clauses.append(_about_clause(ids := find_actors(conn, filters.about), bool(words)))
        where.params += [*ids, "statement : (" + words + ")"] if words else ids
    if filters.outlet:
        where.clauses.append(OUTLET_CLAUSE)
        where.params.append(filters.outlet)
    for value, clause in ((filters.since, "q.date >= ?"), (filters.until, "q.date <= ?"),
                          (filters.attitude, "q.attitude = ?"),
                          (filters.language, LANGUAGE_CLAUSE), (filters.kind, "q.kind = ?")):  # fmt: skip
        if value:
            where.clauses.append(clause)
            where.params.append(value)
    if filters.min_confidence is not None:  # NULL >= x is not true: an unscored quote is left out
        where.clauses.append("q.confidence >= ?")
        where.params.append(filters.min_confidence)
    return where


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


def with_words(filters: QuoteFilters) -> QuoteFilters:
    """``filters`` without a search that has no word to look for ("--", "%"): no search at all."""
    return replace(filters, search=None) if filters.search and not fts_query(filters.search) else filters


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
    """A search's hits as read to list a page, kept for its facets and chart (``HIT_ROWS``' columns:
    actor id, date, attitude, outlet id); ``rows`` stays None when the listing did not read them."""

    rows: list[tuple[Any, ...]] | None = None


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
    search) the best matches first (FTS5's bm25 rank; without a search, newest first). ``read``:
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
            return found
    where = filter_sql(conn, filters, limit + offset)
    total = _known_total(conn, filters, where)
    if order == "relevance":
        hits = where.hits if where.hits is not None else MAX_RANKED + 1
        if min(hits, total if total is not None else hits) <= MAX_RANKED:
            return _best_first(conn, filters, total, limit, offset)
        order = "newest"
    if total is not None and where.match is not None and filters.given() <= {"search", "speaker"}:
        ids = _hit_page(conn, filters, where, total, limit, offset, order)
        rows = _rows(conn, in_order(QUOTES_BY_ID, order), json.dumps(ids))
        return Page(rows, total, limit, offset)
    if where.match is not None and (where.hits or 0) <= MAX_LISTED_HITS:
        page = _among_hits(conn, filters, limit, offset, order, read or HitRead())
        assert page is not None  # no limit on the hits read
        return page
    if total is None:
        total = int(conn.execute(f"SELECT count(*) FROM quotes q{where.sql}", where.params).fetchone()[0])  # noqa: S608
    conditions = where.sql
    if filters.language and _common_language(conn, filters.language):
        conditions = conditions.replace(LANGUAGE_CLAUSE, "+" + LANGUAGE_CLAUSE)
    sql = in_order(f"{QUOTE_SELECT}{conditions} ORDER BY q.date, q.id LIMIT ? OFFSET ?", order)
    rows = [dict(row) for row in conn.execute(sql, [*where.params, limit, offset])]
    return Page(rows, total, limit, offset)


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
    return Page(_rows(conn, in_order(QUOTES_BY_ID, order), json.dumps(ids)), len(found), limit, offset)


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
    found = {row["id"]: row for row in _rows(conn, QUOTES_BY_ID, json.dumps(ids))}
    return Page([found[i] for i in ids if i in found], total, limit, offset)


def _common_language(conn: sqlite3.Connection, language: str) -> bool:
    """Whether ``language`` has at least ``LANGUAGE_WALK_SHARE`` of the articles."""
    return tally(conn, "articles.language", [language]) >= LANGUAGE_WALK_SHARE * tally(conn, "articles")


def attitudes(conn: sqlite3.Connection) -> list[str]:
    """The cue attitude classes the corpus's statements have (neutral, warning, ...), most common first."""
    return [
        str(row[0])
        for row in conn.execute(
            "SELECT value FROM tallies WHERE subject = 'quotes.attitude' AND value != '' AND count > 0"
            " ORDER BY count DESC, value"
        )
    ]


def tally(conn: sqlite3.Connection, subject: str, values: list[str] | tuple[str, ...] = ("",)) -> int:
    """A total kept at write time (``store.schema.TALLIED``): ``subject``'s count for ``values``."""
    sql = "SELECT coalesce(sum(count), 0) FROM tallies WHERE subject = ? AND value IN "
    row = conn.execute(f"{sql}({placeholders(list(values))})", [subject, *values]).fetchone()
    return int(row[0])


def _known_total(conn: sqlite3.Connection, filters: QuoteFilters, where: Where) -> int | None:
    """The exact total without counting rows, when the filters allow it."""
    given = filters.given()
    if not given:
        return tally(conn, "quotes")
    if given == {"search"} or (given == {"search", "speaker"} and _speaker_indexed(where)):
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


def _speaker_indexed(where: Where) -> bool:
    """Whether the search's FTS5 query holds the speaker filter too."""
    return where.actor_ids is not None and len(where.actor_ids) <= MAX_INDEXED_SPEAKERS


SEARCH_COUNT = "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?"
# Measured on the 1M-quote bench: listing a word's hits and sorting them costs ~4 us a hit;
# walking the date index and asking the full-text index about each quote ~60 us a quote, and
# finds a page after about page / (hits / quotes) quotes. Walk when that is cheaper.
WALK_FACTOR = 15
# With a speaker too: asking the full-text index about each of the speaker's quotes (~120 us a
# quote) against listing every hit once (~0.4 us a hit) (1M-quote bench, the machine loaded).
CHECK_PER_HIT = 300


def _search_clause(conn: sqlite3.Connection, filters: QuoteFilters, where: Where, needed: int | None) -> str:
    """The search condition: a list of hits for a rare word, a per-quote check for a common one."""
    hits = where.hits or 0
    per_quote = "EXISTS (SELECT 1 FROM quotes_fts WHERE quotes_fts MATCH ? AND rowid = q.id)"
    if needed is not None and filters.given() <= {"search", "since", "until"}:
        quotes_total = int(conn.execute("SELECT coalesce(max(id), 0) FROM quotes").fetchone()[0])
        if hits * hits > WALK_FACTOR * needed * quotes_total:
            return per_quote
    elif where.actor_ids is not None:  # the speaker's quotes are the smaller side: check each
        spoken = tally(conn, "quotes.actor", where.actor_ids) if where.actor_ids else 0
        if spoken * CHECK_PER_HIT < hits:
            return per_quote
    return "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"


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


def _about_clause(ids: list[str], words: bool) -> str:
    """A statement mentioning one of ``ids`` inside it, or (``words``) naming them in its words."""
    in_mention = f"m.actor_id IN ({placeholders(ids)})"
    inside = 'm.start >= q.content_start AND m."end" <= q.content_end'
    clause = " AND ".join(("SELECT 1 FROM mentions m WHERE m.article_id = q.article_id", in_mention, inside))
    if not words:  # a name without a word to search for ("--"): its mentions only
        return f"EXISTS ({clause})"
    return f"(EXISTS ({clause}) OR q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?))"  # noqa: S608  (user input only in parameters)


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


# With a search, every facet is counted over its hits, read in the full-text index's order and
# looked up in the id-led covering indexes of m004 and m010 (never the large quote or article
# rows), in one pass (``HIT_ROWS``) that also counts them by day for the chart.
HIT_FACETS = "FROM quotes_fts JOIN quotes q INDEXED BY quotes_facets ON q.id = quotes_fts.rowid"


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
    days: Counter[str] | None = None,
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
        days: given, a search's statements are counted into it by day (YYYY-MM-DD) when its facets
            are (the chart's counts, from the same read).
        read: the search's hits as ``find_quotes`` read them to list its page, when it did: the
            facets are summed from them instead of reading the hits again.
    """
    names = [*FACET_SQL, "language"] if languages else list(FACET_SQL)
    filters = with_words(filters)
    counted = read is not None and read.rows is not None  # the hits are read already: only summed here
    if filters.search and not counted and not facets_fit(matching, budget):
        return dict.fromkeys(names)
    facets: dict[str, Any] = {}
    if not filters.given():  # read from the totals kept at write time, before any deadline
        facets = {name: _rows(conn, sql, top) for name, sql in TALLY_FACET_SQL.items()}
    by_language = languages and _language_facet_fits(conn, budget, matching)
    with deadline(conn, budget):
        if filters.given():
            # Every read is within the deadline, the look-ups of names included: past it, a facet
            # is left out (None), never a failed page.
            summed = in_time(
                lambda: (
                    _hit_facets(conn, filters, top, days, read)
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
        name: in_time(lambda sql=sql: _rows(conn, sql.format(where=where.sql), *where.params, top))  # type: ignore[misc]
        for name, sql in FACET_SQL.items()
    }


def _language_facet(conn: sqlite3.Connection, filters: QuoteFilters, top: int) -> list[dict[str, Any]]:
    """The statements matching ``filters`` by their article's language, the ``top`` largest."""
    if not filters.search:
        where = filter_sql(conn, filters, None)
        return _rows(conn, LANGUAGE_FACET.format(hits="FROM quotes q", where=where.sql), *where.params, top)
    match, rest = hit_match(conn, filters)
    clauses = " WHERE " + " AND ".join(["quotes_fts MATCH ?", *rest.clauses])
    return _rows(conn, LANGUAGE_FACET.format(hits=HIT_FACETS, where=clauses), match, *rest.params, top)


@contextmanager
def deadline(conn: sqlite3.Connection, budget: float | None) -> Iterator[None]:
    """Interrupt any statement still running ``budget`` seconds from now."""
    if budget is None:
        yield
        return
    end = time.monotonic() + budget
    conn.set_progress_handler(lambda: int(time.monotonic() > end), 2_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def in_time(count: Callable[[], Any]) -> Any:
    """``count()``, or None when the deadline interrupted it."""
    try:
        return count()
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return None


def hit_match(conn: sqlite3.Connection, filters: QuoteFilters) -> tuple[str, Where]:
    """A search's FTS5 query (with the speaker, when the index holds it) and its other filters."""
    rest = filter_sql(conn, replace(filters, search=None), None, searched=True)
    match = statement_match(filters.search or "")
    if rest.actor_ids and _speaker_indexed(rest):  # the speaker's hits found inside the index
        match = f"({match}) AND {speaker_match(rest.actor_ids)}"
    return match, rest


# A search's hits as the facets and the chart count them: read once from the covering indexes.
HIT_ROWS = (
    "SELECT q.actor_id, q.date, q.attitude, a.outlet_id"
    f" {HIT_FACETS} JOIN articles a INDEXED BY articles_outlets ON a.id = q.article_id{{where}}"
)


OUTLET_NAMES = "SELECT id, name FROM outlets"


def _hit_facets(
    conn: sqlite3.Connection,
    filters: QuoteFilters,
    top: int,
    days: Counter[str] | None = None,
    read: HitRead | None = None,
) -> dict[str, Any]:
    """A search's facets, from one read of its hits (``HIT_ROWS``, or the listing's ``read``);
    ``days`` gets their count by day."""
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
    if days is not None:
        days.update(by_day)
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


# An actor one of whose name's words, or an alias's, starts with the search (three LIKE patterns each:
# at the start, after a space, after a hyphen).
ACTOR_WORD_CLAUSE = (
    "((ac.name LIKE ? ESCAPE '\\' OR ac.name LIKE ? ESCAPE '\\' OR ac.name LIKE ? ESCAPE '\\')"
    " OR ac.id IN (SELECT actor_id FROM actor_aliases"
    " WHERE alias LIKE ? ESCAPE '\\' OR alias LIKE ? ESCAPE '\\' OR alias LIKE ? ESCAPE '\\'))"
)


def actors(
    conn: sqlite3.Connection,
    *,
    search: str | None = None,
    confident_only: bool = True,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page:
    """Actors, most mentioned first, optionally those with a word of their name or an alias that
    starts with ``search`` ("Putin", "Vladimir Pu"; not "Performance Computing" for "putin").

    ``statements`` counts each actor's confident attributions (speaker confidence at least
    ``CONFIDENT``, or never scored); ``confident_only=False`` counts every quote given to them.
    """
    select = """SELECT ac.id, ac.name, ac.type, ac.mentions,
     coalesce((SELECT count FROM tallies t WHERE t.subject = ? AND t.value = ac.id), 0) AS statements,
     (SELECT count(*) FROM article_actors aa WHERE aa.actor_id = ac.id) AS articles FROM actors ac"""
    where: list[str] = []
    params: list[Any] = [CONFIDENT_TALLY if confident_only else "quotes.actor"]
    if search:
        # Words that start so, not any substring: "Putin" is not in "Performance Computing".
        text = like_pattern(search.strip())
        starts = [f"{text}%", f"% {text}%", f"%-{text}%"]
        where.append(ACTOR_WORD_CLAUSE)
        params += [*starts, *starts]
    return _page(conn, select, where, params, "ac.mentions DESC, ac.id", limit, offset)


def actor(conn: sqlite3.Connection, name: str, *, top: int = 10) -> dict[str, Any] | None:
    """One actor's profile: aliases, dated roles, statements per month, co-mentioned actors, outlets."""
    ids = find_actors(conn, name)
    if not ids:
        return None
    row = conn.execute(
        f"SELECT id, name, type, mentions FROM actors WHERE id IN ({placeholders(ids)})"  # noqa: S608
        " ORDER BY mentions DESC, id LIMIT 1",
        ids,
    ).fetchone()
    actor_id = str(row["id"])
    profile: dict[str, Any] = dict(row)
    profile["also_matching"] = [i for i in ids if i != actor_id]
    # Each name once, with the articles that gave it and their languages ("en, fr"; '' unknown).
    profile["aliases"] = _rows(
        conn,
        "SELECT alias, sum(articles) AS articles, group_concat(language, ', ') AS languages FROM"
        " (SELECT alias, articles, nullif(language, '') AS language FROM actor_aliases WHERE actor_id = ?"
        " ORDER BY language) GROUP BY alias ORDER BY articles DESC, alias",
        actor_id,
    )
    profile["roles"] = _rows(
        conn,
        "SELECT role, first_seen, last_seen, articles FROM actor_roles WHERE actor_id = ?"
        " ORDER BY articles DESC, role",
        actor_id,
    )
    # Both read from the counts kept at write time (1M-quote bench, the most quoted actor: 0.4 s
    # counting 21,000 quotes, ~1 ms reading).
    prefix, after = f"{actor_id}|", f"{actor_id}}}"  # '}' sorts right after '|'
    profile["statements_per_month"] = _rows(
        conn,
        "SELECT nullif(substr(value, ?), '') AS month, count AS statements FROM tallies"
        " WHERE subject = 'quotes.actor.month' AND value >= ? AND value < ? AND count > 0 ORDER BY month",
        len(prefix) + 1,
        prefix,
        after,
    )
    profile["co_mentioned"] = _rows(
        conn,
        "SELECT ac.id, ac.name, count(*) AS articles FROM article_actors mine"
        " JOIN article_actors other ON other.article_id = mine.article_id AND other.actor_id != mine.actor_id"
        " JOIN actors ac ON ac.id = other.actor_id WHERE mine.actor_id = ? AND ac.type = 'person'"
        " GROUP BY ac.id ORDER BY articles DESC, ac.id LIMIT ?",
        actor_id,
        top,
    )
    profile["outlets"] = _rows(
        conn,
        "SELECT o.name AS outlet, t.count AS statements FROM tallies t"
        " JOIN outlets o ON CAST(o.id AS TEXT) = substr(t.value, ?) WHERE t.subject = 'quotes.actor.outlet'"
        " AND t.value >= ? AND t.value < ? AND t.count > 0 ORDER BY statements DESC, o.name LIMIT ?",
        len(prefix) + 1,
        prefix,
        after,
        top,
    )
    return profile


def _rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sql, params)]


def timeline(
    conn: sqlite3.Connection, name_or_text: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page:
    """Dated statements by an actor and the articles naming them, oldest first; for text that names
    no actor, the statements and articles that contain it."""
    ids = find_actors(conn, name_or_text)
    if ids:
        marks = placeholders(ids)
        select = f"""SELECT * FROM (
         SELECT q.date AS date, 'statement' AS kind, q.speaker AS who,
          q.statement AS what, a.headline, q.id AS ref FROM quotes q JOIN articles a ON a.id = q.article_id
          WHERE q.actor_id IN ({marks}) AND q.piece = 0
         UNION ALL
         SELECT a.published, 'article', NULL, a.headline, a.headline, a.id FROM articles a
          WHERE a.id IN (SELECT article_id FROM article_actors WHERE actor_id IN ({marks})))"""  # noqa: S608
        params: list[Any] = [*ids, *ids]
    else:
        query = fts_query(name_or_text)
        select = """SELECT * FROM (
         SELECT q.date AS date, 'statement' AS kind, q.speaker AS who,
          q.statement AS what, a.headline, q.id AS ref FROM quotes q JOIN articles a ON a.id = q.article_id
          WHERE q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)
         UNION ALL
         SELECT a.published, 'article', NULL, a.headline, a.headline, a.id FROM articles a
          WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"""
        params = [query, query]
    return _page(conn, select, ["date IS NOT NULL"], params, "date, kind DESC, ref", limit, offset)


def stories(
    conn: sqlite3.Connection, *, min_articles: int = 1, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page:
    """Stories (groups of near-duplicate articles), largest first."""
    select = """SELECT s.id, s.headline, s.first_published, s.articles,
     (SELECT group_concat(DISTINCT o.name) FROM articles a JOIN outlets o ON o.id = a.outlet_id
      WHERE a.story_id = s.id) AS outlets FROM stories s"""
    return _page(
        conn,
        select,
        ["s.articles >= ?"],
        [min_articles],
        "s.articles DESC, s.first_published, s.id",
        limit,
        offset,
    )


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """Corpus totals: articles (analysed, by language), stories, statements, actors, outlets, dates."""
    # The large counts are kept at write time (``tallies``); the rest are small tables or index ends.
    one = conn.execute(
        """SELECT (SELECT count(*) FROM actors WHERE type = 'person') AS people,
         (SELECT count(*) FROM outlets) AS outlets,
         (SELECT min(published) FROM articles) AS first_published,
         (SELECT max(published) FROM articles) AS last_published,
         (SELECT count(*) FROM failures) AS problems"""
    ).fetchone()
    counted = {
        "articles": tally(conn, "articles"),
        "analysed": tally(conn, "articles.analysed"),
        "stories": tally(conn, "stories"),
        "quotes": tally(conn, "quotes"),
        "distinct_statements": tally(conn, "statements"),
    }
    result = {**counted, **dict(one)}
    result["languages"] = article_languages(conn)
    return result


def article_languages(conn: sqlite3.Connection) -> dict[str, int]:
    """Articles per language code, most first ('?': not known), from the counts kept at write time."""
    rows = conn.execute(
        "SELECT value, count FROM tallies WHERE subject = 'articles.language' AND count > 0"
        " ORDER BY count DESC, value"
    )
    return {str(code): int(count) for code, count in rows}


def iter_articles(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every stored article as its JSON contract record, plus its corpus fields, oldest id first."""
    rows = conn.execute(
        "SELECT a.id, a.key, a.url, a.language, a.analysed, a.story_id, a.pipeline_version, a.text,"
        " a.analysis, o.name AS outlet FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
        " ORDER BY a.id"
    )
    for row in rows:
        record = json.loads(row["analysis"])
        record["text"] = row["text"]
        record["corpus"] = {
            k: row[k] for k in ("id", "key", "url", "outlet", "language", "story_id", "pipeline_version")
        }
        record["corpus"]["analysed"] = bool(row["analysed"])
        yield record


EXPORT_QUOTE_COLUMNS = (
    "id", "date", "actor", "actor_id", "confidence", "speaker", "kind", "statement", "quoted", "cue",
    "outlet", "headline", "source", "article_id", "statement_id",
)  # fmt: skip


def export(conn: sqlite3.Connection, fmt: str, out: TextIO, *, min_confidence: float | None = None) -> int:
    """Write the corpus (``jsonl``: an article a line; ``csv``: a statement a row); return the count.

    Args:
        min_confidence: keep only the statements whose speaker confidence is at least this (a
            statement never scored is left out): the CSV's rows, each article's ``quotes`` in JSONL
            (there the analysis's own ``speaker.confidence``; the articles are all written).
    """
    count = 0
    if fmt == "jsonl":
        for record in iter_articles(conn):
            if min_confidence is not None:
                record["quotes"] = [
                    q for q in record.get("quotes", []) if _confident(q.get("speaker"), min_confidence)
                ]
            out.write(json_line(record) + "\n")
            count += 1
        return count
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_QUOTE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        where, params = ("", []) if min_confidence is None else (" WHERE q.confidence >= ?", [min_confidence])
        for row in conn.execute(QUOTE_SELECT + where + " ORDER BY q.date, q.id", params):
            writer.writerow(dict(row))
            count += 1
        return count
    raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")


def _confident(speaker: dict[str, Any] | None, least: float) -> bool:
    """Whether a contract record's speaker has a confidence of at least ``least`` (None never has)."""
    confidence = (speaker or {}).get("confidence")
    return confidence is not None and float(confidence) >= least


def judgements(
    conn: sqlite3.Connection, *, kind: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page:
    """The corrections people made (speaker, merge, split), oldest first, with who and when."""
    select = "SELECT id, kind, subject, value, author, made_at, note FROM judgements"
    where, params = (["kind = ?"], [kind]) if kind else ([], [])
    return _page(conn, select, where, params, "id", limit, offset)
