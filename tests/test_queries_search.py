"""Statement search with and without a speaker: the same page and exact total whichever way a page
is found (list, walk, window), the speaker indexed with each quote and following every correction."""

from __future__ import annotations

import random
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.sample import build as build_sample
from onrecord import queries, statement_listing
from onrecord.corpus.judgements import correct_speaker, merge_actors, split_actor
from onrecord.store.schema import MIGRATIONS
from onrecord.store.sqlite import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's bench/ package
from bench.bench_queries import build as build_bench

RUSSIA = "p-3c4f38c9ec8a"


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("search") / "bench.db"
    build_bench(db, 4_000)
    return db


@pytest.fixture(scope="module")
def conn(bench_db: Path) -> Iterator[sqlite3.Connection]:
    connection = queries.open_db(bench_db)
    yield connection
    connection.close()


def _expected(conn: sqlite3.Connection, search: str, speaker: str | None, limit: int, offset: int) -> tuple:
    """Total and page ids by a plain join, the way the listing is defined."""
    ids = queries.find_actors(conn, speaker) if speaker else None
    sql = "FROM quotes WHERE id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"
    params: list[object] = ["{statement speaker} : (" + queries.fts_query(search) + ")"]
    if ids is not None:
        sql += f" AND actor_id IN ({queries.placeholders(ids)})"
        params += ids
    total = conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0]
    rows = conn.execute(f"SELECT id {sql} ORDER BY date, id LIMIT ? OFFSET ?", [*params, limit, offset])
    return total, [r[0] for r in rows]


def _cases(conn: sqlite3.Connection, count: int) -> list[tuple[str, str | None, int, int]]:
    rng = random.Random(3)  # noqa: S311  (picking test cases)
    words = [w for (s,) in conn.execute("SELECT statement FROM quotes WHERE id % 37 = 0") for w in s.split()]
    names = [
        n for (n,) in conn.execute("SELECT a.name FROM actors a JOIN quotes q ON q.actor_id = a.id LIMIT 400")
    ]
    cases: list[tuple[str, str | None, int, int]] = []
    for i in range(count):
        search = " ".join(rng.choice(words) for _ in range(1 + i % 2))
        speaker = rng.choice(names) if i % 3 else None
        limit, offset = rng.choice([(20, 0), (20, 0), (7, 5), (50, 60), (3, 400)])
        cases.append((search, speaker, limit, offset))
    cases.append(("nosuchwordanywhere", None, 20, 0))
    cases.append((words[0], "Nobody Atall", 20, 0))
    return cases


@pytest.mark.parametrize("way", ["list", "walk", "window", "chosen"])
def test_every_way_gives_the_same_page(
    conn: sqlite3.Connection, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if way != "chosen":  # the other ways made too dear to be chosen
        for name in {"list": ("CHECK_COST", "PROBE_COST"), "walk": ("LIST_COST", "PROBE_COST"),
                     "window": ("LIST_COST", "CHECK_COST")}[way]:  # fmt: skip
            monkeypatch.setattr(statement_listing, name, 1e9)
    for search, speaker, limit, offset in _cases(conn, 60):
        page = queries.quotes(conn, search=search, speaker=speaker, limit=limit, offset=offset)
        assert (page.total, [r["id"] for r in page.rows]) == _expected(
            conn, search, speaker, limit, offset
        ), (
            search,
            speaker,
        )
        assert [r["date"] for r in page.rows] == sorted(r["date"] for r in page.rows)


def test_a_walk_too_long_falls_back_to_the_list(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statement_listing, "LIST_COST", 1e9)
    monkeypatch.setattr(statement_listing, "PROBE_COST", 1e9)
    assert statement_listing._walk(conn, queries.IN_DATE_ORDER["walk"][0], ['"nosuchword"'], 1, 10) is None
    monkeypatch.setattr(statement_listing, "WALK_SLACK", 0)  # every walk gives up after 100 quotes
    search = conn.execute("SELECT statement FROM quotes WHERE id = 4000").fetchone()[0].split()[-1]
    page = queries.quotes(conn, search=search, limit=5, offset=0)
    assert (page.total, [r["id"] for r in page.rows]) == _expected(conn, search, None, 5, 0)


def test_an_actor_token_is_not_a_word(conn: sqlite3.Connection) -> None:
    actor_id, statement = conn.execute("SELECT actor_id, statement FROM quotes WHERE id = 1").fetchone()
    token = queries.actor_token(actor_id)
    assert conn.execute(queries.SEARCH_COUNT, (f'actor : "{token}"',)).fetchone()[0] >= 1
    assert queries.quotes(conn, search=token).total == 0  # typed as a word it matches no statement
    assert queries.quotes(conn, search=token.upper()).total == 0
    assert queries.quotes(conn, search=statement.split()[0], speaker=actor_id).total >= 1


def _integrity(db: Path) -> None:
    """The index holds exactly what the rows say (FTS5 compares it with its content view)."""
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def _said(db: Path, speaker: str, search: str) -> int:
    conn = queries.open_db(db)
    try:
        return queries.quotes(conn, speaker=speaker, search=search).total
    finally:
        conn.close()


def test_the_indexed_speaker_follows_corrections(tmp_path: Path) -> None:
    db = build_sample(tmp_path)
    assert _said(db, "Dmitry Peskov", "treaty") >= 1
    conn = sqlite3.connect(db)
    quote, before = conn.execute(
        "SELECT id, actor_id FROM quotes WHERE statement LIKE '%very proud%'"
    ).fetchone()
    keep, gone = [r[0] for r in conn.execute(
        "SELECT actor_id FROM quotes WHERE actor_id NOT IN (?, ?) GROUP BY 1 ORDER BY 1 LIMIT 2",
        (before, RUSSIA))]  # fmt: skip
    conn.close()
    word = "proud"
    was = _said(db, before, word)
    correct_speaker(db, quote, "Jane Roe", author="ana")
    _integrity(db)
    assert _said(db, "Jane Roe", word) == 1 and _said(db, before, word) == was - 1
    conn = sqlite3.connect(db)
    moved = [t for (t,) in conn.execute("SELECT statement FROM quotes WHERE actor_id = ?", (gone,))]
    merge_actors(db, keep, gone, author="ben")  # rewrites actor_id only, not the quote's words
    _integrity(db)
    assert moved
    for text in moved:
        word = max(text.split(), key=len)
        counted = conn.execute(
            "SELECT count(*) FROM quotes WHERE actor_id = ?"
            " AND id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)",
            (keep, queries.fts_query(word)),
        ).fetchone()[0]
        assert _said(db, keep, word) == counted >= 1
    conn.close()
    split_actor(db, "Dmitry Peskov", "Peskov", author="ana")
    _integrity(db)


def test_migration_indexes_the_speakers_of_a_stored_corpus(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    new = build_sample(tmp_path / "new")
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migration in MIGRATIONS[:4]:  # a store made before m005
        migration(conn)
        conn.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (name,))
    copied = sqlite3.connect(new)
    tables = [t for (t,) in copied.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    copied.close()
    conn.execute("ATTACH ? AS new", (str(new),))
    conn.execute("BEGIN")
    for table in ("outlets", "stories", "articles", "actors", "quotes"):
        assert table in tables
        # The columns the old store has (later migrations added more, e.g. quotes.confidence).
        columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM new.{table}")  # noqa: S608 (fixed names)
    conn.execute("COMMIT")
    conn.close()
    connect(old).close()  # migrates
    _integrity(old)
    assert _said(old, "Dmitry Peskov", "treaty") == _said(new, "Dmitry Peskov", "treaty") >= 1
