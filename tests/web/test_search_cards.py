"""The search page as an analyst uses it: result cards in context, the search syntax, filters and
sorting in the URL, and attention over time (chart, JSON and CSV), over the tiny sample corpus."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from web.test_pages import html_of, json_of


def test_a_card_shows_the_sentence_around_a_statement_cut_from_the_article(
    client: Any, corpus_db: Path
) -> None:
    row = json_of(client, '/api/search?q="offer stands"')["rows"][0]
    assert (row["actor"], row["cue"], row["kind"]) == ("Dmitry Peskov", "add", "partial")
    text = sqlite3.connect(corpus_db).execute("SELECT text FROM articles WHERE id = ?", (row["article_id"],))
    article = text.fetchone()[0]
    context = row["context"]
    said = "".join(p["text"] for p in row["pieces"])
    # Offsets are the article's: the card is one unbroken slice of it.
    assert article[context["start"] : context["end"]] == context["before"] + said + context["after"]
    assert said == article[row["content_start"] : row["content_end"]]
    assert context["before"] == "Peskov added that "  # from the start of the sentence
    assert [p["text"] for p in row["pieces"] if p["hit"]] == ["offer stands"]
    page = html_of(client, '/search?q="offer stands"')
    assert "<mark>offer stands</mark>" in page
    assert f'href="/articles/{row["article_id"]}#q{row["id"]}"' in page
    assert '<span class="cue-verb" title="the cue verb">add</span>' in page


def test_a_phrase_is_a_phrase_and_or_and_not_are_operators(client: Any) -> None:
    def total(search: str) -> int:
        return int(client.get("/api/search", params={"q": search}).json()["total"])

    assert total('"extend the treaty"') == 1
    assert total('"treaty the extend"') == 0 and total("treaty the extend") == 1
    assert total("treaty OR weapon") == 2
    assert total("Peskov -treaty") == 1  # the speaker's name is searched too
    assert total("nucl*") == 1


def test_a_search_that_cannot_be_read_says_so_and_searches_the_words(client: Any) -> None:
    data = client.get("/api/search", params={"q": "NOT treaty"}).json()
    assert "needs words to keep" in data["note"] and data["total"] == 0  # "NOT" and "treaty" both
    assert "needs words to keep" in html_of(client, "/search?q=NOT+treaty")


def test_newest_first_by_default_oldest_and_best_match_on_asking(client: Any) -> None:
    dates = [r["date"] for r in json_of(client, "/api/search")["rows"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2020-10-23"
    oldest = json_of(client, "/api/search?sort=oldest")
    assert [r["date"] for r in oldest["rows"]] == sorted(dates)
    assert oldest["query"] == {"sort": "oldest"}  # in the URL, so a link keeps it
    best = json_of(client, "/api/search?q=treaty+OR+stands&sort=relevance")
    assert best["total"] == 2 and "stands" in best["rows"][0]["statement"]  # the shorter hit ranks first
    assert client.get("/api/search?sort=loudest").status_code == 422
    page = html_of(client, "/search?sort=oldest")
    assert '<option value="oldest" selected>' in page and "sort=oldest" in page  # pager links keep it


def test_date_range_kind_about_and_attitude_narrow_the_search(client: Any) -> None:
    assert json_of(client, "/api/search?since=2020-10-01&until=2020-10-20")["total"] == 2
    assert json_of(client, "/api/search?since=2020-10-20")["total"] == 1
    assert json_of(client, "/api/search?month=2020-10&until=2020-10-19")["total"] == 2
    assert json_of(client, "/api/search?kind=direct")["total"] == 1
    assert json_of(client, "/api/search?about=Iran")["total"] == 1
    assert json_of(client, "/api/search?since=&kind=")["total"] == 5  # a form's empty fields: no filter
    refused = client.get("/api/search?since=2020-02-30")
    assert refused.status_code == 422 and "is not a day" in refused.text
    assert client.get("/api/search?kind=rumour").status_code == 422
    page = html_of(client, "/search?attitude=neutral")
    assert '<option value="neutral" selected>' in page
    typo = json_of(client, "/api/search?attitude=nuetral")
    assert typo["total"] == 0 and "no statement has the cue attitude 'nuetral'" in typo["note"]


def test_attention_over_time_counts_every_day_and_each_bar_narrows_the_search(client: Any) -> None:
    data = json_of(client, "/api/search?q=treaty+OR+stands+OR+proud")
    chart = data["attention"]
    assert chart["unit"] == "week" and chart["total"] == data["total"] == 3
    assert sum(b["statements"] for b in chart["buckets"]) == 3
    busiest = max(data["chart"]["bars"], key=lambda b: b["statements"])
    assert busiest["statements"] == 2
    narrowed = parse_qs(urlsplit(busiest["href"]).query)
    assert narrowed["since"] == [busiest["since"]] and narrowed["q"] == ["treaty OR stands OR proud"]
    assert json_of(client, "/api" + busiest["href"])["total"] == 2
    days = json_of(client, "/api/search?since=2020-10-18&until=2020-10-24")["attention"]
    assert days["unit"] == "day" and len(days["buckets"]) == 7  # the range asked for, empty days too
    rows = list(csv.DictReader(io.StringIO(client.get("/api/search/attention.csv?since=2020-10-18").text)))
    assert [(r["since"], r["statements"]) for r in rows] == [
        ("2020-10-19", "2"),
        ("2020-10-20", "0"),
        ("2020-10-21", "0"),
        ("2020-10-22", "0"),
        ("2020-10-23", "1"),
    ]
    page = html_of(client, "/search?q=treaty+OR+stands+OR+proud")
    assert (
        f'<a href="{busiest["href"].replace("&", "&amp;")}" aria-label="{busiest["label"]}: 2 statements">'
        in page
    )


@pytest.mark.parametrize("path", ["/actors/Dmitry%20Peskov", "/outlets/Example%20News"])
def test_actor_and_outlet_charts_link_to_the_search_narrowed(client: Any, path: str) -> None:
    data = json_of(client, "/api" + path)
    bars = [b for b in data["chart"]["bars"] if b["statements"]]
    assert bars and all(json_of(client, "/api" + b["href"])["total"] == b["statements"] for b in bars)
    page = html_of(client, path)
    assert 'action="/search"' in page and "Statements per day as CSV" in page


def test_the_help_page_explains_the_syntax(client: Any) -> None:
    page = html_of(client, "/help/search")
    assert "How to search" in page and "negotiat*" in page and "NOT" in page
    assert 'href="/help/search"' in html_of(client, "/search")


def test_a_statement_that_ends_its_sentence_shows_no_next_sentence(client: Any) -> None:
    row = json_of(client, '/api/search?q="extend the treaty"')["rows"][0]
    assert row["context"]["before"] == "Kremlin spokesman Dmitry Peskov said on Monday: "
    assert row["context"]["after"] == ""  # "Officials in Washington..." is another sentence


def test_best_match_with_too_many_hits_to_rank_says_so(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord import statement_listing

    monkeypatch.setattr(statement_listing, "MAX_RANKED", 1)
    data = json_of(client, "/api/search?q=treaty+OR+stands&sort=relevance")
    assert "too many statements to rank by best match (at most 1 are ranked)" in data["note"]
    assert [r["date"] for r in data["rows"]] == ["2020-10-19", "2020-10-19"] and data["total"] == 2


def test_the_chart_counted_with_the_facets_matches_the_chart_counted_alone(client: Any) -> None:
    query = "q=treaty+OR+stands+OR+proud+OR+weapon&since=2020-01-01"
    page = json_of(client, f"/api/search?{query}")
    assert page["facets_complete"]  # the chart came from the facets' read of the hits
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/search/attention.csv?{query}").text)))
    assert [(r["since"], int(r["statements"])) for r in rows] == [
        (b["since"], b["statements"]) for b in page["attention"]["buckets"]
    ]


def test_facets_summed_from_the_listings_read_are_the_facets_counted_alone(corpus_db: Path) -> None:
    from onrecord import queries

    conn = queries.open_db(corpus_db)
    chosen = queries.QuoteFilters(search="treaty OR weapon OR stands OR proud", since="2020-01-01")
    read = queries.HitRead()
    page = queries.find_quotes(conn, chosen, order="newest", read=read)
    assert read.rows is not None and len(read.rows) == page.total == 4
    assert [r["date"] for r in page.rows] == ["2020-10-19", "2020-10-19", "2020-01-07", "2020-01-07"]
    assert queries.quote_facets(conn, chosen, read=read) == queries.quote_facets(conn, chosen)
