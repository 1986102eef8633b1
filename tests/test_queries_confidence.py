"""The read side and speaker confidences: the min_confidence filter, and counts of confident speakers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord import queries
from store.scored import PESKOV, RYABKOV, SURE, UNSURE, build_scored


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    reader = queries.open_db(build_scored(tmp_path_factory.mktemp("scored")))
    yield reader
    reader.close()


def _scores(page: queries.Page) -> list[float | None]:
    return [row["confidence"] for row in page.rows]


def test_rows_carry_the_confidence_and_no_minimum_keeps_every_quote(conn: sqlite3.Connection) -> None:
    page = queries.quotes(conn)
    assert page.total == 4 and _scores(page) == [SURE, UNSURE, None, None]


@pytest.mark.parametrize(
    ("least", "kept"),
    [(0.5, [SURE]), (0.2, [SURE, UNSURE]), (0.0, [SURE, UNSURE]), (SURE, [SURE]), (1.0, [])],
)
def test_min_confidence_keeps_what_reaches_it(
    conn: sqlite3.Connection, least: float, kept: list[float]
) -> None:
    # A quote at 0.32 is left out by 0.5 and kept by 0.2; one never scored is left out by any minimum.
    page = queries.quotes(conn, min_confidence=least)
    assert _scores(page) == kept and page.total == len(kept)


def test_min_confidence_with_other_filters_and_facets(conn: sqlite3.Connection) -> None:
    assert _scores(queries.quotes(conn, search="treaty", min_confidence=0.5)) == [SURE]
    assert _scores(queries.quotes(conn, speaker="Ryabkov", min_confidence=0.2)) == [UNSURE]
    assert queries.quotes(conn, speaker="Ryabkov", min_confidence=0.5).total == 0
    for search in (None, "treaty"):
        filters = queries.QuoteFilters(search=search, min_confidence=0.2)
        facets = queries.quote_facets(conn, filters)
        assert {f["id"]: f["count"] for f in facets["speaker"] or []} == {PESKOV: 1, RYABKOV: 1}


def test_a_minimum_of_zero_is_a_filter(conn: sqlite3.Connection) -> None:
    assert queries.QuoteFilters(min_confidence=0.0).given() == {"min_confidence"}
    assert queries.QuoteFilters(speaker="").given() == set()


def test_actor_statements_count_confident_attributions(conn: sqlite3.Connection) -> None:
    confident = {r["id"]: r["statements"] for r in queries.actors(conn).rows}
    every = {r["id"]: r["statements"] for r in queries.actors(conn, confident_only=False).rows}
    assert confident == {PESKOV: 2, RYABKOV: 0}  # the sure quote and the never-scored one
    assert every == {PESKOV: 2, RYABKOV: 1}


def test_csv_export_keeps_confident_statements(conn: sqlite3.Connection) -> None:
    out = io.StringIO()
    assert queries.export(conn, "csv", out, min_confidence=0.5) == 1
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["actor_id"] == PESKOV and float(row["confidence"]) == SURE
    everything = io.StringIO()
    assert queries.export(conn, "csv", everything) == 4
    assert "confidence" in everything.getvalue().splitlines()[0].split(",")


def test_jsonl_export_keeps_every_article_and_only_its_confident_quotes(conn: sqlite3.Connection) -> None:
    out = io.StringIO()
    assert queries.export(conn, "jsonl", out, min_confidence=0.2) == 1
    record = json.loads(out.getvalue())
    assert [q["speaker"]["confidence"] for q in record["quotes"]] == [SURE, UNSURE]


def _parquet_output(db: Path, out: Path, *, with_confidence: bool) -> Path:
    """The store's rows as a Parquet output; ``with_confidence=False``: as written before confidences."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from onrecord.store import parquet
    from onrecord.store.rows import arrow_schema

    source = sqlite3.connect(db)
    for table in parquet.DATASETS:
        cursor = source.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed names)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        schema = arrow_schema(table)
        if table == "quotes" and not with_confidence:
            schema = schema.remove(schema.get_field_index("confidence"))
        (out / table).mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), out / table / "part.parquet")
    source.close()
    return out


@pytest.mark.parametrize("with_confidence", [True, False], ids=["scored", "written-before"])
def test_duckdb_reads_confidences_and_outputs_written_before_them(
    tmp_path: Path, with_confidence: bool
) -> None:
    pytest.importorskip("duckdb")
    from onrecord.store import parquet

    out = _parquet_output(build_scored(tmp_path), tmp_path / "out", with_confidence=with_confidence)
    duck = parquet.open_duckdb(out)
    try:
        scores = [r["confidence"] for r in parquet.quotes(duck).rows]
        statements = {r["id"]: r["statements"] for r in parquet.actors(duck).rows}
        if with_confidence:
            assert scores == [SURE, UNSURE, None, None]
            assert [r["confidence"] for r in parquet.quotes(duck, min_confidence=0.2).rows] == [SURE, UNSURE]
            assert statements == {PESKOV: 2, RYABKOV: 0}
        else:  # nothing was scored: every quote counts, and any minimum leaves all out
            assert scores == [None] * 4
            assert parquet.quotes(duck, min_confidence=0.0).total == 0
            assert statements == {PESKOV: 2, RYABKOV: 1}
        every = {r["id"]: r["statements"] for r in parquet.actors(duck, confident_only=False).rows}
        assert every == {PESKOV: 2, RYABKOV: 1}
    finally:
        duck.close()
