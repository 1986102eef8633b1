"""The pages' view code: an open corpus connection + request parameters -> one plain dict per page.

The same dict is the JSON twin (``/api/...``) and the template's context, so the page and the API
can never disagree. Reads come from ``onrecord.queries`` and, where it has no function yet,
``onrecord.web.reads``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any, get_args
from urllib.parse import urlencode, urlsplit

from onrecord import queries, statement_listing
from onrecord.attention import attention, buckets, day_buckets
from onrecord.corpus.judgements import split_target
from onrecord.corpus.language import SUPPORTED, language_name
from onrecord.model import QuoteKind
from onrecord.search_syntax import SearchSyntaxError, parse_search, plain_words
from onrecord.web import reads
from onrecord.web.cards import add_cards
from onrecord.web.reader import read_article
from onrecord.web.stories import side_by_side

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


SORTS = ("newest", "oldest", "relevance")  # the search page's orders, its default first
KINDS = get_args(QuoteKind)  # the statement kinds the model knows
FILTER_NAMES = ("q", "speaker", "about", "outlet", "kind", "attitude", "language", "since", "until")


def search(
    conn: sqlite3.Connection,
    filters: dict[str, str | None],
    month: str | None,
    limit: int,
    offset: int,
    all_facets: bool = False,
    min_confidence: float | None = None,
    sort: str = "newest",
) -> dict[str, Any]:
    """Statements matching the filters (in ``sort`` order, exact total) as result cards, their facets
    and their attention over time: each facet and the chart exact, or None when they could not be
    counted within ``FACET_BUDGET`` (``all_facets``: no limit). ``min_confidence``: only statements
    whose speaker confidence is at least this (never scored: out). The language facet is counted
    (and ``languages`` lists the corpus's) only when the corpus has analysed articles in more than
    one language, or the search is limited to one. A search that cannot be read ("NOT x" alone) is
    run as its plain words, and ``note`` says why."""
    note = None
    search_words = filters.get("q") or ""
    try:
        parsed = parse_search(search_words)
    except SearchSyntaxError as exc:
        note = f"{exc}; searched for every word instead"
        parsed = plain_words(search_words)
    if not parsed.match:
        filters = {**filters, "q": None}  # only quote marks or signs: no words to search for
    chosen = quote_filters(filters, month, min_confidence)
    read = queries.HitRead()  # a search read among its hits: the facets count the same read
    page = queries.find_quotes(conn, chosen, limit=limit, offset=offset, order=sort, read=read)
    if sort == "relevance" and chosen.search and page.order != "relevance":
        note = (
            "these words match too many statements to rank by best match (at most "
            f"{statement_listing.MAX_RANKED:,} are ranked), so newest first; add words to rank them"
        )
    add_cards(conn, page.rows, parsed.terms)
    known_attitudes = queries.attitudes(conn)
    if filters.get("attitude") and filters["attitude"] not in known_attitudes:
        note = f"no statement has the cue attitude {filters['attitude']!r}; the corpus has: " + (
            ", ".join(known_attitudes) or "none"
        )
    query: dict[str, Any] = {k: v for k, v in {**filters, "month": month}.items() if v}
    if min_confidence is not None:
        query["min_confidence"] = min_confidence
    if sort != SORTS[0]:
        query["sort"] = sort
    budget = None if all_facets else FACET_BUDGET
    languages = analysed_languages(conn)
    by_language = len(languages) > 1 or chosen.language is not None
    if chosen.language and chosen.language not in {lang["code"] for lang in languages}:
        languages.append({"code": chosen.language, "name": language_name(chosen.language), "articles": 0})
    facets = queries.quote_facets(
        conn, chosen, budget=budget, matching=page.total, languages=by_language, read=read
    )
    # A search's chart is counted in its facets' read of the hits. When that read ran out of time,
    # so would the chart's (one budget for both, not two); when it was not begun (too many hits for
    # the facets), the chart, which reads less of each hit, may still be counted in time.
    over_time: dict[str, Any] | None = None
    if facets.get("speaker") is not None and chosen.search:
        over_time = day_buckets(read.days or {}, chosen)
    elif not chosen.search or not queries.facets_fit(page.total, budget):
        over_time = attention(conn, chosen, budget=budget, matching=page.total)
    return {
        "query": query,
        **page.to_dict(),
        "note": note,
        "sort": sort,
        "sorts": list(SORTS),
        "kinds": list(KINDS),
        "attitudes": known_attitudes,
        "languages": languages if by_language else [],
        "facets": facets,
        "facets_complete": all(values is not None for values in facets.values()) and over_time is not None,
        "attention": over_time,
        "chart": attention_chart(over_time, "/search", query),
        "paging": paging(page.total, limit, offset),
    }


def quote_filters(
    filters: dict[str, str | None], month: str | None, min_confidence: float | None = None
) -> queries.QuoteFilters:
    """A search's parameters (``FILTER_NAMES``: words, speaker, about whom, outlet, kind, attitude,
    language, a date range; a YYYY-MM month; the least speaker confidence) as filters. A month and a
    date range together mean the days in both."""
    since, until = filters.get("since"), filters.get("until")
    if month:
        first, last = reads.month_bounds(month)
        since, until = max(since or first, first), min(until or last, last)
    return queries.QuoteFilters(
        speaker=filters.get("speaker"),
        search=filters.get("q"),
        about=filters.get("about"),
        outlet=filters.get("outlet"),
        since=since,
        until=until,
        attitude=filters.get("attitude"),
        min_confidence=min_confidence,
        language=filters.get("language"),
        kind=filters.get("kind"),
    )


def over_time_of(
    conn: sqlite3.Connection,
    filters: queries.QuoteFilters,
    per_month: Callable[[], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """An actor's or outlet's ``attention`` and its ``chart`` (bars linking to the search narrowed
    to their days). With ``per_month`` (counts kept at write time), the days are counted within
    ``FACET_BUDGET`` and the months drawn when they could not be; without, the days are counted."""
    over_time = attention(conn, filters, budget=FACET_BUDGET if per_month else None)
    if over_time is None and per_month is not None:
        counts = {
            dt.date.fromisoformat(f"{r['month']}-01"): int(r["statements"]) for r in per_month() if r["month"]
        }
        over_time = buckets(counts, "month")
    query = {k: v for k, v in {"speaker": filters.speaker, "outlet": filters.outlet}.items() if v}
    return {"attention": over_time, "chart": attention_chart(over_time, "/search", query)}


def attention_chart(over_time: dict[str, Any] | None, path: str, query: dict[str, Any]) -> dict[str, Any]:
    """Bars (SVG units) for attention over time, each linking to ``path`` narrowed to its days."""
    if not over_time or not over_time["buckets"]:
        return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": [], "max": 0, "unit": None}
    rows = over_time["buckets"]
    peak = max(over_time["max"], 1)
    step = CHART_WIDTH / len(rows)
    base = {k: v for k, v in query.items() if k not in ("month", "since", "until", "offset", "facets")}
    bars = []
    for index, row in enumerate(rows):
        height = round(row["statements"] / peak * (CHART_HEIGHT - 20), 1)
        narrowed = {**base, "since": row["since"], "until": row["until"]}
        bars.append(
            {
                **row,
                "x": round(index * step, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(max(step - 1, 1), 1),
                "height": height,
                "href": f"{path}?{urlencode(narrowed)}",
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "max": over_time["max"],
        "unit": over_time["unit"],
    }


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
    quotes = reads.article_quotes(conn, article_id)
    result = read_article(row, quotes, reads.article_actor_ids(conn, article_id))
    result["article"]["href"] = safe_href(row.get("url"))
    result["article"]["story_copies"] = reads.story_size(conn, row.get("story_id"))
    text = str(row["text"])
    statements = [
        text[q["content_start"] : q["content_end"]] for q in quotes if q["content_start"] is not None
    ]
    result["versions"] = reads.article_versions(conn, article_id, statements)
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
        **over_time_of(
            conn, queries.QuoteFilters(speaker=str(profile["id"])), lambda: profile["statements_per_month"]
        ),
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


def actors(conn: sqlite3.Connection, search: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Actors, most mentioned first, optionally those whose name or alias contains ``search``."""
    page = queries.actors(conn, search=search, limit=limit, offset=offset)
    return {
        "query": {"q": search} if search else {},
        **page.to_dict(),
        "paging": paging(page.total, limit, offset),
    }


def timeline(conn: sqlite3.Connection, name_or_text: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Dated statements and articles for an actor or words, oldest first (empty without a query).
    Each statement carries its ``article_id`` (the page links it there, at the quote); ``actor`` is
    the one actor the query names (id and name, for the heading), else None."""
    if not name_or_text or not queries.fts_query(name_or_text):
        page = queries.Page([], 0, limit, offset)
    else:
        page = queries.timeline(conn, name_or_text, limit=limit, offset=offset)
    statements = [row for row in page.rows if row["kind"] == "statement"]
    in_article = reads.quote_articles(conn, [int(row["ref"]) for row in statements])
    for row in statements:
        row["article_id"] = in_article.get(int(row["ref"]))
    ids = queries.find_actors(conn, name_or_text) if name_or_text and page.total else []
    names = reads.actor_names(conn, ids[:1]) if len(ids) == 1 else {}
    query = {"q": name_or_text} if name_or_text else {}
    return {
        "query": query,
        "actor": {"id": ids[0], "name": names[ids[0]]} if names else None,
        **page.to_dict(),
        "paging": paging(page.total, limit, offset),
    }
