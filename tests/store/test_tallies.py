"""Totals kept at write time (``tallies``): equal to a fresh count after every kind of write."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from corpus.sample import ARTICLES, build, write_jsonl
from onrecord import queries
from onrecord.corpus.build import ingest
from onrecord.corpus.judgements import correct_speaker, merge_actors, split_actor
from onrecord.corpus.reanalyze import reanalyze
from onrecord.store.schema import recount
from onrecord.store.sqlite import connect

RUSSIA, MOSCOW = "p-3c4f38c9ec8a", "p-8c82622f8d78"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("tallies"))


@pytest.fixture
def db(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "corpus.db"
    shutil.copy(pristine, copy)
    return copy


def _kept(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    rows = conn.execute("SELECT subject, value, count FROM tallies WHERE count != 0 ORDER BY 1, 2")
    return [tuple(row) for row in rows]


def _assert_in_step(db: Path) -> list[tuple[str, str, int]]:
    """The kept tallies equal a count from scratch (computed, then rolled back)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        kept = _kept(conn)
        conn.execute("BEGIN")
        recount(conn)
        fresh = _kept(conn)
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert kept == fresh
    return kept


def _count(db: Path, subject: str, value: str = "") -> int:
    conn = queries.open_db(db)
    try:
        return queries.tally(conn, subject, [value])
    finally:
        conn.close()


def _quote_id(db: Path, words: str) -> int:
    conn = sqlite3.connect(db)
    return int(conn.execute("SELECT id FROM quotes WHERE statement LIKE ?", (f"%{words}%",)).fetchone()[0])


def test_ingest_and_reingest(db: Path, tmp_path: Path) -> None:
    first = _assert_in_step(db)
    subjects = {subject for subject, _, _ in first}
    assert {"quotes", "quotes.actor", "quotes.outlet", "quotes.month", "articles", "statements"} <= subjects
    conn = sqlite3.connect(db)
    assert _count(db, "quotes") == conn.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
    conn.close()
    source = write_jsonl(tmp_path / "again.jsonl", ARTICLES)
    ingest([str(source)], db, workers=1)  # the same articles: nothing changes
    assert _assert_in_step(db) == first
    extra = dict(ARTICLES[0], url="https://news.example.org/another", date="2021-03-02")
    extra["text"] = 'Dmitry Peskov said: "Talks will resume in spring." ' + extra["text"]
    ingest([str(write_jsonl(tmp_path / "new.jsonl", [extra]))], db, workers=1)
    assert _count(db, "articles") == 5 and _count(db, "quotes.month", "2021-03") >= 1
    _assert_in_step(db)


def test_corrections_move_counts(db: Path) -> None:
    quote = _quote_id(db, "very proud")
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT actor_id FROM quotes WHERE id = ?", (quote,)).fetchone()[0]
    conn.close()
    was = _count(db, "quotes.actor", before)
    judgement = correct_speaker(db, quote, "Jane Roe", author="ana")  # a new person
    _assert_in_step(db)
    assert _count(db, "quotes.actor", judgement.value) == 1
    assert _count(db, "quotes.actor", before) == was - 1
    merge_actors(db, RUSSIA, MOSCOW, author="ben")
    assert _count(db, "quotes.actor", MOSCOW) == 0
    _assert_in_step(db)
    split_actor(db, "Dmitry Peskov", "Peskov", author="ana")
    _assert_in_step(db)


def test_reanalysis_keeps_counts(db: Path) -> None:
    correct_speaker(db, _quote_id(db, "very proud"), "Ivanka Trump", author="ana")
    before = _assert_in_step(db)
    summary = reanalyze(db, everything=True, workers=1)
    assert summary.counts["reanalysed"] == 4
    assert _assert_in_step(db) == before  # same pipeline, same judgements: the same totals


def test_migration_counts_an_existing_store(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE quotes SET confidence = NULL")  # a store of before confidences scored none
    conn.close()
    expected = _assert_in_step(db)
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%'"
    ):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP INDEX quotes_facets")
    conn.execute("DROP INDEX articles_outlets")
    conn.execute("DROP TABLE tallies")
    conn.execute("ALTER TABLE quotes DROP COLUMN confidence")  # m006 came later still
    conn.execute("DELETE FROM migrations WHERE name IN ('m004_tallies', 'm006_confidence')")
    conn.close()
    connect(db).close()  # an onrecord of before the tallies opened it: migrated now
    assert _assert_in_step(db) == expected


def test_an_article_moving_outlet_takes_its_counts(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    article, outlet = conn.execute(
        "SELECT a.id, a.outlet_id FROM articles a JOIN quotes q ON q.article_id = a.id LIMIT 1"
    ).fetchone()
    other = conn.execute("SELECT id FROM outlets WHERE id != ? LIMIT 1", (outlet,)).fetchone()[0]
    conn.execute("UPDATE articles SET outlet_id = ? WHERE id = ?", (other, article))
    conn.close()
    _assert_in_step(db)
    profile_conn = queries.open_db(db)
    speaker = profile_conn.execute("SELECT actor_id FROM quotes WHERE article_id = ?", (article,)).fetchone()[
        0
    ]
    profile = queries.actor(profile_conn, speaker)
    assert profile is not None
    counted = profile_conn.execute(
        "SELECT o.name, count(*) FROM quotes q JOIN articles a ON a.id = q.article_id"
        " JOIN outlets o ON o.id = a.outlet_id WHERE q.actor_id = ? GROUP BY o.name ORDER BY 2 DESC, 1",
        (speaker,),
    ).fetchall()
    assert [(o["outlet"], o["statements"]) for o in profile["outlets"]] == [tuple(r) for r in counted]
    profile_conn.close()
