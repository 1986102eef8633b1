"""Facets of large searches: counted over the hits exactly as a plain GROUP BY would, and, past the
page's time budget, left out with a link to count them, never approximated."""

from __future__ import annotations

import sqlite3
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onrecord import queries

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's bench/ package
from bench.bench_queries import build, common_word

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("budget") / "bench.db"
    build(db, 5_000)
    return db


@pytest.fixture(scope="module")
def conn(store: Path) -> Iterator[sqlite3.Connection]:
    connection = queries.open_db(store)
    yield connection
    connection.close()


def _grouped(conn: sqlite3.Connection, filters: queries.QuoteFilters) -> dict[str, Any]:
    where = queries.filter_sql(conn, filters, None)
    return {
        name: [dict(r) for r in conn.execute(sql.format(where=where.sql), [*where.params, 10])]
        for name, sql in queries.FACET_SQL.items()
    }


def test_hit_facets_equal_a_group_by(conn: sqlite3.Connection) -> None:
    word = common_word(conn)
    for filters in (
        queries.QuoteFilters(search=word),
        queries.QuoteFilters(search=word, attitude="warning"),
        queries.QuoteFilters(search=word, outlet="Outlet 3", since="2020-01-01"),
    ):
        facets = queries.quote_facets(conn, filters)
        assert facets == _grouped(conn, filters)
        assert sum(f["count"] for f in facets["attitude"]) <= queries.find_quotes(conn, filters).total
    assert queries.quote_facets(conn, queries.QuoteFilters(search=word))["attitude"]


def test_facets_past_the_budget_are_left_out_not_guessed(conn: sqlite3.Connection) -> None:
    filters = queries.QuoteFilters(search=common_word(conn))
    late = queries.quote_facets(conn, filters, budget=-1.0)  # already out of time
    assert late == {"speaker": None, "outlet": None, "month": None, "attitude": None}
    assert queries.quote_facets(conn, filters, budget=60.0) == _grouped(conn, filters)
    # The listing and its total are never cut short by the facets' budget.
    assert (
        queries.find_quotes(conn, filters).total
        == conn.execute(queries.SEARCH_COUNT, (queries.fts_query(filters.search or ""),)).fetchone()[0]
    )


def test_search_page_offers_to_count_facets(store: Path, conn: sqlite3.Connection, monkeypatch: Any) -> None:
    from onrecord.web import views
    from onrecord.web.app import create_app

    client = TestClient(create_app(store), base_url="http://127.0.0.1")
    word = common_word(conn)
    monkeypatch.setattr(views, "FACET_BUDGET", -1.0)
    data = client.get("/api/search", params={"q": word}).json()
    assert data["facets_complete"] is False and data["facets"]["speaker"] is None
    assert data["total"] == queries.find_quotes(conn, queries.QuoteFilters(search=word)).total
    page = client.get("/search", params={"q": word}).text
    assert "Count them" in page and "facets=all" in page
    full = client.get("/api/search", params={"q": word, "facets": "all"}).json()
    assert full["facets_complete"] is True
    assert full["facets"] == _grouped(conn, queries.QuoteFilters(search=word))
    assert client.get("/api/search", params={"q": word, "facets": "some"}).status_code == 422


def test_facets_that_cannot_fit_the_budget_are_not_begun(conn: sqlite3.Connection) -> None:
    filters = queries.QuoteFilters(search=common_word(conn))
    total = queries.find_quotes(conn, filters).total
    past = int(0.05 / queries.FACET_HIT_COST) + 1  # statements that take longer than 50 ms at least
    skipped = queries.quote_facets(conn, filters, budget=0.05, matching=past)
    assert skipped == {"speaker": None, "outlet": None, "month": None, "attitude": None}
    assert queries.quote_facets(conn, filters, budget=60.0, matching=total) == _grouped(conn, filters)
    assert queries.quote_facets(conn, filters, budget=None, matching=past) == _grouped(conn, filters)
