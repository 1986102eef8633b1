"""One local Spark session per test run (local[2], UI off, two shuffle partitions); skips without Java.

And one corpus, run once per test run: the hand-made JSONL (syndicated copies, two Trumps, a German
article and a broken line), the seed as a text file, and the first records of the fundus WARC (when
the shared data is there; a subset, to keep the run to a few minutes), on Spark (in two goes, the
first stopped after one input as a killed run would be) and ingested into SQLite.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.sample import ARTICLES, write_jsonl


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'onrecord[spark]')")
    if shutil.which("java") is None or _java_major() < 17:
        pytest.skip("no Java 17 on PATH: the Spark tests need it (scripts/test installs it as root)")
    from onrecord.spark.job import session

    spark = session(2)
    yield spark
    spark.stop()


def _java_major() -> int:
    shown = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', shown)
    return int(found.group(1)) if found else 0


REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "onrecord" / "demo" / "sputnik-2020-10-22-new-start.txt"
FUNDUS_WARC = REPO.parent / "shared" / "data" / "warc" / "fundus-news-258.warc.gz"
FUNDUS_RECORDS = 16


def _warc_subset(source: Path, target: Path, records: int) -> Path:
    """The first ``records`` records of a WARC, copied byte for byte (each its own gzip member)."""
    from warcio.archiveiterator import ArchiveIterator

    with source.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        end = 0
        for count, _record in enumerate(iterator, start=1):
            iterator.read_to_end()
            end = iterator.get_record_offset() + iterator.get_record_length()
            if count >= records:
                break
    with source.open("rb") as handle:
        target.write_bytes(handle.read(end))
    return target


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("spark-inputs")
    paths = [str(write_jsonl(folder / "articles.jsonl", ARTICLES, bad_line=True)), str(DEMO)]
    if FUNDUS_WARC.exists():
        paths.append(str(_warc_subset(FUNDUS_WARC, folder / "fundus-subset.warc.gz", FUNDUS_RECORDS)))
    return paths


@pytest.fixture(scope="session")
def database(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from onrecord.corpus.build import ingest

    db = tmp_path_factory.mktemp("spark-sqlite") / "corpus.db"
    ingest(inputs, db, workers=1)
    return db


@pytest.fixture(scope="session")
def ingested(database: Path) -> sqlite3.Connection:
    from onrecord.queries import open_db

    return open_db(database)


@pytest.fixture(scope="session")
def output(spark: Any, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from onrecord.spark.job import run

    out = tmp_path_factory.mktemp("spark-out") / "out"
    first = run(inputs, out, spark=spark, partitions=2, limit_units=1)  # then "killed"
    assert first.analysed_now == 1 and not first.rebuilt
    assert not (out / "articles").exists()
    second = run(inputs, out, spark=spark, partitions=2)
    return out, second
