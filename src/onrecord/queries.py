"""The read side: a corpus database -> answers (quotes, actors, timelines, stories, exports).

Shared by every front end (CLI today, API and web later). Every function takes an open connection,
builds parameterized SQL, and returns plain rows (dicts); a listing is a ``Page`` with the exact
total matching the filters, so paging (``limit``/``offset``, stable order) never silently caps.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from onrecord.model import json_line
from onrecord.statement_facets import (
    FACET_HIT_COST,
    FACET_SQL,
    LANGUAGE_ARTICLE_COST,
    LANGUAGE_FACET,
    OUTLET_NAMES,
    TALLY_FACET_SQL,
    facets_fit,
    quote_facets,
)
from onrecord.statement_filters import (
    CHECK_PER_HIT,
    DEFAULT_LIMIT,
    FIRST_PIECE,
    HIT_FACETS,
    HIT_ROWS,
    LANGUAGE_CLAUSE,
    LANGUAGE_WALK_SHARE,
    MAX_INDEXED_SPEAKERS,
    OUTLET_CLAUSE,
    SEARCH_COUNT,
    WALK_FACTOR,
    Page,
    QuoteFilters,
    Where,
    actor_token,
    deadline,
    filter_sql,
    find_actors,
    fts_query,
    hit_match,
    in_time,
    language_code,
    like_pattern,
    placeholders,
    rows_of,
    speaker_indexed,
    speaker_match,
    statement_match,
    surname_keys,
    tally,
    with_words,
)
from onrecord.statement_listing import (
    CHECK_COST,
    HIT_LIST,
    HITS_AMONG,
    IN_DATE_ORDER,
    LIST_COST,
    MAX_LISTED_HITS,
    MAX_RANKED,
    NEWEST_FIRST,
    ORDERS,
    PROBE_COST,
    QUOTE_SELECT,
    QUOTES_BY_ID,
    WALK_SLACK,
    WINDOW_COST,
    HitRead,
    find_quotes,
    in_order,
    quotes,
)
from onrecord.store.schema import CONFIDENT as CONFIDENT  # re-exported: the read side's threshold
from onrecord.store.sqlite import connect, pending

# CONFIDENT (``store.schema``): the speaker confidence from which an attribution counts in the
# corpus counts (the most quoted, an actor's statements), read from the tally kept at write time;
# a quote no model scored (NULL) counts too. Listings, their totals and facets count every quote
# unless a caller gives ``min_confidence``; there NULL passes only when no minimum is asked for.
CONFIDENT_TALLY = "quotes.actor.confident"


def open_db(path: str | Path) -> sqlite3.Connection:
    """Open a corpus database for reading (it must exist); one made by an older onrecord is upgraded."""
    conn = connect(path, readonly=True)
    if pending(conn):
        conn.close()
        connect(path).close()  # applies the migrations
        conn = connect(path, readonly=True)
    return conn


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


def attitudes(conn: sqlite3.Connection) -> list[str]:
    """The cue attitude classes the corpus's statements have (neutral, warning, ...), most common first."""
    return [
        str(row[0])
        for row in conn.execute(
            "SELECT value FROM tallies WHERE subject = 'quotes.attitude' AND value != '' AND count > 0"
            " ORDER BY count DESC, value"
        )
    ]


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
    profile["aliases"] = rows_of(
        conn,
        "SELECT alias, sum(articles) AS articles, group_concat(language, ', ') AS languages FROM"
        " (SELECT alias, articles, nullif(language, '') AS language FROM actor_aliases WHERE actor_id = ?"
        " ORDER BY language) GROUP BY alias ORDER BY articles DESC, alias",
        actor_id,
    )
    profile["roles"] = rows_of(
        conn,
        "SELECT role, first_seen, last_seen, articles FROM actor_roles WHERE actor_id = ?"
        " ORDER BY articles DESC, role",
        actor_id,
    )
    # Both read from the counts kept at write time (1M-quote bench, the most quoted actor: 0.4 s
    # counting 21,000 quotes, ~1 ms reading).
    prefix, after = f"{actor_id}|", f"{actor_id}}}"  # '}' sorts right after '|'
    profile["statements_per_month"] = rows_of(
        conn,
        "SELECT nullif(substr(value, ?), '') AS month, count AS statements FROM tallies"
        " WHERE subject = 'quotes.actor.month' AND value >= ? AND value < ? AND count > 0 ORDER BY month",
        len(prefix) + 1,
        prefix,
        after,
    )
    profile["co_mentioned"] = rows_of(
        conn,
        "SELECT ac.id, ac.name, count(*) AS articles FROM article_actors mine"
        " JOIN article_actors other ON other.article_id = mine.article_id AND other.actor_id != mine.actor_id"
        " JOIN actors ac ON ac.id = other.actor_id WHERE mine.actor_id = ? AND ac.type = 'person'"
        " GROUP BY ac.id ORDER BY articles DESC, ac.id LIMIT ?",
        actor_id,
        top,
    )
    profile["outlets"] = rows_of(
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


# The read side is one module to its callers: the statement layers are re-exported.
__all__ = [
    "ACTOR_WORD_CLAUSE",
    "CHECK_COST",
    "CHECK_PER_HIT",
    "CONFIDENT",
    "CONFIDENT_TALLY",
    "DEFAULT_LIMIT",
    "EXPORT_QUOTE_COLUMNS",
    "FACET_HIT_COST",
    "FACET_SQL",
    "FIRST_PIECE",
    "HITS_AMONG",
    "HIT_FACETS",
    "HIT_LIST",
    "HIT_ROWS",
    "IN_DATE_ORDER",
    "LANGUAGE_ARTICLE_COST",
    "LANGUAGE_CLAUSE",
    "LANGUAGE_FACET",
    "LANGUAGE_WALK_SHARE",
    "LIST_COST",
    "MAX_INDEXED_SPEAKERS",
    "MAX_LISTED_HITS",
    "MAX_RANKED",
    "NEWEST_FIRST",
    "ORDERS",
    "OUTLET_CLAUSE",
    "OUTLET_NAMES",
    "PROBE_COST",
    "QUOTES_BY_ID",
    "QUOTE_SELECT",
    "SEARCH_COUNT",
    "TALLY_FACET_SQL",
    "WALK_FACTOR",
    "WALK_SLACK",
    "WINDOW_COST",
    "HitRead",
    "Page",
    "QuoteFilters",
    "Where",
    "actor",
    "actor_token",
    "actors",
    "article_languages",
    "attitudes",
    "deadline",
    "export",
    "facets_fit",
    "filter_sql",
    "find_actors",
    "find_quotes",
    "fts_query",
    "hit_match",
    "in_order",
    "in_time",
    "iter_articles",
    "judgements",
    "language_code",
    "like_pattern",
    "open_db",
    "overview",
    "placeholders",
    "quote_facets",
    "quotes",
    "rows_of",
    "speaker_indexed",
    "speaker_match",
    "statement_match",
    "stories",
    "surname_keys",
    "tally",
    "timeline",
    "with_words",
]
