"""Speaker confidences in the store: written, migrated into older stores, counted in the tallies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onrecord.corpus.judgements import correct_speaker
from onrecord.store.schema import CONFIDENT, MIGRATIONS, recount
from onrecord.store.sqlite import connect
from store.scored import PESKOV, RYABKOV, SURE, UNSURE, build_scored


def _confidences(db: Path) -> list[tuple[str | None, float | None]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT actor_id, confidence FROM quotes ORDER BY start")]
    finally:
        conn.close()


def _tally(db: Path, subject: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT value, count FROM tallies WHERE subject = ? AND count != 0", (subject,))
        return {str(v): int(c) for v, c in rows}
    finally:
        conn.close()


def _in_step(db: Path) -> None:
    """The kept tallies equal a count from scratch (computed, then rolled back)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        sql = "SELECT subject, value, count FROM tallies WHERE count != 0 ORDER BY 1, 2"
        kept = conn.execute(sql).fetchall()
        conn.execute("BEGIN")
        recount(conn)
        fresh = conn.execute(sql).fetchall()
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert kept == fresh


def test_confidence_round_trips_through_the_store(tmp_path: Path) -> None:
    db = build_scored(tmp_path)
    assert _confidences(db) == [(PESKOV, SURE), (RYABKOV, UNSURE), (None, None), (PESKOV, None)]


def test_confident_statements_are_tallied_per_actor(tmp_path: Path) -> None:
    db = build_scored(tmp_path)
    assert UNSURE < CONFIDENT <= SURE
    assert _tally(db, "quotes.actor") == {PESKOV: 2, RYABKOV: 1, "": 1}  # every quote
    # Peskov's sure quote and his never-scored one; Ryabkov's only quote is below CONFIDENT.
    assert _tally(db, "quotes.actor.confident") == {PESKOV: 2}
    _in_step(db)


def test_a_corrected_speaker_is_certain_and_counted(tmp_path: Path) -> None:
    db = build_scored(tmp_path)
    conn = sqlite3.connect(db)
    quote_id = conn.execute("SELECT id FROM quotes WHERE actor_id = ?", (RYABKOV,)).fetchone()[0]
    conn.close()
    correct_speaker(db, quote_id, "Sergei Ryabkov", author="ana")  # a person confirms the speaker
    assert (RYABKOV, 1.0) in _confidences(db)
    assert _tally(db, "quotes.actor.confident") == {PESKOV: 2, RYABKOV: 1}
    _in_step(db)


def test_an_older_store_gains_the_column_and_its_tally(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    before = [name for name, _ in MIGRATIONS].index("m006_confidence")
    for name, migration in MIGRATIONS[:before]:  # a store made before confidences
        migration(conn)
        conn.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (name,))
    conn.execute(
        "INSERT INTO actors (id, name, type, surname) VALUES (?, 'Dmitry Peskov', 'person', 'peskov')",
        (PESKOV,),
    )
    conn.execute(
        "INSERT INTO articles (id, key, content_hash, analysed, format, text, analysis, pipeline_version,"
        " published) VALUES (1, 'k', 'h', 1, 'text', 'x', '{}', '0.0.1', '2020-10-22')"
    )
    for at in range(2):  # two statements (two spans: one span twice would be one statement in pieces)
        conn.execute(
            'INSERT INTO quotes (article_id, actor_id, kind, start, "end", text, content_start, content_end,'
            " statement, pipeline_version) VALUES (1, ?, 'direct', ?, ?, 'x', ?, ?, 'x', '0.0.1')",
            (PESKOV, at, at + 1, at, at + 1),
        )
    assert "confidence" not in {row[1] for row in conn.execute("PRAGMA table_info(quotes)")}
    conn.close()

    connect(db).close()  # migrates
    assert _confidences(db) == [(PESKOV, None), (PESKOV, None)]  # nothing scored them
    assert _tally(db, "quotes.actor.confident") == {PESKOV: 2}  # so they count, as before
    _in_step(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE quotes SET confidence = 0.1 WHERE id = 1")  # the triggers follow a new score
    conn.close()
    assert _tally(db, "quotes.actor.confident") == {PESKOV: 1}
    _in_step(db)
