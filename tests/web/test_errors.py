"""Errors in words (issue 19, item 5): pages in the site's layout for a person, JSON under /api/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from web.conftest import BASE_URL, TestClient


def test_a_path_that_is_no_page_is_a_404_page_in_the_layout(client: Any) -> None:
    response = client.get("/nope")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "there is no page at /nope" in response.text and 'href="/search"' in response.text


def test_under_the_api_a_missing_path_stays_json(client: Any) -> None:
    response = client.get("/api/nope")
    assert response.status_code == 404 and response.json() == {"detail": "there is no page at /api/nope"}


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/search?month=2020-13", "month: &#39;2020-13&#39; is not a month; give YYYY-MM"),
        ("/articles/abc", "article_id: &#39;abc&#39; is not an article number"),
        ("/search?offset=-5", "offset: &#39;-5&#39; is too small (at least 0)"),
        ("/search?limit=many", "limit: &#39;many&#39; is not a number of rows per page"),
    ],
)
def test_a_wrong_parameter_is_a_422_page_saying_what_was_wrong(client: Any, path: str, words: str) -> None:
    response = client.get(path)
    assert response.status_code == 422 and "<h1>422</h1>" in response.text
    assert words in response.text
    main = response.text.split("<main", 1)[-1].split("</main>")[0]
    assert "'loc'" not in main and "'type'" not in main  # words, not a validation dump


def test_under_the_api_a_wrong_parameter_keeps_the_list_and_says_it(client: Any) -> None:
    body = client.get("/api/search?month=2020-13").json()
    assert body["detail"][0]["loc"] == ["query", "month"]
    assert body["message"].startswith("month: '2020-13' is not a month")


def test_a_page_past_the_last_is_empty_with_a_way_back(client: Any) -> None:
    page = client.get("/search?offset=100000").text
    assert "Nothing on this page: there are" in page and "Back to the first page" in page
    assert 'href="/search?offset=0"' in page and 'rel="prev"' not in page
    assert not re.search(r"\b0–\d+ of", page)  # was "0–48 of 48"


def test_no_facet_links_to_a_speaker_called_none(client: Any) -> None:
    page = client.get("/search").text
    assert "speaker=None" not in page


def test_a_fault_is_a_500_page_without_a_traceback(corpus_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.web import views
    from onrecord.web.app import create_app

    def broken(conn: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "overview", broken)
    quiet = TestClient(create_app(corpus_db), base_url=BASE_URL, raise_server_exceptions=False)
    page = quiet.get("/")
    assert page.status_code == 500 and "something went wrong on onrecord" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text
    api = quiet.get("/api/")
    assert api.status_code in (404, 500) and "secret internals" not in api.text
