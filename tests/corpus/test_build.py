"""The ingest run: jsonl -> store; counts, idempotence, language routing, failures kept, stories."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corpus.sample import ARTICLES, build, write_jsonl
from onrecord.corpus.build import canonical_url, ingest


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("build"))


def test_first_run_counts(db: Path) -> None:
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT 'runs', count(*) FROM runs").fetchall())
    assert counts == {"runs": 1}
    run = conn.execute("SELECT new, near_duplicates, not_analysed, failed FROM runs").fetchone()
    assert run == (4, 1, 1, 1)
    failure = conn.execute("SELECT source, record, kind, reason FROM failures").fetchone()
    assert failure[0].endswith("articles.jsonl") and failure[1] == "line 2" and failure[2] == "failed"
    assert "not valid JSON" in failure[3]


def test_rerun_changes_nothing(db: Path, tmp_path: Path) -> None:
    before = _snapshot(db)
    summary = ingest([str(db.parent / "articles.jsonl")], db, workers=1)
    assert summary.counts["new"] == 0 and summary.counts["unchanged"] == 4
    assert summary.counts["failed"] == 1  # a failure is retried, and kept once
    assert _snapshot(db) == before


def test_language_routing(db: Path) -> None:
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT language, analysed FROM articles WHERE language != 'en'").fetchall())
    assert rows == {"it": 0}  # Italian: no language pack, stored with its structure only
    italian = conn.execute("SELECT id FROM articles WHERE language = 'it'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM quotes WHERE article_id = ?", (italian,)).fetchone()[0] == 0


def test_syndicated_copies_share_a_story(db: Path) -> None:
    conn = sqlite3.connect(db)
    stories = conn.execute(
        "SELECT story_id FROM articles WHERE url LIKE '%treaty' OR url LIKE '%offer'"
    ).fetchall()
    assert len({s[0] for s in stories}) == 1
    assert conn.execute("SELECT max(articles) FROM stories").fetchone()[0] == 2


def test_keys_and_pipeline_version(db: Path) -> None:
    conn = sqlite3.connect(db)
    keys = [row[0] for row in conn.execute("SELECT key FROM articles ORDER BY id")]
    assert keys[0] == "https://news.example.org/kremlin-treaty"
    assert conn.execute("SELECT count(*) FROM quotes WHERE pipeline_version = ''").fetchone()[0] == 0


def test_same_text_without_url_keyed_by_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLES[2]["text"], encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLES[2]["text"] + "\n", encoding="utf-8")
    summary = ingest([str(tmp_path)], tmp_path / "x.db", workers=1)
    assert summary.counts["new"] == 1 and summary.counts["unchanged"] == 1


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://Example.ORG/a?utm_source=x&id=3#top") == "https://example.org/a?id=3"
    assert canonical_url("not a url") is None


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    tables = (
        "articles",
        "actors",
        "actor_aliases",
        "actor_roles",
        "mentions",
        "quotes",
        "statements",
        "stories",
    )
    snap = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}  # noqa: S608
    snap["failures"] = conn.execute("SELECT source, record, reason FROM failures").fetchall()
    return snap


def test_write_jsonl_helper(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", ARTICLES[:1])
    assert path.read_text(encoding="utf-8").count("\n") == 1
