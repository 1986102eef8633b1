"""Articles and outlets (issue 19, item 4): a searchable article list and a page per outlet."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from web.sample import HOSTILE_IMG
from web.test_hostile import assert_inert
from web.test_pages import html_of, json_of


def test_the_article_list_is_newest_first_with_outlet_language_and_statements(client: Any) -> None:
    listing = json_of(client, "/api/articles")
    assert listing["total"] == 3
    dates = [row["published"] for row in listing["rows"]]
    assert dates == sorted(dates, reverse=True)
    trump = next(row for row in listing["rows"] if row["headline"] == "Trump speaks on Iran")
    assert trump["outlet"] == "Example Wire" and trump["language"] == "en" and trump["statements"] == 2


def test_articles_are_found_by_headline_words_outlet_and_language(client: Any) -> None:
    assert [r["headline"] for r in json_of(client, "/api/articles?q=speaks")["rows"]] == [
        "Trump speaks on Iran"
    ]
    assert json_of(client, "/api/articles?outlet=example%20news")["total"] == 1
    assert json_of(client, "/api/articles?language=de")["total"] == 0
    assert client.get("/api/articles?language=deu").status_code == 422


def test_the_article_list_page_links_readers_and_outlets(client: Any) -> None:
    page = html_of(client, "/articles")
    assert 'href="/outlets/Example%20Wire"' in page and "Trump speaks on Iran" in page
    assert 'href="/articles/' in page and 'href="/articles">Articles</a>' in page
    assert_inert(page)


def test_an_outlet_page_says_whom_it_quotes_most_and_when(client: Any) -> None:
    outlet = json_of(client, "/api/outlets/Example%20Wire")
    assert outlet["outlet"]["articles"] == 1 and outlet["outlet"]["statements"] == 2
    names = [s["name"] for s in outlet["speakers"]]
    assert set(names) == {"Donald Trump", "Ivanka Trump"}
    over_time = outlet["attention"]
    assert over_time["unit"] == "day" and over_time["total"] == 2
    assert [(b["label"], b["statements"]) for b in over_time["buckets"]] == [("2020-01-07", 2)]
    page = html_of(client, "/outlets/example%20wire")
    assert "Quoted most" in page and "Donald Trump" in page and "<svg" in page


def test_a_hostile_outlet_name_stays_text(client: Any) -> None:
    name = f"Evil {HOSTILE_IMG} Outlet"
    page = html_of(client, f"/outlets/{quote(name)}")
    assert_inert(page)
    assert_inert(html_of(client, "/"))


def test_an_unknown_outlet_is_a_404_page(client: Any) -> None:
    response = client.get("/outlets/No%20Such%20Paper")
    assert response.status_code == 404 and "no outlet named" in response.text
