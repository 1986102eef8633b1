"""Judgements and re-analysis: corrections stored with who and when, applied by every query, kept
through `reanalyze` and applied to new articles; reanalyze picks only older versions unless told."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from corpus.sample import ARTICLES, build, write_jsonl
from onrecord import queries
from onrecord.corpus.build import ingest
from onrecord.corpus.judgements import correct_speaker, merge_actors, split_actor
from onrecord.corpus.reanalyze import reanalyze, version_key
from onrecord.errors import OnrecordError

RUSSIA, MOSCOW = "p-3c4f38c9ec8a", "p-8c82622f8d78"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("judgements"))


@pytest.fixture
def db(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "corpus.db"
    shutil.copy(pristine, copy)
    return copy


def _quote_id(db: Path, words: str) -> int:
    conn = sqlite3.connect(db)
    return int(conn.execute("SELECT id FROM quotes WHERE statement LIKE ?", (f"%{words}%",)).fetchone()[0])


def _speakers(db: Path, **filters: str) -> list[str]:
    conn = queries.open_db(db)
    return [r["actor"] for r in queries.quotes(conn, limit=100, **filters).rows]  # type: ignore[arg-type]


def _judge_all(db: Path) -> None:
    correct_speaker(db, _quote_id(db, "very proud"), "Ivanka Trump", author="ana", note="her words")
    merge_actors(db, RUSSIA, MOSCOW, author="ben")
    split_actor(db, "Dmitry Peskov", "Peskov", author="ana")


def _check_judged(db: Path) -> None:
    assert _speakers(db, search="very proud") == ["Ivanka Trump"]
    assert _speakers(db, search="nuclear weapon") == ["Donald Trump"]
    assert _speakers(db, speaker="Ivanka Trump") == ["Ivanka Trump"]
    conn = queries.open_db(db)
    assert conn.execute("SELECT count(*) FROM actors WHERE id = ?", (MOSCOW,)).fetchone()[0] == 0
    russia = queries.actor(conn, RUSSIA)
    assert russia is not None and {"Moscow", "Russia"} <= {a["alias"] for a in russia["aliases"]}
    assert _speakers(db, speaker="Dmitry Peskov") == ["Dmitry Peskov"]
    split_off = conn.execute("SELECT actor_id FROM quotes WHERE text LIKE '%one year,%'").fetchone()[0]
    assert split_off != "p-36751365fad6"
    assert queries.quotes(conn, search="Ivanka").total == 1  # the speaker column of the FTS index too


def test_judgements_are_applied_kept_and_listed(db: Path) -> None:
    _judge_all(db)
    _check_judged(db)
    conn = queries.open_db(db)
    listed = queries.judgements(conn).rows
    assert [(j["kind"], j["author"]) for j in listed] == [
        ("speaker", "ana"),
        ("merge", "ben"),
        ("split", "ana"),
    ]
    assert listed[0]["note"] == "her words" and listed[0]["made_at"]
    assert queries.judgements(conn, kind="merge").total == 1


def test_judgements_survive_reanalysis(db: Path) -> None:
    _judge_all(db)
    summary = reanalyze(db, everything=True, workers=1)
    assert summary.counts["reanalysed"] == 4 and summary.counts["failed"] == 0
    _check_judged(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM judgements").fetchone()[0] == 3
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fts = conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'treaty'").fetchone()[0]
    assert fts == conn.execute("SELECT count(*) FROM quotes WHERE statement LIKE '%treaty%'").fetchone()[0]


def test_new_articles_follow_merges(db: Path, tmp_path: Path) -> None:
    merge_actors(db, RUSSIA, MOSCOW)
    row = dict(ARTICLES[1], url="https://other.example/moscow", outlet="Other")
    ingest([str(write_jsonl(tmp_path / "more.jsonl", [row]))], db, workers=1)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM mentions WHERE actor_id = ?", (MOSCOW,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM actors WHERE id = ?", (MOSCOW,)).fetchone()[0] == 0


def test_bad_judgements_say_what_to_do(db: Path) -> None:
    with pytest.raises(OnrecordError, match="give one of these ids"):
        merge_actors(db, "Russia", "Moscow")  # "Moscow" is also an alias of Russia
    with pytest.raises(OnrecordError, match="no quote"):
        correct_speaker(db, 999, "Anyone")
    with pytest.raises(OnrecordError, match="already one actor"):
        merge_actors(db, RUSSIA, RUSSIA)
    with pytest.raises(OnrecordError, match="no article names"):
        split_actor(db, "Dmitry Peskov", "Vladimir")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM judgements").fetchone()[0] == 0


def test_reanalyze_only_older_versions_and_same_rows(db: Path) -> None:
    before = _rows(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET pipeline_version = '0.0.1' WHERE id = 1")
    conn.commit()
    assert reanalyze(db, workers=1).counts["reanalysed"] == 1
    assert reanalyze(db, workers=1).counts["reanalysed"] == 0
    assert _rows(db) == before
    assert version_key("0.10.0") > version_key("0.9.1")


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    sql = {
        "quotes": 'SELECT article_id, start, "end", actor_id, statement_id, date FROM quotes',
        "actors": "SELECT id, name, mentions FROM actors",
        "aliases": "SELECT * FROM actor_aliases",
        "roles": "SELECT * FROM actor_roles",
        "statements": "SELECT * FROM statements",
        "versions": "SELECT pipeline_version FROM articles",
    }
    return {name: sorted(conn.execute(q).fetchall(), key=repr) for name, q in sql.items()}
