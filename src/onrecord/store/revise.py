"""Revising stored rows: an article's analysis cleared, rows moved between actors, totals recomputed.

Used by re-analysis and by judgements (``onrecord.corpus.judgements``); data flows from the base
rows (article_actors, mentions, quotes) into the totals kept for reading (actor mentions, aliases,
dated roles, statement reports), so a total is never edited by hand and always matches its rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# The rows an article's analysis produced, children before the rows they refer to.
ANALYSIS_TABLES = ("quotes", "mentions", "article_actors", "time_expressions")


def touched(conn: sqlite3.Connection, article_id: int) -> tuple[set[str], set[int]]:
    """The actors and statements an article's rows refer to."""
    actors = {
        str(row[0])
        for row in conn.execute(
            "SELECT actor_id FROM article_actors WHERE article_id = ?"
            " UNION SELECT actor_id FROM quotes WHERE article_id = ? AND actor_id IS NOT NULL",
            (article_id, article_id),
        )
    }
    statements = {
        int(row[0])
        for row in conn.execute(
            "SELECT statement_id FROM quotes WHERE article_id = ? AND statement_id IS NOT NULL", (article_id,)
        )
    }
    return actors, statements


def clear_analysis(conn: sqlite3.Connection, article_id: int) -> tuple[set[str], set[int]]:
    """Delete an article's analysis rows; return the actors and statements they referred to."""
    actors, statements = touched(conn, article_id)
    for table in ANALYSIS_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))  # noqa: S608  (fixed names)
    return actors, statements


def move_actor_rows(
    conn: sqlite3.Connection, source: str, target: str, article_ids: Iterable[int] | None = None
) -> None:
    """Give ``source``'s quotes, mentions and article links to ``target`` (in the given articles only)."""
    ids = None if article_ids is None else sorted(set(article_ids))
    for table in ("quotes", "mentions", "article_actors"):
        if ids is None:
            conn.execute(f"UPDATE {table} SET actor_id = ? WHERE actor_id = ?", (target, source))  # noqa: S608
            continue
        marks = ",".join("?" for _ in ids) or "NULL"
        conn.execute(
            f"UPDATE {table} SET actor_id = ? WHERE actor_id = ? AND article_id IN ({marks})",  # noqa: S608
            (target, source, *ids),
        )


# Each alias with the language of the articles that gave it, as ``Store`` writes them: the canonical
# name and the name mentions, without a possessive 's.
ALIASES = """INSERT INTO actor_aliases (actor_id, alias, language, articles)
SELECT ?, n.alias, coalesce(a.language, ''), count(DISTINCT n.article_id) FROM (
 SELECT article_id, name AS alias FROM article_actors WHERE actor_id = ?
 UNION SELECT article_id, CASE WHEN substr(text, -2) IN ('''s', '’s')
  THEN substr(text, 1, length(text) - 2) ELSE text END FROM mentions WHERE actor_id = ? AND kind = 'name') n
JOIN articles a ON a.id = n.article_id
GROUP BY n.alias, coalesce(a.language, '')"""

# Roles are read back from each article's stored record (its actors, by their id in the article).
ROLES = """INSERT INTO actor_roles (actor_id, role, first_seen, last_seen, articles)
SELECT ?, r.value, min(a.published), max(a.published), count(DISTINCT a.id)
FROM article_actors aa JOIN articles a ON a.id = aa.article_id,
 json_each(a.analysis, '$.actors') act, json_each(act.value, '$.roles') r
WHERE aa.actor_id = ? AND json_extract(act.value, '$.id') = aa.local_id
GROUP BY r.value"""


def refresh_actors(conn: sqlite3.Connection, actor_ids: Iterable[str]) -> None:
    """Recompute mentions, aliases and roles of these actors; delete those no row refers to any more."""
    for actor_id in sorted(set(actor_ids)):
        conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
        conn.execute("DELETE FROM actor_roles WHERE actor_id = ?", (actor_id,))
        used = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM article_actors WHERE actor_id = ?)"
            " OR EXISTS (SELECT 1 FROM quotes WHERE actor_id = ?)"
            " OR EXISTS (SELECT 1 FROM mentions WHERE actor_id = ?)",
            (actor_id, actor_id, actor_id),
        ).fetchone()[0]
        if not used:
            conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
            continue
        conn.execute(
            "UPDATE actors SET mentions = (SELECT count(*) FROM mentions WHERE actor_id = ?) WHERE id = ?",
            (actor_id, actor_id),
        )
        conn.execute(ALIASES, (actor_id, actor_id, actor_id))
        conn.execute(ROLES, (actor_id, actor_id))


def refresh_statements(conn: sqlite3.Connection, statement_ids: Iterable[int]) -> None:
    """Recompute reports and earliest date of these statements; delete those no quote reports."""
    for statement_id in sorted(set(statement_ids)):
        conn.execute(
            "UPDATE statements SET reports = (SELECT count(*) FROM quotes WHERE statement_id = ?),"
            " first_said_on = (SELECT min(date) FROM quotes WHERE statement_id = ?) WHERE id = ?",
            (statement_id, statement_id, statement_id),
        )
        conn.execute("DELETE FROM statements WHERE id = ? AND reports = 0", (statement_id,))
