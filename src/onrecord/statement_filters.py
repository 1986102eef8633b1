"""A statement filter set -> parameterized SQL over ``quotes q`` (the read side's lowest layer).

``QuoteFilters`` is what a listing is narrowed by; ``filter_sql`` writes it as SQL, choosing how a
search is asked of the full-text index by what it costs. The helpers every listing shares live here
too: actor look-ups, the FTS5 query of a person's words, totals kept at write time, a time budget.
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from onrecord.search_syntax import SearchSyntaxError, parse_search, plain_words

DEFAULT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: its rows, and the exact number of rows matching the filters; ``order``,
    for a statement listing, the order its rows came in (not always the one asked for)."""

    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    order: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "rows": self.rows}


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


def with_words(filters: QuoteFilters) -> QuoteFilters:
    """``filters`` without a search that has no word to look for ("--", "%"): no search at all."""
    return replace(filters, search=None) if filters.search and not fts_query(filters.search) else filters


def tally(conn: sqlite3.Connection, subject: str, values: list[str] | tuple[str, ...] = ("",)) -> int:
    """A total kept at write time (``store.schema.TALLIED``): ``subject``'s count for ``values``."""
    sql = "SELECT coalesce(sum(count), 0) FROM tallies WHERE subject = ? AND value IN "
    row = conn.execute(f"{sql}({placeholders(list(values))})", [subject, *values]).fetchone()
    return int(row[0])


def speaker_indexed(where: Where) -> bool:
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


def _about_clause(ids: list[str], words: bool) -> str:
    """A statement mentioning one of ``ids`` inside it, or (``words``) naming them in its words."""
    in_mention = f"m.actor_id IN ({placeholders(ids)})"
    inside = 'm.start >= q.content_start AND m."end" <= q.content_end'
    clause = " AND ".join(("SELECT 1 FROM mentions m WHERE m.article_id = q.article_id", in_mention, inside))
    if not words:  # a name without a word to search for ("--"): its mentions only
        return f"EXISTS ({clause})"
    return f"(EXISTS ({clause}) OR q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?))"  # noqa: S608  (user input only in parameters)


# With a search, every facet is counted over its hits, read in the full-text index's order and
# looked up in the id-led covering indexes of m004 and m010 (never the large quote or article
# rows), in one pass (``HIT_ROWS``) that also counts them by day for the chart.
HIT_FACETS = "FROM quotes_fts JOIN quotes q INDEXED BY quotes_facets ON q.id = quotes_fts.rowid"


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
    if rest.actor_ids and speaker_indexed(rest):  # the speaker's hits found inside the index
        match = f"({match}) AND {speaker_match(rest.actor_ids)}"
    return match, rest


# A search's hits as the facets and the chart count them: read once from the covering indexes.
HIT_ROWS = (
    "SELECT q.actor_id, q.date, q.attitude, a.outlet_id"
    f" {HIT_FACETS} JOIN articles a INDEXED BY articles_outlets ON a.id = q.article_id{{where}}"
)


def rows_of(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sql, params)]
