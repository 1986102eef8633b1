"""Articles and outlets (issue 19, item 4): a searchable list of the stored articles, and a page per
outlet saying whom it quotes most and when.

Every read is parameterized SQL over the read-only connection of one view; the article list walks
``articles_published`` newest first, and an outlet's counts start from ``articles_outlet``.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request

from onrecord.queries import Page, QuoteFilters, fts_query, placeholders, tally
from onrecord.web.app import Language, Limit, Offset, Text, reading, twin
from onrecord.web.views import NotFound, over_time_of, paging

ARTICLE_LIST = """SELECT a.id, a.headline, a.published, a.language, a.analysed, o.name AS outlet,
 coalesce(a.url, a.source) AS source,
 (SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND q.piece = 0) AS statements
 FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"""


# Whom an outlet quotes most, from the totals kept at write time ("actor id|outlet id"): one pass
# over those totals, not a read of each of its statements.
OUTLET_SPEAKERS = """SELECT ac.id, ac.name, ac.type, n.count AS statements FROM (
 SELECT substr(value, 1, length(value) - length(?)) AS actor_id, count FROM tallies
 WHERE subject = 'quotes.actor.outlet' AND count > 0 AND substr(value, -length(?)) = ?
 ORDER BY count DESC LIMIT ?) n JOIN actors ac ON ac.id = n.actor_id ORDER BY n.count DESC, ac.name"""


def articles(
    conn: sqlite3.Connection,
    *,
    search: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    limit: int,
    offset: int,
) -> Page:
    """Articles newest first (undated last), those whose headline has ``search``'s words (the search
    box's syntax), of ``outlet``, in ``language``; each with its number of statements."""
    where: list[str] = []
    params: list[Any] = []
    words = fts_query(search) if search else ""
    if words:
        where.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(f"headline : ({words})")
    outlet_ids: list[str] = []
    if outlet:
        found = conn.execute("SELECT id FROM outlets WHERE name = ? COLLATE NOCASE", (outlet,)).fetchall()
        outlet_ids = [str(row[0]) for row in found]
        where.append(f"a.outlet_id IN ({placeholders(outlet_ids)})")
        params += outlet_ids
    if language:
        where.append("a.language = ?")
        params.append(language)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    # The totals kept at write time answer a listing by outlet or language alone, or of everything.
    if not where:
        total = tally(conn, "articles")
    elif where == [f"a.outlet_id IN ({placeholders(outlet_ids)})"]:
        total = tally(conn, "articles.outlet", outlet_ids) if outlet_ids else 0
    elif where == ["a.language = ?"]:
        total = tally(conn, "articles.language", [language or ""])
    else:  # ``clause`` joins only the fixed conditions above; every value is a parameter
        total = int(conn.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()[0])  # noqa: S608
    # Descending, SQLite puts undated (NULL) articles last, and walks ``articles_published`` backwards.
    rows = [
        dict(row)
        for row in conn.execute(
            f"{ARTICLE_LIST}{clause} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
    return Page(rows, total, limit, offset)


def outlet(conn: sqlite3.Connection, name: str, *, top: int = 10) -> dict[str, Any]:
    """One outlet: its articles and statements, whom it quotes most, its statements per month, its
    languages, and its first and last article.

    Raises:
        NotFound: no outlet of that name.
    """
    row = conn.execute("SELECT id, name FROM outlets WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no outlet named {name!r}")
    outlet_id = int(row["id"])
    facts = dict(
        conn.execute(
            "SELECT count(*) AS articles, min(published) AS first, max(published) AS last"
            " FROM articles WHERE outlet_id = ?",
            (outlet_id,),
        ).fetchone()
    )
    facts["statements"] = tally(conn, "quotes.outlet", [str(outlet_id)])  # kept at write time
    suffix = f"|{outlet_id}"
    speakers = [dict(r) for r in conn.execute(OUTLET_SPEAKERS, (suffix, suffix, suffix, top))]
    languages = [
        dict(r)
        for r in conn.execute(
            "SELECT language, count(*) AS articles FROM articles WHERE outlet_id = ?"
            " GROUP BY language ORDER BY articles DESC",
            (outlet_id,),
        )
    ]
    return {
        "outlet": {"id": outlet_id, "name": str(row["name"]), **facts},
        "speakers": speakers,
        # Counted by day from the index of each article's statements and their dates (m010): 1M-quote
        # bench store, an outlet of 50,000 statements, 30 ms on a quiet machine.
        **over_time_of(conn, QuoteFilters(outlet=str(row["name"]))),
        "languages": languages,
    }


def add_routes(app: FastAPI) -> None:
    """The article list and the outlet pages, each with its JSON twin under /api."""

    @twin(app, "/articles", "articles.html")
    def article_list(
        request: Request,
        q: Text = None,
        outlet_name: Annotated[str | None, Query(alias="outlet", max_length=500)] = None,
        language: Language = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Articles newest first: headline, outlet, date, language, statements; by headline words,
        outlet and language."""
        with reading(request) as conn:
            page = articles(conn, search=q, outlet=outlet_name, language=language, limit=limit, offset=offset)
        query = {k: v for k, v in (("q", q), ("outlet", outlet_name), ("language", language)) if v}
        return {"query": query, **page.to_dict(), "paging": paging(page.total, limit, offset)}

    @twin(app, "/outlets/{name}", "outlet.html")
    def outlet_page(request: Request, name: str) -> dict[str, Any]:
        """One outlet: its articles and statements, whom it quotes most, statements per month."""
        with reading(request) as conn:
            return outlet(conn, name)
