"""The SQLite store: schema and migrations, WAL, one transaction per article, FTS kept in step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from onrecord.model import Actor, Article, Mention, Quote, Span, TimeExpression
from onrecord.store.schema import MIGRATIONS, TABLES
from onrecord.store.sqlite import Facts, Provenance, Store, connect, migrate

TEXT = 'Peskov said: "We are ready to talk about the treaty."'


def _article() -> Article:
    peskov = Actor("p-1", "Dmitry Peskov", "person", (Mention(Span(0, 6), "name", "p-1"),), ("spokesman",))
    quote = Quote("direct", Span(TEXT.index('"'), len(TEXT)), peskov.mentions[0], "p-1", said_on="2020-10-22")
    return Article(
        text=TEXT,
        published="2020-10-22",
        actors=(peskov,),
        quotes=(quote,),
        timex=(TimeExpression(Span(0, 6), "2020-10-22"),),
    )


def _prov(key: str = "https://a.example/1") -> Provenance:
    return Provenance(key=key, content_hash="h", input_hash=key, source="test", pipeline_version="9.9")


def _facts() -> Facts:
    from onrecord.store.sqlite import ActorIdentity

    return Facts({"p-1": "p-x"}, [ActorIdentity("p-x", "Dmitry Peskov", "person", "peskov", "dmitry")],
                 fingerprints=("we are ready to talk about the treaty",))  # fmt: skip


def test_schema_tables_wal_and_migrations_once(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(TABLES) <= names and {"quotes_fts", "articles_fts", "migrations"} <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert migrate(conn) == []
    assert [r[0] for r in conn.execute("SELECT name FROM migrations")] == [name for name, _ in MIGRATIONS]


def test_article_round_trip_and_fts(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run("test", "9.9")
        article_id = store.add_article(_article(), _prov(), _facts(), run)
        conn = store.conn
        quote = conn.execute("SELECT actor_id, text, pipeline_version, said_on FROM quotes").fetchone()
        assert tuple(quote) == ("p-x", '"We are ready to talk about the treaty."', "9.9", "2020-10-22")
        hit = conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'treaty'").fetchall()
        assert len(hit) == 1
        assert conn.execute("SELECT role, first_seen FROM actor_roles").fetchone()[:] == (
            "spokesman",
            "2020-10-22",
        )
        assert store.article_id("https://a.example/1") == article_id
        assert store.input_status("https://a.example/1") == "stored"


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run("test", "9.9")
        bad = Facts({}, [])  # no identity for the actor: the write fails halfway
        with pytest.raises(KeyError):
            store.add_article(_article(), _prov(), bad, run)
        counts = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES[1:]]  # noqa: S608
        assert sum(counts) == 0


def test_same_key_twice_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run("test", "9.9")
        store.add_article(_article(), _prov(), _facts(), run)
        with pytest.raises(sqlite3.IntegrityError):
            store.add_article(_article(), _prov(), _facts(), run)
        assert store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == 1


def test_statement_reports_and_earliest_date(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run("test", "9.9")
        store.add_article(_article(), _prov("k1"), _facts(), run)
        earlier = _article().evolve(published="2020-10-01", quotes=(_article().quotes[0].__class__(
            "direct", Span(TEXT.index("\""), len(TEXT)), None, "p-1", said_on="2020-10-01"),))  # fmt: skip
        store.add_article(earlier, _prov("k2"), _facts(), run)
        row = store.conn.execute("SELECT reports, first_said_on FROM statements").fetchone()
        assert tuple(row) == (2, "2020-10-01")


def test_failures_kept_once(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        run = store.start_run("test", "9.9")
        for _ in range(2):
            store.add_failure(run, "f.jsonl", "line 3", "failed", "not valid JSON", None)
        assert store.conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 1


def test_old_database_is_upgraded_on_first_read(tmp_path: Path) -> None:
    from onrecord.queries import open_db
    from onrecord.store.schema import m001_initial

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    m001_initial(conn)
    conn.execute("INSERT INTO migrations VALUES ('m001_initial', 'then')")
    conn.execute(
        "INSERT INTO articles (id, key, content_hash, analysed, format, text, analysis, pipeline_version,"
        " published) VALUES (1, 'k', 'h', 1, 'text', 'x', '{}', '0.0.1', '2020-10-22')"
    )
    conn.execute(
        'INSERT INTO quotes (article_id, kind, start, "end", text, content_start, content_end, statement,'
        " pipeline_version) VALUES (1, 'direct', 0, 1, 'x', 0, 1, 'x', '0.0.1')"
    )
    conn.close()
    reader = open_db(db)
    assert reader.execute("SELECT date FROM quotes").fetchone()[0] == "2020-10-22"


def test_an_ingest_run_leaves_the_statement_index_in_one_segment(tmp_path: Path) -> None:
    # Each article written in its own transaction adds an FTS5 segment; searches read every
    # segment, so the run merges them once at its end.
    from corpus.sample import build

    db = build(tmp_path)
    with sqlite3.connect(db) as conn:
        segments = conn.execute("SELECT count(DISTINCT segid) FROM quotes_fts_idx").fetchone()[0]
        quotes = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        integrity = conn.execute("INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)")
    assert quotes > 3 and segments == 1 and integrity is not None
