"""The statements by language: a filter (ISO 639-1 code) and a facet, exact whatever else is asked."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.bilingual import bilingual_db
from onrecord import queries, statement_facets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's bench/ package
from bench.bench_queries import build as build_bench
from bench.bench_queries import common_word


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    connection = queries.open_db(bilingual_db(tmp_path_factory))
    yield connection
    connection.close()


def _by_language(conn: sqlite3.Connection, filters: queries.QuoteFilters) -> dict[str, int]:
    """What the language facet must say: every matching statement counted by its article's language."""
    page = queries.find_quotes(conn, filters, limit=10_000)
    counts: dict[str, int] = {}
    for row in page.rows:
        counts[row["language"]] = counts.get(row["language"], 0) + 1
    return counts


def test_the_store_has_statements_in_two_languages(conn: sqlite3.Connection) -> None:
    assert set(_by_language(conn, queries.QuoteFilters())) == {"en", "de"}
    assert queries.article_languages(conn) == {"en": 3, "de": 2, "it": 1}  # Italian: not analysed


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"search": "Stadt"},
        {"search": "treaty"},
        {"speaker": "Peskov"},
        {"speaker": "Peskov", "search": "Februar"},
        {"outlet": "Beispielzeitung", "since": "2020-10-22"},
    ],
    ids=["all", "search-de", "search-en", "speaker", "speaker-search", "outlet-since"],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_language_keeps_its_statements_only(
    conn: sqlite3.Connection, filters: dict[str, Any], language: str
) -> None:
    everything = queries.find_quotes(conn, queries.QuoteFilters(**filters), limit=500)
    page = queries.find_quotes(conn, queries.QuoteFilters(**filters, language=language), limit=500)
    expected = [row for row in everything.rows if row["language"] == language]
    assert page.rows == expected and page.total == len(expected)


def test_one_actor_is_quoted_in_both_languages(conn: sqlite3.Connection) -> None:
    german = queries.quotes(conn, speaker="Peskov", language="de")
    english = queries.quotes(conn, speaker="Peskov", language="en")
    assert german.total and english.total
    assert {row["actor"] for row in german.rows + english.rows} == {"Dmitry Peskov"}
    assert any("Februar" in row["statement"] for row in german.rows)
    assert not any("Februar" in row["statement"] for row in english.rows)


def test_a_language_the_corpus_does_not_have_finds_nothing(conn: sqlite3.Connection) -> None:
    page = queries.quotes(conn, language="xx")
    assert (page.total, page.rows) == (0, [])
    facets = queries.quote_facets(conn, queries.QuoteFilters(language="xx"), languages=True)
    assert facets["language"] == [] and facets["speaker"] == []


@pytest.mark.parametrize(("given", "code"), [("de", "de"), (" DE ", "de"), ("Fr", "fr")])
def test_language_codes_are_read_leniently(given: str, code: str) -> None:
    assert queries.language_code(given) == code


@pytest.mark.parametrize("given", ["", "deu", "d", "d1", "<b>", "de'; --", "ü"])
def test_anything_but_two_letters_is_refused_with_what_to_give(given: str) -> None:
    with pytest.raises(ValueError, match="two letters"):
        queries.language_code(given)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"search": "sagte"},
        {"search": "treaty"},
        {"speaker": "Peskov"},
        {"speaker": "Peskov", "search": "Vertrag"},
        {"since": "2020-10-20"},
        {"language": "de"},
        {"language": "de", "search": "Hafen"},
    ],
)
def test_the_language_facet_counts_every_matching_statement(
    conn: sqlite3.Connection, filters: dict[str, Any]
) -> None:
    chosen = queries.QuoteFilters(**filters)
    facets = queries.quote_facets(conn, chosen, languages=True)
    expected = sorted(_by_language(conn, chosen).items(), key=lambda kv: (-kv[1], kv[0]))
    assert facets["language"] == [{"value": code, "count": count} for code, count in expected]
    # The other facets are those counted without it.
    assert {k: v for k, v in facets.items() if k != "language"} == queries.quote_facets(conn, chosen)


def test_the_language_facet_is_counted_only_when_asked(conn: sqlite3.Connection) -> None:
    assert "language" not in queries.quote_facets(conn, queries.QuoteFilters())
    skipped = queries.quote_facets(
        conn, queries.QuoteFilters(search="sagte"), budget=0.05, matching=10**9, languages=True
    )
    assert skipped == dict.fromkeys(("speaker", "outlet", "month", "attitude", "language"))


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """The synthetic bench store, its articles a quarter German, a tenth French, the rest English."""
    db = tmp_path_factory.mktemp("language-bench") / "bench.db"
    build_bench(db, 5_000)
    writing = sqlite3.connect(db)
    try:
        writing.execute(
            "UPDATE articles SET language = CASE WHEN id % 4 = 0 THEN 'de' WHEN id % 10 = 1 THEN 'fr'"
            " ELSE 'en' END"
        )
        writing.commit()
    finally:
        writing.close()
    connection = queries.open_db(db)
    yield connection
    connection.close()


def test_on_a_larger_store_the_facet_is_a_group_by_and_keeps_to_its_budget(bench: sqlite3.Connection) -> None:
    word = common_word(bench)
    for filters in (queries.QuoteFilters(), queries.QuoteFilters(search=word),
                    queries.QuoteFilters(search=word, language="fr", attitude="warning")):  # fmt: skip
        where = queries.filter_sql(bench, filters, None)
        grouped = bench.execute(
            "SELECT a.language AS value, count(*) AS count FROM quotes q"  # noqa: S608
            f" JOIN articles a ON a.id = q.article_id{where.sql}"
            " GROUP BY a.language ORDER BY count DESC, value",
            where.params,
        ).fetchall()
        facets = queries.quote_facets(bench, filters, languages=True)
        assert facets["language"] == [dict(row) for row in grouped]
        page = queries.find_quotes(bench, filters, limit=50)
        assert page.total == sum(row["count"] for row in grouped)
        assert all(row["language"] == (filters.language or row["language"]) for row in page.rows)
    late = queries.quote_facets(bench, queries.QuoteFilters(), budget=-1.0, languages=True)
    assert late["language"] is None and late["speaker"]  # the others are kept totals, read in no time


def test_a_facet_that_cannot_read_its_articles_in_time_is_not_begun(
    bench: sqlite3.Connection, monkeypatch: Any
) -> None:
    def counted(*_args: Any) -> list[dict[str, Any]]:
        raise AssertionError("the language facet was begun")

    articles = queries.tally(bench, "articles.analysed")
    monkeypatch.setattr(statement_facets, "_language_facet", counted)
    budget = articles * queries.LANGUAGE_ARTICLE_COST / 2
    for filters, matching in (
        (queries.QuoteFilters(), None),
        (queries.QuoteFilters(attitude="warning"), 10**6),
    ):
        facets = queries.quote_facets(bench, filters, budget=budget, matching=matching, languages=True)
        assert facets["language"] is None
