"""A statement told in pieces ('He said the talks would "continue" and "bring results"') is stored as
one quote row per piece, and listed, searched and counted once (migration m009_statement_pieces)."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

from onrecord import queries
from onrecord.store.schema import MIGRATIONS, recount
from onrecord.store.sqlite import connect, migrate
from web.sample import build

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PIECES = {
    "title": "Talks to continue",
    "text": 'Kremlin spokesman Dmitry Peskov said on Monday that the talks would "continue in good faith"'
    ' and "bring results". Officials in Washington did not answer.',
    "url": "https://news.example.org/talks",
    "date": "2020-10-19",
    "outlet": "Example News",
}


def _tallies(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    return sorted(conn.execute("SELECT subject, value, count FROM tallies WHERE count != 0").fetchall())


def test_pieces_are_stored_each_and_listed_once(tmp_path: Path) -> None:
    db = build(tmp_path, [PIECES])
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT piece, text, content_start, content_end FROM quotes ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(0, '"continue in good faith"'), (1, '"bring results"')]
    assert rows[0][2:] == rows[1][2:]  # one statement's span
    read = queries.open_db(db)
    for search in (None, "results", "Peskov"):
        page = queries.quotes(read, search=search)
        assert page.total == len(page.rows) == 1, search
    assert queries.quotes(read, speaker="Peskov").total == 1
    assert queries.overview(read)["quotes"] == 1
    before = _tallies(conn)
    recount(conn)  # the counts kept at write time are the counts of the rows
    assert _tallies(conn) == before
    from onrecord.web.app import create_app

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    assert client.get("/api/search").json()["total"] == 1
    article = client.get("/api/articles/1").json()
    assert len(article["quotes"]) == 2  # the reader still marks both pieces


def test_an_older_store_numbers_its_pieces_and_counts_them_once(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    before = [name for name, _ in MIGRATIONS].index("m009_statement_pieces")
    for name, migration in MIGRATIONS[:before]:
        migration(conn)
        conn.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    conn.execute(
        "INSERT INTO articles (id, key, content_hash, analysed, format, text, analysis, pipeline_version,"
        " published) VALUES (1, 'k', 'h', 1, 'text', 'x', '{}', '0.0.1', '2020-10-22')"
    )
    for start, end, content in ((0, 5, (0, 20)), (8, 12, (0, 20)), (30, 40, (30, 40))):
        conn.execute(
            'INSERT INTO quotes (article_id, kind, start, "end", text, content_start, content_end,'
            " statement, pipeline_version, date) VALUES (1, 'partial', ?, ?, 'x', ?, ?, ?, '0.0.1',"
            " '2020-10-22')",
            (start, end, *content, f"words {content[0]}"),
        )
    assert conn.execute("SELECT count FROM tallies WHERE subject = 'quotes'").fetchone()[0] == 3
    assert migrate(conn)[0] == "m009_statement_pieces"
    assert [r[0] for r in conn.execute("SELECT piece FROM quotes ORDER BY id")] == [0, 1, 0]
    assert conn.execute("SELECT count FROM tallies WHERE subject = 'quotes'").fetchone()[0] == 2
    hits = conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'words'").fetchall()
    assert sorted(r[0] for r in hits) == [1, 3]
    counted = _tallies(conn)
    recount(conn)
    assert _tallies(conn) == counted
    conn.close()
    connect(db).close()  # nothing left to apply


def test_correcting_one_piece_corrects_the_statement(tmp_path: Path) -> None:
    from onrecord.corpus.judgements import correct_speaker

    db = build(tmp_path, [PIECES])
    correct_speaker(db, 2, "Sergei Lavrov", author="test")  # the later piece
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT speaker FROM quotes ORDER BY id")] == ["Sergei Lavrov"] * 2
    assert conn.execute("SELECT count(*) FROM judgements WHERE kind = 'speaker'").fetchone()[0] == 2
    read = queries.open_db(db)
    assert queries.quotes(read, speaker="Lavrov").total == 1
