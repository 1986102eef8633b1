"""Speaker confidences on the web: the min_confidence search filter, and uncertain speakers shown as such."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from store.scored import PESKOV, SURE, UNSURE, build_scored
from web.conftest import BASE_URL, TestClient
from web.sample import HOSTILE_SCRIPT
from web.test_pages import html_of, json_of


@pytest.fixture(scope="module")
def scored_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scored(tmp_path_factory.mktemp("web-scored"))


@pytest.fixture(scope="module")
def scored(scored_db: Path) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(scored_db), base_url=BASE_URL)


def _article_id(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT id FROM articles").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("bad", ["2", "-0.5", "nan", "inf", "high"])
def test_min_confidence_outside_zero_to_one_is_a_422(scored: TestClient, bad: str) -> None:
    for path in ("/api/search", "/api/search.csv"):
        response = scored.get(path, params={"min_confidence": bad})
        assert response.status_code == 422, (path, bad)
        assert response.json()["detail"][0]["loc"] == ["query", "min_confidence"]


def test_search_rows_carry_confidence_and_the_filter_holds(scored: TestClient) -> None:
    every = json_of(scored, "/api/search?sort=oldest")
    assert [r["confidence"] for r in every["rows"]] == [SURE, UNSURE, None, None]
    sure = json_of(scored, "/api/search?min_confidence=0.5")
    assert [r["confidence"] for r in sure["rows"]] == [SURE] and sure["total"] == 1
    assert sure["query"] == {"min_confidence": 0.5}
    assert json_of(scored, "/api/search?q=treaty&min_confidence=0.2")["total"] == 2
    assert json_of(scored, "/api/search?min_confidence=")["total"] == 4  # a form's empty field: no minimum


def test_search_page_keeps_the_minimum_and_marks_uncertain_speakers(scored: TestClient) -> None:
    page = html_of(scored, "/search?min_confidence=0.2")
    assert 'name="min_confidence" value="0.2"' in page
    assert "(uncertain, 0.32)" in page and "unattributed" not in page
    assert "min_confidence=0.2" in page  # the CSV link and the facets keep it


def test_csv_download_keeps_the_minimum(scored: TestClient) -> None:
    response = scored.get("/api/search.csv", params={"min_confidence": 0.5})
    assert response.status_code == 200 and response.headers["x-total-count"] == "1"
    assert f",{PESKOV},{SURE}," in response.text


def test_most_quoted_counts_confident_attributions(scored: TestClient) -> None:
    speakers = json_of(scored, "/api/")["speakers"]
    assert [(s["id"], s["statements"]) for s in speakers] == [(PESKOV, 2)]  # Ryabkov's only quote: 0.32


def test_reader_shows_uncertain_and_unattributed_speakers(scored: TestClient, scored_db: Path) -> None:
    path = f"/articles/{_article_id(scored_db)}"
    quotes = json_of(scored, "/api" + path)["quotes"]
    assert [(q["certainty"], q["label"]) for q in quotes] == [
        ("confident", "Dmitry Peskov"),
        ("uncertain", "Sergei Ryabkov (uncertain, 0.32)"),
        ("unattributed", "unattributed"),
        ("confident", "Dmitry Peskov"),
    ]
    assert [q["confidence"] for q in quotes] == [SURE, UNSURE, None, None]
    page = html_of(scored, path)
    assert "Sergei Ryabkov (uncertain, 0.32)</a>" in page and ">unattributed</a>" in page
    assert 'class="said c1 uncertain"' in page and "unattributed" in page
    assert "speaker confidence: 0.93" in page  # the hover evidence


def test_an_uncertain_hostile_name_is_escaped(scored_db: Path, tmp_path: Path) -> None:
    from onrecord.web.app import create_app

    copy = tmp_path / "hostile.db"
    source = sqlite3.connect(scored_db)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.execute("UPDATE actors SET name = ? WHERE id != ?", (HOSTILE_SCRIPT, PESKOV))
    target.execute("UPDATE quotes SET speaker = ? WHERE confidence < 0.5", (HOSTILE_SCRIPT,))
    target.commit()
    target.close()
    client: Any = TestClient(create_app(copy), base_url=BASE_URL)
    page = html_of(client, f"/articles/{_article_id(copy)}")
    assert HOSTILE_SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (uncertain, 0.32)" in page
    listing = html_of(client, "/search?min_confidence=0.2")
    assert HOSTILE_SCRIPT not in listing and "(uncertain, 0.32)" in listing
