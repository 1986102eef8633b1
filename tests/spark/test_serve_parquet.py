"""`onrecord serve --parquet`: the Spark output loaded into a SQLite store serves what the ingest serves.

The output of the session's Spark run (tests/spark/conftest.py) is loaded by ``store/load.py`` and
served in process; every JSON answer must equal the one served from the SQLite ingest of the same
inputs, compared on content (the two stores number articles, quotes and statements differently).
"""

from __future__ import annotations

import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

BASE_URL = "http://127.0.0.1"
# Numbered differently by the two stores: row ids, and the links and anchors built from them.
IDS = {"id", "article_id", "statement_id", "story_id", "ref", "quote_id", "href", "url_path", "anchor"}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def loaded(output: tuple[Path, Any], cache: Path) -> Path:
    import os

    from onrecord.store.load import load

    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        first = load(output[0])
        again = load(output[0])
    finally:
        del os.environ["XDG_CACHE_HOME"]
    assert first.built and not again.built and again.path == first.path
    assert first.path.is_relative_to(cache), "the cache is not written inside the output"
    return first.path


@pytest.fixture(scope="module")
def from_parquet(loaded: Path) -> TestClient:
    from onrecord.cli.serve import READ_ONLY
    from onrecord.web.app import create_app

    return TestClient(create_app(loaded, read_only=READ_ONLY), base_url=BASE_URL)


@pytest.fixture(scope="module")
def from_sqlite(database: Path) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(database), base_url=BASE_URL)


def _content(value: Any) -> Any:
    """A JSON answer without the stores' own numbering (ids and the links made of them)."""
    if isinstance(value, dict):
        return {k: _content(v) for k, v in value.items() if k not in IDS and not k.endswith("_id")}
    if isinstance(value, list):
        return [_content(v) for v in value]
    return re.sub(r"#\d+", "#", value) if isinstance(value, str) else value  # "direct quote #102"


def _keys(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {str(key): int(i) for i, key in conn.execute("SELECT id, key FROM articles")}
    finally:
        conn.close()


def _get(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.json()


@pytest.mark.parametrize(
    "query",
    [
        "limit=500",
        "q=treaty",
        "q=nuclear&limit=5&offset=1",
        "speaker=Peskov",
        "outlet=Example+News",
        "month=2020-10",
        "facets=all&limit=500",
    ],
)
def test_search_answers_as_the_ingest(query: str, from_parquet: TestClient, from_sqlite: TestClient) -> None:
    expected = _get(from_sqlite, f"/api/search?{query}")
    assert expected["total"] > 0, "the search finds something"
    assert _content(_get(from_parquet, f"/api/search?{query}")) == _content(expected)


def test_every_article_reads_as_in_the_ingest(
    loaded: Path, database: Path, from_parquet: TestClient, from_sqlite: TestClient
) -> None:
    ours, theirs = _keys(loaded), _keys(database)
    assert ours.keys() == theirs.keys() and len(ours) > 3
    quoted = 0
    for key, article_id in theirs.items():
        expected = _get(from_sqlite, f"/api/articles/{article_id}")
        assert _content(_get(from_parquet, f"/api/articles/{ours[key]}")) == _content(expected), key
        quoted += bool(expected.get("quotes"))
    assert quoted >= 2, "articles with quotes were compared"


def test_every_actor_page_answers_as_the_ingest(
    database: Path, from_parquet: TestClient, from_sqlite: TestClient
) -> None:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        actor_ids = [str(row[0]) for row in conn.execute("SELECT id FROM actors ORDER BY mentions DESC")]
    finally:
        conn.close()
    assert len(actor_ids) > 5
    for actor_id in actor_ids:
        expected = _get(from_sqlite, f"/api/actors/{actor_id}?limit=500")
        assert _content(_get(from_parquet, f"/api/actors/{actor_id}?limit=500")) == _content(expected)
    overview = _get(from_sqlite, "/api/")
    assert _content(_get(from_parquet, "/api/")) == _content(overview)


def test_served_from_parquet_refuses_corrections(from_parquet: TestClient, loaded: Path) -> None:
    quote_id = _get(from_parquet, "/api/search?q=treaty")["rows"][0]["id"]
    response = from_parquet.post(f"/api/quotes/{quote_id}/speaker", json={"speaker": "Donald Trump"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"] and "--db" in response.json()["detail"]
    page = from_parquet.post("/actors/p-x/merge", data={"absorb": "p-y"})
    assert page.status_code == 403 and "read-only" in page.text
    conn = sqlite3.connect(f"file:{loaded}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM judgements").fetchone()[0] == 0
    finally:
        conn.close()


def test_own_db_takes_corrections_and_is_kept(output: tuple[Path, Any], tmp_path: Path) -> None:
    from onrecord.store.load import load
    from onrecord.web.app import create_app

    db = tmp_path / "mine.db"
    assert load(output[0], db).built and not load(output[0], db).built
    client = TestClient(create_app(db), base_url=BASE_URL)
    row = _get(client, "/api/search?q=treaty")["rows"][0]
    answer = client.post(f"/api/quotes/{row['id']}/speaker", json={"speaker": "Donald Trump", "author": "bo"})
    assert answer.status_code == 200, answer.text
    assert _get(client, "/api/search?q=treaty")["rows"][0]["actor"] == "Donald Trump"
    assert not load(output[0], db).built, "an unchanged output keeps the store and its judgement"


def test_a_store_not_loaded_from_the_output_is_never_overwritten(
    output: tuple[Path, Any], database: Path, tmp_path: Path
) -> None:
    import shutil

    from onrecord.errors import OnrecordError
    from onrecord.store.load import load

    copy = tmp_path / "ingested.db"
    shutil.copy(database, copy)
    before = copy.read_bytes()
    with pytest.raises(OnrecordError, match="not loaded from"):
        load(output[0], copy)
    assert copy.read_bytes() == before


def test_cli_serve_parquet_reports_a_bad_folder_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from onrecord.cli.main import main

    result = CliRunner().invoke(main, ["serve", "--parquet", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        result.output.strip().count("\n") == 0 and "not a finished onrecord Parquet output" in result.output
    )


def test_loaded_store_has_the_triggers_and_exact_tallies(loaded: Path, database: Path) -> None:
    from onrecord.store.schema import recount

    def triggers(db: Path) -> list[str]:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return sorted(
                str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            )
        finally:
            conn.close()

    assert triggers(loaded) == triggers(database), "the triggers are back after the bulk load"
    copy = sqlite3.connect(":memory:")
    sqlite3.connect(f"file:{loaded}?mode=ro", uri=True).backup(copy)
    before = sorted(copy.execute("SELECT * FROM tallies").fetchall())
    recount(copy)
    assert before and sorted(copy.execute("SELECT * FROM tallies").fetchall()) == before
