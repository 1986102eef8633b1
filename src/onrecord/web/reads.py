"""Web-only reads: a corpus database -> the extra rows the pages need (facets, newest first, one article).

Everything here is parameterized SQL over an open connection, like ``onrecord.queries``; these are
the look-ups ``queries`` does not offer yet (candidates to move there when another front end wants them).
Statement filters and facets live in ``queries`` (one implementation for the CLI and the web).
"""

from __future__ import annotations

import calendar
import json
import sqlite3
from typing import Any

from onrecord.queries import CONFIDENT_TALLY, QUOTE_SELECT, Page, tally


def _marks(values: list[Any]) -> str:
    return ",".join("?" for _ in values) or "NULL"


def _rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sql, params)]


def month_bounds(month: str) -> tuple[str, str]:
    """A YYYY-MM month as its first and last day (YYYY-MM-DD, both inclusive)."""
    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return f"{month}-01", f"{month}-{last:02d}"


def outlets(conn: sqlite3.Connection, *, top: int = 20) -> list[dict[str, Any]]:
    """Outlets with their article and statement counts, most articles first."""
    # Both counts are kept at write time (``tallies``): the overview reads 20 rows, not 1M quotes.
    return _rows(
        conn,
        "SELECT o.name, a.count AS articles, coalesce(s.count, 0) AS statements FROM outlets o"
        " JOIN tallies a ON a.subject = 'articles.outlet' AND a.value = CAST(o.id AS TEXT) AND a.count > 0"
        " LEFT JOIN tallies s ON s.subject = 'quotes.outlet' AND s.value = a.value"
        " ORDER BY a.count DESC, o.name LIMIT ?",
        top,
    )


def top_speakers(
    conn: sqlite3.Connection, *, top: int = 10, confident_only: bool = True
) -> list[dict[str, Any]]:
    """The most-quoted actors: id, name, type and number of statements (confident attributions:
    ``queries.CONFIDENT`` or more, or never scored; ``confident_only=False``: every quote)."""
    # Read from the counts kept at write time (1M-quote bench store: 0.13 s counted, ~1 ms read).
    return _rows(
        conn,
        "SELECT ac.id, ac.name, ac.type, n.count AS statements FROM (SELECT value, count FROM tallies"
        " WHERE subject = ? AND value != '' AND count > 0 ORDER BY count DESC LIMIT ?) n"
        " JOIN actors ac ON ac.id = n.value ORDER BY n.count DESC, ac.name",
        CONFIDENT_TALLY if confident_only else "quotes.actor",
        top,
    )


def latest_quotes(conn: sqlite3.Connection, *, top: int = 10) -> list[dict[str, Any]]:
    """The newest dated statements, newest first (rows as ``queries.quotes`` gives them)."""
    return _rows(
        conn,
        f"{QUOTE_SELECT} WHERE q.date IS NOT NULL AND q.piece = 0 ORDER BY q.date DESC, q.id DESC LIMIT ?",
        top,
    )


def actor_quotes(conn: sqlite3.Connection, actor_id: str, *, limit: int, offset: int) -> Page:
    """One actor's statements, newest first, with the exact total."""
    total = tally(conn, "quotes.actor", [actor_id])
    rows = _rows(
        conn,
        f"{QUOTE_SELECT} WHERE q.actor_id = ? AND q.piece = 0"
        " ORDER BY q.date DESC, q.id DESC LIMIT ? OFFSET ?",
        actor_id,
        limit,
        offset,
    )
    return Page(rows, total, limit, offset)


def quoted_in_several_languages(conn: sqlite3.Connection, actor_id: str) -> bool:
    """Whether an actor's statements come from articles in more than one language."""
    # The names are kept by language (``actor_aliases``), a few rows: an actor named in one language
    # only is (corrections aside) quoted in at most that one, and their quotes need not be read.
    named_in = conn.execute(
        "SELECT count(DISTINCT language) FROM actor_aliases WHERE actor_id = ? AND language != ''",
        (actor_id,),
    ).fetchone()[0]
    if named_in < 2:
        return False
    # Stops at the second language found: for most actors named in two, within the first quotes.
    found = conn.execute(
        "SELECT DISTINCT a.language FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE q.actor_id = ? AND a.language IS NOT NULL LIMIT 2",
        (actor_id,),
    ).fetchall()
    return len(found) > 1


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """One stored article: its corpus fields, text and analysis (the JSON contract without the text)."""
    row = conn.execute(
        "SELECT a.id, a.key, a.url, a.headline, a.published, a.language, a.analysed, a.story_id, a.text,"
        " a.analysis, o.name AS outlet FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
        " WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return None if row is None else dict(row)


def article_quotes(conn: sqlite3.Connection, article_id: int) -> list[dict[str, Any]]:
    """An article's stored quotes (speakers as judged), in text order."""
    return _rows(
        conn,
        "SELECT q.id, q.actor_id, coalesce(ac.name, q.speaker) AS speaker, q.confidence, q.kind, q.start,"
        ' q."end", q.text, q.content_start, q.content_end, q.cue, q.attitude, q.date FROM quotes q'
        " LEFT JOIN actors ac ON ac.id = q.actor_id WHERE q.article_id = ? ORDER BY q.start, q.id",
        article_id,
    )


def article_actor_ids(conn: sqlite3.Connection, article_id: int) -> dict[str, str]:
    """An article's own actor ids -> the corpus actor ids they were resolved to."""
    rows = conn.execute("SELECT local_id, actor_id FROM article_actors WHERE article_id = ?", (article_id,))
    return {str(row[0]): str(row[1]) for row in rows}


def quote_article(conn: sqlite3.Connection, quote_id: int) -> int | None:
    """The id of the article a quote is in."""
    row = conn.execute("SELECT article_id FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    return None if row is None else int(row[0])


def quote_articles(conn: sqlite3.Connection, quote_ids: list[int]) -> dict[int, int]:
    """The article each of these quotes is in (quote id -> article id)."""
    rows = conn.execute(f"SELECT id, article_id FROM quotes WHERE id IN ({_marks(quote_ids)})", quote_ids)  # noqa: S608
    return {int(row[0]): int(row[1]) for row in rows}


def actor_names(conn: sqlite3.Connection, actor_ids: list[str]) -> dict[str, str]:
    """These actors' names (actor id -> name); an id no actor has is left out."""
    rows = conn.execute(f"SELECT id, name FROM actors WHERE id IN ({_marks(actor_ids)})", actor_ids)  # noqa: S608
    return {str(row[0]): str(row[1]) for row in rows}


def story(conn: sqlite3.Connection, story_id: int) -> dict[str, Any] | None:
    """One story: its id, headline, first publication date and number of copies."""
    row = conn.execute(
        "SELECT id, headline, first_published, articles FROM stories WHERE id = ?", (story_id,)
    ).fetchone()
    return None if row is None else dict(row)


STORY_COPY = (
    "SELECT a.id, a.headline, a.published, a.url, a.text, a.analysis, o.name AS outlet FROM articles a"
    " LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.story_id = ?"
    " ORDER BY a.published IS NULL, a.published, a.id LIMIT ? OFFSET ?"
)


def story_copies(conn: sqlite3.Connection, story_id: int, *, limit: int, offset: int) -> Page:
    """A story's copies (articles with text and analysis), earliest published first, exact total."""
    total = int(conn.execute("SELECT count(*) FROM articles WHERE story_id = ?", (story_id,)).fetchone()[0])
    return Page(_rows(conn, STORY_COPY, story_id, limit, offset), total, limit, offset)


def story_size(conn: sqlite3.Connection, story_id: int | None) -> int:
    """How many stored articles a story has (0 for none)."""
    if story_id is None:
        return 0
    return int(conn.execute("SELECT count(*) FROM articles WHERE story_id = ?", (story_id,)).fetchone()[0])


def actor_type(conn: sqlite3.Connection, actor_id: str) -> str | None:
    """An actor's type (person, organisation, ...), or None when no actor has this id."""
    row = conn.execute("SELECT type FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return None if row is None else str(row[0])


def actor_judgements(conn: sqlite3.Connection, actor_id: str, *, top: int = 10) -> list[dict[str, Any]]:
    """The merges and splits made on an actor, newest first."""
    return _rows(
        conn,
        "SELECT id, kind, subject, value, author, made_at, note FROM judgements"
        " WHERE kind IN ('merge', 'split') AND (subject = ? OR value = ?) ORDER BY id DESC LIMIT ?",
        actor_id,
        actor_id,
        top,
    )


def actor_article_names(conn: sqlite3.Connection, actor_id: str) -> list[dict[str, Any]]:
    """The names articles give an actor (what a split can take off), most articles first."""
    return _rows(
        conn,
        "SELECT name, count(*) AS articles FROM article_actors WHERE actor_id = ?"
        " GROUP BY name COLLATE NOCASE ORDER BY articles DESC, name",
        actor_id,
    )


def article_versions(conn: sqlite3.Connection, article_id: int, current: list[str]) -> list[dict[str, Any]]:
    """The earlier versions of a page that changed (``onrecord watch``), newest first: when each was
    replaced, its headline and length, and its statements that the current text no longer holds
    (``removed``: each with its offsets into that version's text, and its speaker as then found).
    ``current``: the current version's statements."""
    now = {" ".join(text.split()) for text in current}
    versions = []
    rows = conn.execute(
        "SELECT version, replaced, headline, published, content_hash, text, analysis FROM article_versions"
        " WHERE article_id = ? ORDER BY version DESC",
        (article_id,),
    ).fetchall()
    for version, replaced, headline, published, digest, text, analysis in rows:
        quotes = json.loads(analysis).get("quotes", [])
        removed = []
        for quote in quotes:
            content = quote.get("content") or quote
            start, end = int(content["start"]), int(content["end"])
            said = text[start:end]
            if " ".join(said.split()) not in now:
                speaker = (quote.get("speaker") or {}).get("name")
                removed.append({"start": start, "end": end, "text": said, "speaker": speaker})
        versions.append(
            {
                "version": version,
                "replaced": replaced,
                "headline": headline,
                "published": published,
                "content_hash": digest,
                "characters": len(text),
                "statements": len(quotes),
                "removed": removed,
            }
        )
    return versions
