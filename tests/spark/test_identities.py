"""Corpus identities on Spark equal the single-machine ingest's, row for row, on a corpus made for
them: names joined and kept apart by the evidence, and speakers known only by an office resolved."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from corpus.identity_sample import DONALD, PESKOV, build, write
from onrecord.store.parquet import open_duckdb

TABLES = [
    "SELECT id, name, type, surname, given_names, mentions FROM actors",
    "SELECT actor_id, alias, language, articles FROM actor_aliases",
    "SELECT actor_id, role, first_seen, last_seen, articles FROM actor_roles",
    "SELECT a.key, aa.local_id, aa.actor_id, aa.name FROM article_actors aa"
    " JOIN articles a ON a.id = article_id",
    'SELECT a.key, q.start, q."end", q.actor_id, q.speaker FROM quotes q'
    " JOIN articles a ON a.id = article_id",
    'SELECT a.key, m.start, m."end", m.actor_id, m.kind FROM mentions m JOIN articles a ON a.id = article_id',
]


@pytest.fixture(scope="module")
def both(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sqlite3.Connection]:
    from onrecord.spark.job import run

    folder = tmp_path_factory.mktemp("identities")
    out = folder / "out"
    run([str(write(folder))], out, spark=spark, partitions=2)
    return out, sqlite3.connect(build(folder))


def _duck(out: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = open_duckdb(out)
    try:
        return sorted(tuple(r) for r in conn.execute(sql).fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sql", TABLES, ids=["actors", "aliases", "roles", "article_actors", "quotes", "mentions"]
)
def test_identities_equal_the_single_machine_ingest(sql: str, both: tuple[Path, sqlite3.Connection]) -> None:
    out, conn = both
    assert _duck(out, sql) == sorted(tuple(r) for r in conn.execute(sql).fetchall())


def test_the_office_and_the_bare_surname_are_resolved_on_spark(both: tuple[Path, sqlite3.Connection]) -> None:
    speakers = dict(
        _duck(both[0], "SELECT a.key, q.actor_id FROM quotes q JOIN articles a ON a.id = q.article_id")
    )
    assert speakers["https://a.example/kremlin-2"] == PESKOV
    assert speakers["https://b.example/trump-2"] == DONALD
