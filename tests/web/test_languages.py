"""The language facet: on the search page when the corpus has several languages, each a link that
narrows the search; each statement's language on a multilingual actor's page, their names with
theirs; the overview's languages, each a way into the search."""

from __future__ import annotations

import csv
import io
import re
import warnings
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from corpus.bilingual import HOSTILE, bilingual_db
from web.test_hostile import assert_inert

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PESKOV = "p-36751365fad6"  # the actor id of "Dmitry Peskov" (a hash of the name)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bilingual_db(tmp_path_factory)


@pytest.fixture(scope="module")
def bilingual(db: Path) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(db), base_url="http://127.0.0.1")


def get(client: Any, path: str, **params: Any) -> Any:
    response = client.get(path, params=params) if params else client.get(path)  # {} would drop path's query
    assert response.status_code == 200, response.text
    return response.json() if path.startswith("/api/") else response.text


def facet_block(page: str) -> str:
    found = re.search(r'<section class="facet-language">.*?</section>', page, re.S)
    assert found, "no language facet on the page"
    return found.group(0)


def links(html: str) -> list[tuple[str, str]]:
    """Each link's text and its address, as a browser would follow it."""
    return [
        (unescape(re.sub(r"<[^>]+>", "", text)).strip(), unescape(href))
        for href, text in re.findall(r'<a[^>]* href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    ]


def test_the_facet_lists_both_languages_with_their_counts(bilingual: Any) -> None:
    data = get(bilingual, "/api/search")
    counts = {f["value"]: f["count"] for f in data["facets"]["language"]}
    assert set(counts) == {"en", "de"} and sum(counts.values()) == data["total"]
    assert [(lang["code"], lang["name"]) for lang in data["languages"]] == [
        ("en", "English"),
        ("de", "German"),
    ]
    block = facet_block(get(bilingual, "/search"))
    shown = dict(links(block))
    assert shown == {"English (en)": "/search?language=en", "German (de)": "/search?language=de"}
    assert f'German (de)</a> <span class="count">{counts["de"]}</span>' in block
    assert "Italian" not in block  # stored, never analysed: no statements to narrow to


def test_clicking_a_language_narrows_the_search_to_its_statements(bilingual: Any) -> None:
    everything = get(bilingual, "/api/search", limit=500)
    german = [row for row in everything["rows"] if row["language"] == "de"]
    href = dict(links(facet_block(get(bilingual, "/search"))))["German (de)"]
    page = get(bilingual, href)
    data = get(bilingual, "/api" + href + "&limit=500")
    assert data["query"] == {"language": "de"}
    assert data["rows"] == german and data["total"] == len(german) > 0
    assert {row["actor"] for row in german} >= {"Klaus Berger", "Dmitry Peskov"}
    assert "Klaus Berger" in page and "Donald Trump" not in page
    assert f"1–{len(german)} of {len(german)}" in page
    block = facet_block(page)
    assert '<strong aria-current="true">German (de)</strong>' in block
    assert links(block) == [("all languages", "/search?")]  # the way back: the current one is no link
    assert get(bilingual, "/api/search")["total"] == everything["total"]
    # Mixed, each statement says its language; narrowed to one, none needs to.
    rows = re.findall(r'<li class="statement">.*?</li>', get(bilingual, "/search"), re.S)
    assert rows and all(
        re.search(r'<span class="language">(English \(en\)|German \(de\))</span>', r) for r in rows
    )
    assert not re.search(r'<li class="statement">((?!</li>).)*class="language"', page, re.S)


def test_the_language_stays_with_the_other_filters_links_and_the_download(bilingual: Any) -> None:
    page = get(bilingual, "/search", q="Hafen", language="de")
    speaker_links = [h for t, h in links(page) if t == "Klaus Berger" and h.startswith("/search?")]
    assert speaker_links and all("language=de" in h and "q=Hafen" in h for h in speaker_links)
    assert '<option value="de" selected>German (de)</option>' in page  # the form keeps it too
    download = next(h for _t, h in links(page) if h.startswith("/api/search.csv"))
    assert "language=de" in download
    rows = list(csv.DictReader(io.StringIO(bilingual.get(download).text)))
    assert rows and {r["actor"] for r in rows} == {"Klaus Berger"}
    assert len(rows) == get(bilingual, "/api/search", q="Hafen", language="de")["total"]
    assert not get(bilingual, "/api/search", q="Hafen", language="en")["rows"]
    english = list(csv.DictReader(io.StringIO(bilingual.get("/api/search.csv?language=en").text)))
    assert english and not {"Klaus Berger", "Dmitri Peskow"} & {r["actor"] for r in english}
    assert len(english) == get(bilingual, "/api/search", language="en")["total"]


def test_a_code_is_read_leniently_and_an_unknown_one_finds_nothing(bilingual: Any) -> None:
    assert get(bilingual, "/api/search", language=" DE ")["query"] == {"language": "de"}
    assert get(bilingual, "/api/search", language="")["query"] == {}  # the form's "any language"
    unknown = get(bilingual, "/api/search", language="xx")
    assert (unknown["total"], unknown["rows"], unknown["facets"]["language"]) == (0, [], [])
    page = get(bilingual, "/search", language="xx")
    assert "No results" in page and "Only xx" in page and "all languages" in page


@pytest.mark.parametrize("value", ["deu", "d", "1", "<script>", HOSTILE, "de&q=x", "\x00"])
@pytest.mark.parametrize("path", ["/api/search", "/search", "/api/search.csv"])
def test_a_malformed_code_is_a_clear_422(bilingual: Any, path: str, value: str) -> None:
    response = bilingual.get(path, params={"language": value})
    assert response.status_code == 422
    if not path.startswith("/api/"):  # a page in the site's layout, saying it in words
        assert "two letters (ISO 639-1)" in response.text and "<h1>422</h1>" in response.text
        return
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "language"] and "two letters (ISO 639-1)" in error["msg"]


def test_hostile_values_around_the_facet_stay_inert(bilingual: Any) -> None:
    page = get(bilingual, "/search", language="de")
    assert_inert(page)
    assert "Beispielzeitung &lt;script&gt;" in page  # the hostile outlet is shown, as text
    assert_inert(get(bilingual, "/search", language="de", q=HOSTILE, speaker=HOSTILE))
    outlets = {o["value"] for o in get(bilingual, "/api/search", language="de")["facets"]["outlet"]}
    assert f"Beispielzeitung {HOSTILE}" in outlets  # the JSON keeps it as it is (JSON is not HTML)


def test_one_language_corpus_shows_no_facet_unless_a_language_is_chosen(client: Any) -> None:
    data = get(client, "/api/search")
    assert "language" not in data["facets"] and data["languages"] == []
    page = get(client, "/search")
    assert "facet-language" not in page and 'name="language"' not in page
    chosen = get(client, "/search", language="en")
    assert "Only English (en)" in facet_block(chosen) and '<option value="en" selected>' in chosen
    bogus = get(client, "/search", language="xx")  # kept in the form, to be cleared there or by link
    assert '<option value="xx" selected>xx</option>' in bogus and "No results" in bogus


def test_a_multilingual_actor_shows_each_statements_language_and_names_by_language(bilingual: Any) -> None:
    data = get(bilingual, f"/api/actors/{PESKOV}")
    assert data["several_languages"] is True
    aliases = {a["alias"]: a["languages"] for a in data["actor"]["aliases"]}
    assert aliases["Dmitry Peskov"] == "en" and aliases["Dmitri Peskow"] == "de"
    assert {row["language"] for row in data["statements"]["rows"]} == {"en", "de"}
    page = get(bilingual, f"/actors/{PESKOV}")
    names = re.search(r'<ul class="plain aliases">.*?</ul>', page, re.S)
    assert names
    assert 'Dmitri Peskow <span class="language">German (de)</span>' in names.group(0)
    assert 'Dmitry Peskov <span class="language">English (en)</span>' in names.group(0)
    rows = re.findall(r'<li class="statement">.*?</li>', page, re.S)
    assert len(rows) == data["statements"]["total"]
    assert all(re.search(r'<span class="language">(English \(en\)|German \(de\))</span>', r) for r in rows)
    assert sum("German (de)" in r for r in rows) == sum(
        r["language"] == "de" for r in data["statements"]["rows"]
    )


def test_an_actor_quoted_in_one_language_shows_no_language_on_the_rows(bilingual: Any) -> None:
    (berger,) = [s for s in get(bilingual, "/api/")["speakers"] if s["name"] == "Klaus Berger"]
    data = get(bilingual, f"/api/actors/{berger['id']}")
    assert data["several_languages"] is False
    page = get(bilingual, f"/actors/{berger['id']}")
    assert 'Klaus Berger <span class="language">German (de)</span>' in page  # the name's language
    rows = re.findall(r'<li class="statement">.*?</li>', page, re.S)
    assert rows and not any('class="language"' in r for r in rows)


def test_the_overview_lists_the_languages_each_a_way_into_the_search(bilingual: Any) -> None:
    data = get(bilingual, "/api/")
    assert data["totals"]["languages"] == {"en": 3, "de": 2, "it": 1}
    assert [(x["code"], x["analysed"]) for x in data["languages"]] == [
        ("en", True),
        ("de", True),
        ("it", False),
    ]
    page = get(bilingual, "/")
    section = re.search(r'<section class="languages">.*?</section>', page, re.S)
    assert section
    assert links(section.group(0)) == [
        ("English (en)", "/search?language=en"),
        ("German (de)", "/search?language=de"),
    ]
    assert 'Italian (it) <span class="note">(not analysed: no language pack)</span>' in section.group(0)
    german = get(bilingual, "/api/search", language="de")
    assert german["total"] and {row["language"] for row in german["rows"]} == {"de"}
