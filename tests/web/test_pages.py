"""The pages and their JSON twins, called in process: content, paging, limits and the API schema."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from onrecord.web.reader import Layer, segments
from onrecord.web.views import safe_href


def json_of(client: Any, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def html_of(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


def test_overview_page_and_twin(client: Any) -> None:
    data = json_of(client, "/api/")
    assert data["totals"]["articles"] == 3
    assert data["totals"]["quotes"] == 5
    assert data["totals"]["first_published"] == "2020-01-07"
    assert [s["name"] for s in data["speakers"]][:2] == ["Dmitry Peskov", "Donald Trump"]
    assert data["latest"][0]["date"] == "2020-10-23"
    page = html_of(client, "/")
    assert "Dmitry Peskov" in page and "Example News" in page
    assert f"<dd>{data['totals']['quotes']}</dd>" in page


def test_search_finds_pages_and_counts_exactly(client: Any) -> None:
    data = json_of(client, "/api/search?q=treaty")
    assert data["total"] == 1
    assert data["rows"][0]["actor"] == "Dmitry Peskov"
    assert data["facets"]["speaker"] == [
        {"value": "Dmitry Peskov", "id": data["rows"][0]["actor_id"], "count": 1}
    ]
    assert data["facets"]["outlet"] == [{"value": "Example News", "count": 1}]
    assert "1–1 of 1" in html_of(client, "/search?q=treaty")

    everything = json_of(client, "/api/search?limit=2&offset=2")
    assert (everything["total"], len(everything["rows"]), everything["paging"]["next"]) == (5, 2, 4)
    assert json_of(client, "/api/search?speaker=Peskov")["total"] == 2
    assert json_of(client, "/api/search?month=2020-01")["total"] == 2
    assert json_of(client, "/api/search?outlet=example%20wire")["total"] == 2
    assert 'rel="next" href="/search?offset=3' in html_of(client, "/search?limit=3")


@pytest.mark.parametrize(
    "query",
    ["limit=501", "limit=0", "offset=-1", "month=2020-13", "month=Oct", "limit=many"],
)
def test_bad_paging_and_filters_are_rejected(client: Any, query: str) -> None:
    for path in ("/api/search", "/search", "/api/actors", "/api/timeline"):
        if "month" in query and path != "/api/search" and path != "/search":
            continue
        assert client.get(f"{path}?{query}").status_code == 422


def test_limit_of_500_is_allowed(client: Any) -> None:
    assert json_of(client, "/api/search?limit=500")["limit"] == 500


@pytest.mark.parametrize(
    "term",
    [
        "'; DROP TABLE quotes; --",
        'treaty" OR 1=1 --',
        "' OR '1'='1",
        "NEAR(treaty year) OR *",
        '"',
        "%",
        "_",
        "\\",
        "1); DELETE FROM actors; --",
    ],
)
def test_injection_looking_terms_are_just_words(client: Any, term: str) -> None:
    for name in ("q", "speaker", "outlet", "attitude"):
        data = client.get("/api/search", params={name: term}).json()
        # A search without a letter or digit has no word to look for: it is no search (all 5).
        wordless = not any(c.isalnum() for c in term)
        assert data["total"] == (5 if wordless and name == "q" else 0), (name, term)
    assert client.get("/api/timeline", params={"q": term}).status_code == 200
    assert client.get("/api/actors", params={"q": term}).status_code == 200
    assert client.get("/api/actors/" + term.replace("/", "")).status_code in (200, 404)
    assert json_of(client, "/api/")["totals"]["quotes"] == 5


def test_csv_download_has_every_row(client: Any) -> None:
    response = client.get("/api/search.csv?speaker=Peskov")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2 == int(response.headers["x-total-count"])
    assert {r["actor"] for r in rows} == {"Dmitry Peskov"}


def test_csv_defuses_formula_cells() -> None:
    from onrecord.web.downloads import to_csv

    text = to_csv([{"id": 1, "statement": '=HYPERLINK("x")', "speaker": "@SUM(1)"}])
    assert "'=HYPERLINK" in text and "'@SUM" in text


def test_article_reader_marks_quotes_speakers_cues_and_dates(client: Any) -> None:
    data = json_of(client, "/api/articles/1")
    assert "".join(s["text"] for s in data["segments"]) == data["text"]
    quote = data["quotes"][0]
    assert (quote["speaker"], quote["cue"], quote["colour"]) == ("Dmitry Peskov", "said", "c0")
    assert quote["evidence"][0] == "Kremlin spokesman Dmitry Peskov -> Dmitry Peskov"
    page = html_of(client, "/articles/1")
    assert (
        '<span class="c0 mention" title="speaker: Dmitry Peskov">Kremlin spokesman Dmitry Peskov</span>'
        in page
    )
    assert f'id="q{quote["id"]}"' in page and f'href="#q{quote["id"]}"' in page
    assert '<span class="c0 cue" title="cue: say (neutral)">said</span>' in page
    assert 'data-value="2020-10-19">Monday</span>' in page
    assert "Kremlin spokesman Dmitry Peskov -&gt; Dmitry Peskov" in page  # the evidence, on hover and aside


def test_article_speakers_get_their_own_colours(client: Any) -> None:
    data = json_of(client, "/api/articles/2")
    assert {q["colour"] for q in data["quotes"]} == {"c0", "c1"}  # Donald Trump and Ivanka Trump


def test_actor_page_profile_chart_and_statements(client: Any) -> None:
    peskov = json_of(client, "/api/search?speaker=Peskov")["rows"][0]["actor_id"]
    data = json_of(client, f"/api/actors/{peskov}")
    assert data["actor"]["name"] == "Dmitry Peskov"
    assert data["statements"]["total"] == 2
    [bar] = data["chart"]["bars"]  # both said on one day: one bar, a day wide
    assert (bar["label"], bar["statements"], bar["height"]) == ("2020-10-19", 2, 140.0)
    assert bar["href"] == f"/search?speaker={peskov}&since=2020-10-19&until=2020-10-19"
    assert json_of(client, "/api/actors/Peskov")["actor"]["id"] == peskov
    page = html_of(client, f"/actors/{peskov}")
    assert "<svg" in page and page.count('<rect class="hit"') == 1
    assert "spokesperson" in page and "<li>Peskov <span" in page
    assert json_of(client, "/api/actors?q=trump")["total"] == 2  # Donald Trump and Ivanka Trump


def test_statements_newest_first_on_actor_page(client: Any) -> None:
    trump = json_of(client, "/api/actors/Donald Trump")
    ids = [r["id"] for r in trump["statements"]["rows"]]
    assert ids == sorted(ids, reverse=True)


def test_timeline_for_actor_and_words(client: Any) -> None:
    data = json_of(client, "/api/timeline?q=Peskov")
    assert {e["kind"] for e in data["rows"]} == {"statement", "article"}
    assert json_of(client, "/api/timeline?q=council")["total"] >= 1
    assert json_of(client, "/api/timeline")["total"] == 0
    assert "Dmitry Peskov" in html_of(client, "/timeline?q=Peskov")


def test_missing_things_are_404(client: Any) -> None:
    assert client.get("/api/articles/999").json() == {"detail": "no article 999"}
    assert client.get("/articles/999").status_code == 404
    assert client.get("/actors/Nobody%20Atall").status_code == 404
    assert client.get("/api/actors/Nobody%20Atall").status_code == 404


def test_openapi_schema_and_local_docs(client: Any) -> None:
    schema = json_of(client, "/openapi.json")
    assert {"/api/", "/api/search", "/api/articles/{article_id}", "/api/quotes/{quote_id}/speaker"} <= set(
        schema["paths"]
    )
    assert "/search" not in schema["paths"]
    docs = html_of(client, "/docs")
    assert (
        "/api/search" in docs
        and "//" not in docs.replace("http://", "").split("<main>")[1].split("</main>")[0]
    )
    assert client.get("/redoc").status_code == 404
    assert client.get("/static/onrecord.css").status_code == 200


def test_security_headers_and_foreign_hosts(client: Any) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    # not no-referrer: under it Chromium sends "Origin: null" with this site's own form posts
    assert response.headers["referrer-policy"] == "same-origin"
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_segments_cut_overlaps_and_drop_bad_offsets() -> None:
    pieces = segments(
        "abcdef", [Layer(1, 4, ("quote",), "q"), Layer(3, 5, ("timex",), "t"), Layer(4, 99, ("x",))]
    )
    assert [(p["text"], p["classes"]) for p in pieces] == [
        ("a", []), ("bc", ["quote"]), ("d", ["quote", "timex"]), ("e", ["timex"]), ("f", []),
    ]  # fmt: skip


def test_only_web_addresses_become_links() -> None:
    assert safe_href("https://example.org/a") == "https://example.org/a"
    assert safe_href("javascript://x/%0Aalert(1)") is None
    assert safe_href("JaVaScRiPt:alert(1)") is None
    assert safe_href("data:text/html,<b>") is None
