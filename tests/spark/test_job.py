"""The Spark job against the single-machine ingest: same rows, one schema, idempotent reruns, resume.

One corpus, three inputs: the hand-made JSONL (syndicated copies, two Trumps, a German article and a
broken line), the seed as a text file, and the first records of the fundus WARC (when the shared data
is there; a subset, to keep the run to a few minutes). It is run on Spark in two goes (the first
stopped after one input, as a killed run would be) and ingested into SQLite; the tables must agree.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from corpus.sample import PARQUET_QUERIES
from onrecord.store.parquet import CORPUS, PER_ARTICLE, open_duckdb


def _sqlite(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in conn.execute(sql).fetchall())


def _duck(out: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = open_duckdb(out)
    try:
        return sorted(tuple(r) for r in conn.execute(sql).fetchall())
    finally:
        conn.close()


QUOTES = """SELECT a.key, q.kind, q.start, q."end", q.text, q.actor_id, q.speaker, q.content_start,
 q.content_end, q.statement, q.cue, q.cue_lemma, q.attitude, q.said_on, q.said_on_source, q.date,
 q.confidence, q.pipeline_version FROM quotes q JOIN articles a ON a.id = q.article_id"""
MENTIONS = """SELECT a.key, m.actor_id, m.start, m."end", m.text, m.kind
 FROM mentions m JOIN articles a ON a.id = m.article_id"""
TIMEX = """SELECT a.key, t.start, t."end", t.text, t.value, t.type
 FROM time_expressions t JOIN articles a ON a.id = t.article_id"""


def test_resumed_run_finished_the_rest(output: tuple[Path, Any], inputs: list[str]) -> None:
    _out, summary = output
    assert summary.already_done == 1 and summary.analysed_now == len(inputs) - 1 and summary.rebuilt


@pytest.mark.parametrize("sql", [QUOTES, MENTIONS, TIMEX], ids=["quotes", "mentions", "timex"])
def test_rows_equal_the_single_machine_ingest(
    sql: str, output: tuple[Path, Any], ingested: sqlite3.Connection
) -> None:
    expected = _sqlite(ingested, sql)
    assert expected, "the corpus has rows of this kind"
    assert _duck(output[0], sql) == expected


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id, name, type, surname, given_names, mentions FROM actors",
        "SELECT actor_id, alias, language, articles FROM actor_aliases",
        "SELECT actor_id, role, first_seen, last_seen, articles FROM actor_roles",
        "SELECT a.key, aa.local_id, aa.actor_id, aa.name"
        " FROM article_actors aa JOIN articles a ON a.id = aa.article_id",
        "SELECT key, url, content_hash, source, record, headline, published, published_source, language,"
        " analysed, format, text, analysis, pipeline_version, minhash FROM articles",
        "SELECT name, domain FROM outlets",
        "SELECT fingerprint, text, first_said_on, reports, head_key, tail_key FROM statements",
        "SELECT headline, first_published, articles FROM stories",
        "SELECT source, record, kind, reason FROM failures",
    ],
    ids=[
        "actors",
        "aliases",
        "roles",
        "article_actors",
        "articles",
        "outlets",
        "statements",
        "stories",
        "failures",
    ],
)
def test_corpus_facts_equal_the_single_machine_ingest(
    sql: str, output: tuple[Path, Any], ingested: sqlite3.Connection
) -> None:
    assert _duck(output[0], sql) == _sqlite(ingested, sql)


def test_stories_and_statements_group_the_same_articles(
    output: tuple[Path, Any], ingested: sqlite3.Connection
) -> None:
    stories = "SELECT list(key ORDER BY key) FROM articles GROUP BY story_id"
    ordered = "SELECT key, story_id FROM articles ORDER BY key"
    sqlite_stories = f"SELECT group_concat(key, ' ') FROM ({ordered}) GROUP BY story_id"  # noqa: S608
    spark = sorted(" ".join(row[0]) for row in _duck(output[0], stories))
    assert spark == sorted(row[0] for row in _sqlite(ingested, sqlite_stories))
    assert any(" " in group for group in spark), "the syndicated copies make one story"
    reports = (
        "SELECT s.fingerprint, count(*) FROM quotes q JOIN statements s ON s.id = q.statement_id GROUP BY 1"
    )
    assert _duck(output[0], reports) == _sqlite(ingested, reports)


def test_datasets_have_the_store_schema(output: tuple[Path, Any]) -> None:
    import pyarrow.parquet as pq

    from onrecord.store.rows import arrow_schema

    out = output[0]
    for table in (*PER_ARTICLE, *CORPUS):
        files = sorted((out / table).rglob("*.parquet"))
        assert files, table
        schema = pq.read_schema(files[0])
        expected = arrow_schema(table)
        assert schema.names == expected.names, table
        assert [f.type for f in schema] == [f.type for f in expected], table
    months = sorted(p.name for p in (out / "quotes").iterdir() if p.is_dir())
    assert "month=2020-10" in months and all(m.startswith("month=") for m in months)


def _layout(out: Path) -> dict[str, tuple[list[str], bool, list[tuple[str, str]]]]:
    """Per dataset: its partition folders, whether it was finished (_SUCCESS), its files' columns."""
    import pyarrow.parquet as pq

    layout = {}
    for table in (*PER_ARTICLE, *CORPUS):
        folder = out / table
        schemas = {tuple((f.name, str(f.type)) for f in pq.read_schema(p)) for p in folder.rglob("*.parquet")}
        assert len(schemas) == 1, table
        partitions = sorted(p.name for p in folder.iterdir() if p.is_dir())
        layout[table] = (partitions, (folder / "_SUCCESS").is_file(), list(schemas.pop()))
    return layout


def test_an_export_of_the_ingest_is_laid_out_as_the_spark_output(
    output: tuple[Path, Any], ingested: sqlite3.Connection, tmp_path: Path
) -> None:
    from onrecord.store.parquet_export import export_parquet

    export_parquet(ingested, tmp_path / "exported")
    assert _layout(tmp_path / "exported") == _layout(output[0])


def _files(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_rerun_changes_nothing(spark: Any, output: tuple[Path, Any], inputs: list[str]) -> None:
    from onrecord.spark.job import run

    out, first = output
    before = _files(out)
    again = run(inputs, out, spark=spark, partitions=2)
    assert again.analysed_now == 0 and not again.rebuilt
    assert again.counts == first.counts
    assert _files(out) == before


def test_stable_ids_agree_between_python_and_spark(spark: Any) -> None:
    from onrecord.spark.analyse import stable_id
    from onrecord.spark.corpus import _stable_id

    texts = ["Example News", "we are ready to extend the treaty", "Süddeutsche Zeitung"]
    frame = spark.createDataFrame([(t,) for t in texts], "t string")
    got = {row["t"]: row["i"] for row in frame.select("t", _stable_id("t").alias("i")).collect()}
    assert got == {t: stable_id(t) for t in texts}


# -- querying the output without Spark: the same answers as over SQLite ----------------------------

IDS = ("id", "article_id", "statement_id", "ref")  # numbered differently by the two stores


def _answers(page: Any) -> tuple[int, list[dict[str, Any]]]:
    return page.total, [{k: v for k, v in row.items() if k not in IDS} for row in page.rows]


@pytest.mark.parametrize(
    ("query", "args", "kwargs"),
    PARQUET_QUERIES,
)
def test_parquet_queries_answer_as_sqlite(
    query: str, args: tuple[Any, ...], kwargs: dict[str, Any], output: tuple[Path, Any], ingested: Any
) -> None:
    from onrecord import queries
    from onrecord.store import parquet

    expected = _answers(getattr(queries, query)(ingested, *args, **kwargs))
    assert expected[0] > 0, "the query finds something"
    conn = open_duckdb(output[0])
    try:
        assert _answers(getattr(parquet, query)(conn, *args, **kwargs)) == expected
    finally:
        conn.close()


def test_cli_reads_parquet(output: tuple[Path, Any], database: Path) -> None:
    import json

    from click.testing import CliRunner

    from onrecord.cli.main import main

    runner = CliRunner()
    args = ["quotes", "--speaker", "Peskov", "--format", "json"]
    from_parquet = runner.invoke(main, [*args, "--parquet", str(output[0])])
    from_sqlite = runner.invoke(main, [*args, "--db", str(database)])
    assert from_parquet.exit_code == 0, from_parquet.output
    rows = json.loads(from_parquet.output)["rows"]
    assert rows and [r["statement"] for r in rows] == [
        r["statement"] for r in json.loads(from_sqlite.output)["rows"]
    ]
    table = runner.invoke(main, ["actors", "--parquet", str(output[0])])
    assert table.exit_code == 0 and "Peskov" in table.output


def test_cli_refuses_a_folder_that_is_no_output(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from onrecord.cli.main import main

    result = CliRunner().invoke(main, ["timeline", "Peskov", "--parquet", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "not an onrecord Parquet output" in result.output
