"""The SQLite store exported as Parquet: the Spark job's layout and schema, the same answers.

A small store is ingested from texts written here (the hand-made JSONL with its syndicated copies,
German article and broken line, and an undated text), exported, and read back the ways a Spark
output is read: the DuckDB queries of ``store/parquet.py`` and the loader of ``serve --parquet``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.sample import ARTICLES, PARQUET_QUERIES, write_jsonl
from onrecord import queries
from onrecord.errors import OnrecordError
from onrecord.store import parquet
from onrecord.store.load import load, output_key
from onrecord.store.parquet import CORPUS, DATASETS, PARTITION, PER_ARTICLE, SUCCESS, month_of
from onrecord.store.parquet_export import export_parquet
from onrecord.store.rows import arrow_schema
from store.scored import PESKOV, SURE, build_scored

UNDATED = (
    'The mayor of the town, Anna Berg, told residents at a packed meeting: "We will open the new bridge'
    ' to traffic as soon as the inspectors are satisfied." Residents welcomed the plan but asked the'
    " council to publish the inspection reports and to explain the delays that have kept the old"
    " crossing closed.\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from onrecord.corpus.build import ingest

    folder = tmp_path_factory.mktemp("export-store")
    (folder / "bridge.txt").write_text(UNDATED, encoding="utf-8")
    write_jsonl(folder / "articles.jsonl", ARTICLES, bad_line=True)
    store = folder / "corpus.db"
    ingest([str(folder / "articles.jsonl"), str(folder / "bridge.txt")], store, workers=1)
    return store


@pytest.fixture(scope="module")
def conn(db: Path) -> Iterator[sqlite3.Connection]:
    conn = queries.open_db(db)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def out(conn: sqlite3.Connection, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "parquet"
    written = export_parquet(conn, folder)
    assert not written.replaced
    return folder


@pytest.fixture(scope="module")
def duck(out: Path) -> Iterator[Any]:
    conn = parquet.open_duckdb(out)
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("query", "args", "kwargs"),
    [
        *PARQUET_QUERIES,
        ("quotes", (), {"min_confidence": 0.5, "limit": 500}),
        ("actors", (), {"limit": 500, "confident_only": False}),
    ],
)
def test_the_export_answers_as_the_store(
    query: str, args: tuple[Any, ...], kwargs: dict[str, Any], conn: sqlite3.Connection, duck: Any
) -> None:
    expected = getattr(queries, query)(conn, *args, **kwargs)
    assert expected.total > 0, "the query finds something"
    got = getattr(parquet, query)(duck, *args, **kwargs)
    # One store, exported: the very rows, ids included.
    assert (got.total, got.rows) == (expected.total, expected.rows)


def test_the_layout_and_schema_are_the_spark_jobs(out: Path, conn: sqlite3.Connection) -> None:
    import pyarrow.parquet as pq

    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("_")) == sorted(DATASETS)
    for table in DATASETS:
        folder = out / table
        assert (folder / SUCCESS).is_file(), table
        files = sorted(folder.rglob("*.parquet"))
        assert files, table
        for f in files:
            schema = pq.read_schema(f)
            # Exactly the store's columns, typed as the Spark job casts them: no partition column.
            assert schema.names == arrow_schema(table).names, table
            assert [x.type for x in schema] == [x.type for x in arrow_schema(table)], table
            assert PARTITION not in schema.names
        if table in CORPUS:
            assert [f.parent for f in files] == [folder], table
    dated = {month_of(r[0]) for r in conn.execute("SELECT published FROM articles")}
    assert dated == {"2020-01", "2020-10", "unknown"}
    for table in PER_ARTICLE:
        months = {p.name for p in (out / table).iterdir() if p.is_dir()}
        assert months <= {f"{PARTITION}={m}" for m in dated}, table
    assert {p.name for p in (out / "articles").iterdir() if p.is_dir()} == {f"{PARTITION}={m}" for m in dated}


def test_each_row_is_in_its_articles_month(out: Path, conn: sqlite3.Connection) -> None:
    import pyarrow.parquet as pq

    published = {int(i): month_of(p) for i, p in conn.execute("SELECT id, published FROM articles")}
    for table in PER_ARTICLE:
        key = "id" if table == "articles" else "article_id"
        count = 0
        for f in (out / table).rglob("*.parquet"):
            month = f.parent.name.removeprefix(f"{PARTITION}=")
            ids = pq.read_table(f, columns=[key])[key].to_pylist()
            assert {published[i] for i in ids} == {month}, (table, f)
            count += len(ids)
        assert count == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table  # noqa: S608


def test_references_to_tables_without_a_dataset_are_null(duck: Any, conn: sqlite3.Connection) -> None:
    assert conn.execute("SELECT count(*) FROM articles WHERE run_id IS NOT NULL").fetchone()[0] > 0
    assert duck.execute("SELECT count(*) FROM articles WHERE run_id IS NOT NULL").fetchone()[0] == 0
    assert duck.execute("SELECT count(*), count(run_id) FROM failures").fetchone() == (1, 0)


def test_serve_loads_the_export_into_the_same_store(
    out: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    loaded = load(out, tmp_path / "served.db")
    served = queries.open_db(loaded.path)
    try:
        assert queries.overview(served) == queries.overview(conn)
        for query in ("quotes", "actors"):
            assert getattr(queries, query)(served, limit=500) == getattr(queries, query)(conn, limit=500)
        assert queries.actor(served, "Peskov") == queries.actor(conn, "Peskov")
    finally:
        served.close()


def test_an_export_replaces_an_earlier_export_only(conn: sqlite3.Connection, tmp_path: Path) -> None:
    folder = tmp_path / "parquet"
    export_parquet(conn, folder)
    key = output_key(folder)
    (folder / "NOTES.txt").write_text("mine", encoding="utf-8")
    again = export_parquet(conn, folder)
    assert again.replaced and (folder / "NOTES.txt").read_text(encoding="utf-8") == "mine"
    assert not (folder / "_export").exists()
    assert output_key(folder) != key, "serve --parquet reloads a new export"
    duck = parquet.open_duckdb(folder)
    try:
        assert parquet.quotes(duck, limit=500).rows == queries.quotes(conn, limit=500).rows
    finally:
        duck.close()


def test_min_confidence_keeps_the_confident_quotes(tmp_path: Path) -> None:
    scored = queries.open_db(build_scored(tmp_path))
    try:
        written = export_parquet(scored, tmp_path / "parquet", min_confidence=0.5)
    finally:
        scored.close()
    duck = parquet.open_duckdb(tmp_path / "parquet")
    try:
        rows = duck.execute("SELECT actor_id, confidence FROM quotes").fetchall()
        articles = duck.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        duck.close()
    assert rows == [(PESKOV, SURE)]  # never scored (None) and unsure (0.32) left out
    assert articles == 1 and written.rows["quotes"] == 1 and written.rows["actors"] == 2


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: (p / "notes.txt").write_text("x"), "not empty and not an onrecord Parquet export"),
        (lambda p: (p / "_manifest").mkdir(), "holds the output of `onrecord spark`"),
    ],
    ids=["foreign", "spark"],
)
def test_a_folder_that_is_no_export_is_refused_untouched(
    make: Any, says: str, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "target"
    folder.mkdir()
    make(folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    with pytest.raises(OnrecordError, match=says):
        export_parquet(conn, folder)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_a_file_is_refused(conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "file.parquet"
    target.write_bytes(b"x")
    with pytest.raises(OnrecordError, match="not a folder"):
        export_parquet(conn, target)
    assert target.read_bytes() == b"x"


def test_small_row_groups_give_the_same_answers(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from onrecord.store import parquet_export

    # What a large store does at scale: rows fetched and written a few at a time.
    monkeypatch.setattr(parquet_export, "FETCH_ROWS", 2)
    monkeypatch.setattr(parquet_export, "ROW_GROUP_ROWS", 3)
    export_parquet(conn, tmp_path / "parquet")
    groups = [
        pq.ParquetFile(f).num_row_groups for f in (tmp_path / "parquet" / "mentions").rglob("*.parquet")
    ]
    assert max(groups) > 1
    duck = parquet.open_duckdb(tmp_path / "parquet")
    try:
        assert parquet.quotes(duck, limit=500).rows == queries.quotes(conn, limit=500).rows
        assert parquet.actors(duck, limit=500).rows == queries.actors(conn, limit=500).rows
    finally:
        duck.close()


def test_a_failed_export_leaves_the_earlier_one_whole(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.store import parquet_export

    folder = tmp_path / "parquet"
    export_parquet(conn, folder)
    key = output_key(folder)
    written = parquet_export._write_dataset

    def disk_full(conn: sqlite3.Connection, table: str, *args: Any) -> int:
        if table == "statements":
            raise OSError(28, "No space left on device")
        return written(conn, table, *args)

    monkeypatch.setattr(parquet_export, "_write_dataset", disk_full)
    with pytest.raises(OnrecordError, match="No space left on device"):
        export_parquet(conn, folder)
    assert output_key(folder) == key and not (folder / "_export").exists()
    duck = parquet.open_duckdb(folder)
    try:
        assert parquet.quotes(duck, limit=500).rows == queries.quotes(conn, limit=500).rows
    finally:
        duck.close()
