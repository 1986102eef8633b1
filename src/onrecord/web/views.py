"""The pages' view code: an open corpus connection + request parameters -> one plain dict per page.

The same dict is the JSON twin (``/api/...``) and the template's context, so the page and the API
can never disagree. Reads come from ``onrecord.queries`` and, where it has no function yet,
``onrecord.web.reads``.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlsplit

from onrecord import queries
from onrecord.corpus.judgements import split_target
from onrecord.corpus.language import SUPPORTED, language_name
from onrecord.web import reads
from onrecord.web.reader import read_article
from onrecord.web.stories import side_by_side

CHART_MONTHS = 240  # twenty years of bars; older months are left off the chart, never the listing
CHART_WIDTH, CHART_HEIGHT = 720, 160
# Seconds a search page spends counting its facets; past it a facet shows a link to count it in
# full instead of holding the page (1M-quote bench: a word in 60% of the quotes takes seconds).
FACET_BUDGET = 0.05


class NotFound(LookupError):
    """The page's subject (article, actor) is not in the corpus."""


def safe_href(url: str | None) -> str | None:
    """A stored URL if it is a web address a link may point to, else None (``javascript:`` and the like)."""
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """Corpus size, date range, outlets, most-quoted actors and the latest statements."""
    totals = queries.overview(conn)
    return {
        "totals": totals,
        "languages": [
            {"code": code, "name": language_name(code), "articles": count, "analysed": code in SUPPORTED}
            for code, count in totals["languages"].items()
        ],
        "outlets": reads.outlets(conn),
        "speakers": reads.top_speakers(conn),
        "latest": reads.latest_quotes(conn),
    }


def analysed_languages(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The languages the corpus has analysed articles in (those with a language pack), most first."""
    return [
        {"code": code, "name": language_name(code), "articles": count}
        for code, count in queries.article_languages(conn).items()
        if code in SUPPORTED
    ]


def search(
    conn: sqlite3.Connection,
    filters: dict[str, str | None],
    month: str | None,
    limit: int,
    offset: int,
    all_facets: bool = False,
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """Statements matching the filters (oldest first, exact total) and their facets: each facet is
    exact, or None when it could not be counted within ``FACET_BUDGET`` (``all_facets``: no limit).
    ``min_confidence``: only statements whose speaker confidence is at least this (never scored: out).
    The language facet is counted (and ``languages`` lists the corpus's) only when the corpus has
    analysed articles in more than one language, or the search is limited to one."""
    if not queries.fts_query(filters.get("q") or ""):
        filters = {**filters, "q": None}  # only quote marks: no words to search for
    chosen = quote_filters(filters, month, min_confidence)
    page = queries.find_quotes(conn, chosen, limit=limit, offset=offset)
    query: dict[str, Any] = {k: v for k, v in {**filters, "month": month}.items() if v}
    if min_confidence is not None:
        query["min_confidence"] = min_confidence
    budget = None if all_facets else FACET_BUDGET
    languages = analysed_languages(conn)
    by_language = len(languages) > 1 or chosen.language is not None
    if chosen.language and chosen.language not in {lang["code"] for lang in languages}:
        languages.append({"code": chosen.language, "name": language_name(chosen.language), "articles": 0})
    facets = queries.quote_facets(conn, chosen, budget=budget, matching=page.total, languages=by_language)
    return {
        "query": query,
        **page.to_dict(),
        "languages": languages if by_language else [],
        "facets": facets,
        "facets_complete": all(values is not None for values in facets.values()),
        "paging": paging(page.total, limit, offset),
    }


def quote_filters(
    filters: dict[str, str | None], month: str | None, min_confidence: float | None = None
) -> queries.QuoteFilters:
    """A search's parameters (``q``, ``speaker``, ``outlet``, ``attitude``, ``language``, a YYYY-MM
    month, the least speaker confidence) as filters."""
    since, until = reads.month_bounds(month) if month else (None, None)
    return queries.QuoteFilters(
        speaker=filters.get("speaker"),
        search=filters.get("q"),
        outlet=filters.get("outlet"),
        since=since,
        until=until,
        attitude=filters.get("attitude"),
        min_confidence=min_confidence,
        language=filters.get("language"),
    )


def paging(total: int, limit: int, offset: int) -> dict[str, Any]:
    """First and last row shown, and the offsets of the previous and next pages (None at the ends)."""
    return {
        "first": offset + 1 if total > offset else 0,
        "last": min(offset + limit, total),
        "previous": max(offset - limit, 0) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
    }


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    """One article: its text cut into marked segments, its quotes with speakers and evidence."""
    row = reads.article(conn, article_id)
    if row is None:
        raise NotFound(f"no article {article_id}")
    result = read_article(
        row, reads.article_quotes(conn, article_id), reads.article_actor_ids(conn, article_id)
    )
    result["article"]["href"] = safe_href(row.get("url"))
    result["article"]["story_copies"] = reads.story_size(conn, row.get("story_id"))
    return result


def story(conn: sqlite3.Connection, story_id: int, limit: int, offset: int) -> dict[str, Any]:
    """A story's first copy and, beside it, a page of its other copies with what each changes."""
    found = reads.story(conn, story_id)
    if found is None:
        raise NotFound(f"no story {story_id}")
    first = reads.story_copies(conn, story_id, limit=1, offset=0)
    if not first.rows:
        raise NotFound(f"story {story_id} has no stored article")
    others = reads.story_copies(conn, story_id, limit=limit, offset=offset + 1)
    compared = side_by_side(first.rows[0], others.rows)
    for row in (compared["base"], *compared["copies"]):
        row["href"] = safe_href(row.pop("url", None))
    others_total = max(first.total - 1, 0)
    return {
        "story": {**found, "copies": first.total},
        **compared,
        "total": others_total,
        "limit": limit,
        "offset": offset,
        "paging": paging(others_total, limit, offset),
    }


def stories(conn: sqlite3.Connection, min_copies: int, limit: int, offset: int) -> dict[str, Any]:
    """Stories with at least ``min_copies`` copies, largest first."""
    page = queries.stories(conn, min_articles=min_copies, limit=limit, offset=offset)
    return {
        "query": {"min_copies": min_copies},
        **page.to_dict(),
        "paging": paging(page.total, limit, offset),
    }


def actor(conn: sqlite3.Connection, name: str, limit: int, offset: int) -> dict[str, Any]:
    """An actor's profile, statements newest first, and a bar chart of statements per month."""
    profile = queries.actor(conn, name)
    if profile is None:
        raise NotFound(f"no actor named {name!r}")
    page = reads.actor_quotes(conn, str(profile["id"]), limit=limit, offset=offset)
    return {
        "actor": profile,
        "statements": page.to_dict(),
        # Each statement's language is shown only when they differ (a name across languages).
        "several_languages": reads.quoted_in_several_languages(conn, str(profile["id"])),
        "paging": paging(page.total, limit, offset),
        "chart": month_chart(profile["statements_per_month"]),
        "corrections": actor_corrections(conn, str(profile["id"]), str(profile["type"])),
        "article_names": reads.actor_article_names(conn, str(profile["id"])),
    }


def actor_corrections(conn: sqlite3.Connection, actor_id: str, type_: str) -> list[dict[str, Any]]:
    """The merges and splits made on an actor, newest first; a split with the actor it made."""
    rows = reads.actor_judgements(conn, actor_id)
    for row in rows:
        if row["kind"] == "split":
            row["split_to"] = split_target(row["subject"], row["value"], type_)
    return rows


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < CHART_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_chart(per_month: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars (x, y, width, height in SVG units) for statements per month, empty months included."""
    counts = {str(r["month"]): int(r["statements"]) for r in per_month if r["month"]}
    if not counts:
        return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": [], "max": 0}
    months = _months(min(counts), max(counts))[-CHART_MONTHS:]
    peak = max(counts.values())
    step = CHART_WIDTH / len(months)
    bars = []
    for index, month in enumerate(months):
        height = round(counts.get(month, 0) / peak * (CHART_HEIGHT - 20), 1)
        bars.append(
            {
                "month": month,
                "statements": counts.get(month, 0),
                "x": round(index * step, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(max(step - 1, 1), 1),
                "height": height,
            }
        )
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": bars, "max": peak}


def actors(conn: sqlite3.Connection, search: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Actors, most mentioned first, optionally those whose name or alias contains ``search``."""
    page = queries.actors(conn, search=search, limit=limit, offset=offset)
    return {
        "query": {"q": search} if search else {},
        **page.to_dict(),
        "paging": paging(page.total, limit, offset),
    }


def timeline(conn: sqlite3.Connection, name_or_text: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Dated statements and articles for an actor or words, oldest first (empty without a query)."""
    if not name_or_text or not queries.fts_query(name_or_text):
        page = queries.Page([], 0, limit, offset)
    else:
        page = queries.timeline(conn, name_or_text, limit=limit, offset=offset)
    query = {"q": name_or_text} if name_or_text else {}
    return {"query": query, **page.to_dict(), "paging": paging(page.total, limit, offset)}
