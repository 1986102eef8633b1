"""Articles and outlets (issue 19, item 4): a searchable list of the stored articles, and a page per
outlet saying whom it quotes most and when.

Every read is parameterized SQL over the read-only connection of one view; the article list walks
``articles_published`` newest first, and an outlet's counts start from ``articles_outlet``.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request

from onrecord.queries import Page, QuoteFilters, like_pattern, tally
from onrecord.web.app import Language, Limit, Offset, Text, reading, twin
from onrecord.web.views import NotFound, over_time_of, paging

ARTICLE_LIST = """SELECT a.id, a.headline, a.published, a.language, a.analysed, o.name AS outlet,
 coalesce(a.url, a.source) AS source,
 (SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND q.piece = 0) AS statements
 FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"""


# An outlet's statements: its articles (``articles_outlet``), then their quotes (``quotes_article``).
OUTLET_SPEAKERS = """SELECT ac.id, ac.name, ac.type, n.count AS statements FROM (SELECT q.actor_id,
 count(*) AS count FROM quotes q WHERE q.article_id IN (SELECT id FROM articles WHERE outlet_id = ?)
 AND q.actor_id IS NOT NULL AND q.piece = 0 GROUP BY q.actor_id ORDER BY count DESC LIMIT ?) n
 JOIN actors ac ON ac.id = n.actor_id ORDER BY n.count DESC, ac.name"""
OUTLET_MONTHS = """SELECT substr(q.date, 1, 7) AS month, count(*) AS statements FROM quotes q
 WHERE q.article_id IN (SELECT id FROM articles WHERE outlet_id = ?) AND q.date IS NOT NULL AND q.piece = 0
 GROUP BY month ORDER BY month"""


def articles(
    conn: sqlite3.Connection,
    *,
    search: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    limit: int,
    offset: int,
) -> Page:
    """Articles newest first (undated last), those whose headline holds ``search``, of ``outlet``,
    in ``language``; each with its number of statements."""
    where: list[str] = []
    params: list[Any] = []
    if search and search.strip():
        where.append("a.headline LIKE ? ESCAPE '\\'")
        params.append(f"%{like_pattern(search.strip())}%")
    if outlet:
        where.append("a.outlet_id IN (SELECT id FROM outlets WHERE name = ? COLLATE NOCASE)")
        params.append(outlet)
    if language:
        where.append("a.language = ?")
        params.append(language)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    # ``clause`` joins only the fixed conditions above; every value is a parameter.
    total = int(conn.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()[0])  # noqa: S608
    rows = [
        dict(row)
        for row in conn.execute(
            f"{ARTICLE_LIST}{clause} ORDER BY a.published IS NULL, a.published DESC, a.id DESC"
            " LIMIT ? OFFSET ?",
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
    speakers = [dict(r) for r in conn.execute(OUTLET_SPEAKERS, (outlet_id, top))]
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
        # By month (a scan of the outlet's statements) only when the days could not be counted in time.
        **over_time_of(
            conn,
            QuoteFilters(outlet=str(row["name"])),
            lambda: [dict(r) for r in conn.execute(OUTLET_MONTHS, (outlet_id,))],
        ),
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
