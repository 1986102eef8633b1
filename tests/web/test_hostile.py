"""Hostile article text, names and query strings come out escaped on every page, never as markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from onrecord.corpus.judgements import correct_speaker
from web.sample import HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT

HOSTILE_NAME = f"Evil{HOSTILE_IMG} Person"


def assert_inert(page: str) -> None:
    """No tag, attribute or link the hostile strings could have made."""
    assert HOSTILE_SCRIPT not in page and "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert 'href="javascript' not in page.lower()
    assert "src=x onerror" not in page.replace("&lt;img src=x onerror", "")


def hostile_quote(client: Any) -> dict[str, Any]:
    rows = client.get("/api/search", params={"q": "council pay"}).json()["rows"]
    assert len(rows) == 1
    return dict(rows[0])


def test_hostile_article_renders_escaped(client: Any) -> None:
    quote = hostile_quote(client)
    page = client.get(f"/articles/{quote['article_id']}").text
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert HOSTILE_LINK in page  # shown as text
    data = client.get(f"/api/articles/{quote['article_id']}").json()
    assert HOSTILE_SCRIPT in data["text"]  # the JSON twin keeps the text as it is (JSON is not HTML)
    assert data["article"]["href"] is None  # its javascript: URL is never made a link


@pytest.mark.parametrize("path", ["/", "/search", "/search?q=council", "/actors", "/timeline?q=council"])
def test_listings_with_hostile_outlet_and_headline_are_inert(client: Any, path: str) -> None:
    page = client.get(path).text
    assert_inert(page)


def test_hostile_outlet_is_escaped_in_facets(client: Any) -> None:
    page = client.get("/search").text
    assert "Evil &#34;&gt;&lt;img src=x onerror=alert(1)&gt; Outlet" in page
    assert "outlet=Evil+%22%3E%3Cimg" in page  # the facet link is URL-encoded


@pytest.mark.parametrize("name", ["q", "speaker", "outlet", "attitude"])
def test_hostile_query_strings_are_escaped(client: Any, name: str) -> None:
    for value in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK):
        page = client.get("/search", params={name: value}).text
        assert_inert(page)
    assert_inert(client.get("/timeline", params={"q": HOSTILE_IMG}).text)
    assert_inert(client.get("/actors", params={"q": HOSTILE_IMG}).text)
    assert_inert(client.get(f"/actors/{HOSTILE_SCRIPT}").text)


def test_hostile_speaker_name_is_escaped(writable_db: Path, writer: Any) -> None:
    quote = hostile_quote(writer)
    correct_speaker(writable_db, quote["id"], HOSTILE_NAME, author="test")
    article = writer.get(f"/articles/{quote['article_id']}").text
    assert_inert(article)
    assert "Evil&#34;&gt;&lt;img src=x onerror=alert(1)&gt; Person" in article
    actor_id = writer.get("/api/search", params={"q": "council pay"}).json()["rows"][0]["actor_id"]
    for path in (f"/actors/{actor_id}", "/", "/search", "/actors", f"/timeline?q={actor_id}"):
        assert_inert(writer.get(path).text)


HOSTILE_TERMS = [HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, "<svg onload=alert(1)>", "';alert(1);//"]


def test_hostile_search_terms_are_inert_in_a_real_browser(server: str, page: Any) -> None:
    """Search terms (not only article text) typed into every search box, in Chromium: no dialog,
    no element made of them, the term shown back as text."""
    injected = "script, img, iframe, svg:not(.chart), svg.chart *:not(rect, title, text, a, g)"
    for term in HOSTILE_TERMS:
        page.goto(server + "/")
        page.fill("header input[name=q]", term)
        page.press("header input[name=q]", "Enter")
        page.wait_for_load_state()
        for path in ("/search", "/timeline", "/actors"):
            page.goto(f"{server}{path}?{urlencode({'q': term})}")
            page.wait_for_timeout(50)
            assert page.locator(injected).count() == 0
            assert page.locator("a[href^='javascript' i]").count() == 0
        page.goto(f"{server}/actors/{quote(term, safe='')}")
        assert page.locator(injected).count() == 0
    assert page.dialogs == []
