"""The Spark job: input units -> (executors) analysed rows -> corpus stages -> Parquet datasets.

Stage one is per input unit and resumable: a chunk of units is read (one task per unit), its
Items are spread over the partitions (a WARC is read in one piece but analysed in many), analysed
and written to ``OUT/_analysed/input_id=...`` (dynamic partition overwrite: a redone unit replaces
its own rows, nothing else). Only after Spark commits a chunk is each unit's done marker written
to ``OUT/_manifest/done/``; a killed run redoes at most the chunk it was in. Stage two rebuilds the
store's datasets from every analysed unit with the corpus stages (``spark/corpus.py``) and writes
each one whole; it is skipped when nothing changed since it last completed, so a rerun changes
nothing.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord import processes
from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT
from onrecord.errors import OnrecordError
from onrecord.spark.inputs import Unit, expand_units
from onrecord.store.parquet import CORPUS, PARTITION, PER_ARTICLE, SUCCESS
from onrecord.store.parquet_export import is_export
from onrecord.store.rows import arrow_schema, column_names

ANALYSED = "_analysed"
MANIFEST = "_manifest"
SPREAD = 4  # analysis partitions per core
ADAPTIVE = "spark.sql.adaptive.enabled"
SMALL_ROWS = 1_000_000  # analysed rows below which stage two runs without adaptive execution


@dataclass(slots=True)
class JobSummary:
    """What one run did: units analysed now and before, and the counts of the datasets it wrote."""

    units: int = 0
    analysed_now: int = 0
    already_done: int = 0
    rebuilt: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)  # "analysis" (stage one), "corpus" (two)
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, source, record, reason

    @property
    def failed(self) -> bool:
        """Whether an input failed (skipped ones, expected rejections such as no text, do not count)."""
        return self.counts["failed"] > 0


def session(partitions: int | None = None, master: str | None = None) -> Any:
    """A Spark session: the one spark-submit configured, else local mode with ``partitions`` cores."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise OnrecordError(
            "onrecord spark needs PySpark: pip install 'onrecord[spark]' (and Java 17)"
        ) from None
    builder = SparkSession.builder.appName("onrecord")
    # Under spark-submit the gateway is already up and the master and resources are its business.
    if master or not os.environ.get("PYSPARK_GATEWAY_PORT"):
        # Local workers run this interpreter: the one with onrecord and its model installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        processes.one_thread_per_worker()  # the local Python workers inherit this environment
        cores = partitions or os.cpu_count() or 1
        builder = builder.master(master or f"local[{cores}]").config("spark.ui.enabled", "false")
        builder = builder.config("spark.sql.shuffle.partitions", str(cores))
    # Small Arrow batches: one batch of raw HTML pages is what a Python worker holds at once.
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class Manifest:
    """The job's memory in ``OUT/_manifest``: each unit's ordinal, the done-list, the last rebuild."""

    def __init__(self, out: Path) -> None:
        self.root = out / MANIFEST
        (self.root / "done").mkdir(parents=True, exist_ok=True)
        path = self.root / "units.json"
        self.ordinals: dict[str, int] = json.loads(path.read_text("utf-8")) if path.exists() else {}

    def number(self, units: list[Unit]) -> None:
        """Give new units the next ordinals (an article's id starts with its unit's ordinal)."""
        new = [u for u in units if u.uri not in self.ordinals]
        if not new:
            return
        start = max(self.ordinals.values(), default=0) + 1
        for offset, unit in enumerate(new):
            self.ordinals[unit.uri] = start + offset
        _write_atomic(self.root / "units.json", json.dumps(self.ordinals, indent=1, sort_keys=True))

    def done(self, unit: Unit) -> bool:
        return (self.root / "done" / f"{unit.id}.json").exists()

    def mark_done(self, unit: Unit) -> None:
        record = {"uri": unit.uri, "unit": self.ordinals[unit.uri]}
        _write_atomic(self.root / "done" / f"{unit.id}.json", json.dumps(record))

    def done_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "done").glob("*.json"))

    def built(self) -> dict[str, Any] | None:
        """What the datasets were last built from (input ids) and their counts, if they are complete."""
        path = self.root / "datasets.json"
        return dict(json.loads(path.read_text("utf-8"))) if path.exists() else None

    def mark_built(self, ids: list[str], summary: JobSummary) -> None:
        record = {"inputs": ids, "counts": dict(summary.counts), "problems": summary.problems}
        _write_atomic(self.root / "datasets.json", json.dumps(record, ensure_ascii=False))

    def forget_built(self) -> None:
        (self.root / "datasets.json").unlink(missing_ok=True)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run(
    inputs: list[str] | tuple[str, ...],
    out: str | Path,
    *,
    partitions: int | None = None,
    spark: Any = None,
    base: str | None = None,
    limit_units: int | None = None,
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> JobSummary:
    """Analyse every input with the pipeline on Spark and write the store's datasets under ``out``.

    Args:
        inputs: WARC, JSONL or Parquet files, folders, globs, URIs, or files listing WARC paths.
        out: the output folder (a local path or a mounted/cluster path).
        partitions: partitions for the analysis (default: the session's parallelism).
        spark: an existing SparkSession (default: one from ``session``).
        base: prefix for relative paths in path lists (e.g. an object-store bucket URI).
        limit_units: analyse at most this many pending units, then stop (the rest is left for a
            rerun, as if the run had been killed); the datasets are not rebuilt then.
        article_timeout: seconds one article's analysis may take (None: no limit); one over it is
            a failed input naming the limit, and the job goes on.

    Returns:
        The run's JobSummary.
    """
    root = Path(out)
    if is_export(root):
        raise OnrecordError(
            f"{out}: holds an export of a SQLite store (`onrecord export --format parquet`), not the"
            " Spark job's output; give --out another folder"
        )
    root.mkdir(parents=True, exist_ok=True)
    units = expand_units(list(inputs), base)
    manifest = Manifest(root)
    manifest.number(units)
    summary = JobSummary(units=len(units))
    pending = [u for u in units if not manifest.done(u)]
    summary.already_done = len(units) - len(pending)
    stopped = limit_units is not None and len(pending) > limit_units
    pending = pending[:limit_units] if limit_units is not None else pending
    width = partitions or 1
    if pending:
        spark = spark or session(partitions)
        width = partitions or int(spark.sparkContext.defaultParallelism)
    started = time.perf_counter()
    for start in range(0, len(pending), width):
        chunk = pending[start : start + width]
        _analyse(spark, chunk, manifest, root, width, article_timeout)
        for unit in chunk:
            manifest.mark_done(unit)
        summary.analysed_now += len(chunk)
    summary.seconds["analysis"] = time.perf_counter() - started
    if stopped:
        return summary
    done = manifest.done_ids()
    built = manifest.built()
    if summary.analysed_now or built is None or built["inputs"] != done or not _complete(root):
        # Nothing is read from the datasets while they are rebuilt: a kill here means a rebuild next time.
        manifest.forget_built()
        spark = spark or session(partitions)
        started = time.perf_counter()
        _rebuild(spark, root, done)
        summary.seconds["corpus"] = time.perf_counter() - started
        count(root, done, summary)
        manifest.mark_built(done, summary)
        summary.rebuilt = True
    else:
        summary.counts.update(built["counts"])
        summary.problems = [(p[0], p[1], p[2], p[3]) for p in built["problems"]]
    return summary


def _analyse(
    spark: Any, chunk: list[Unit], manifest: Manifest, root: Path, width: int, timeout: float | None
) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from onrecord.spark.analyse import analyse_rows, raw_schema, read_units, staging_schema

    rows = [(u.id, manifest.ordinals[u.uri], u.uri) for u in chunk]
    units = spark.createDataFrame(rows, "input_id string, unit long, uri string").repartition(len(rows))
    raw = units.mapInArrow(read_units, from_arrow_schema(raw_schema()))
    # Spread one unit's records over every core, in more partitions than cores so that a partition
    # full of long articles does not leave the other cores idle at the end (as a pool's queue would).
    spread = raw.repartition(width * SPREAD, F.col("unit"), F.col("position"))
    analyse = functools.partial(analyse_rows, timeout=timeout)
    analysed = spread.mapInArrow(analyse, from_arrow_schema(staging_schema()))
    (
        analysed.write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("input_id")
        .parquet(str(root / ANALYSED))
    )


def _staged(spark: Any, root: Path, done: list[str]) -> Any:
    from pyspark.sql import functions as F

    return spark.read.parquet(str(root / ANALYSED)).where(F.col("input_id").isin(done))


def _rebuild(spark: Any, root: Path, done: list[str]) -> None:
    from pyspark.sql import functions as F

    from onrecord.spark.corpus import tables

    # Stage two is a dozen small queries. On a small corpus adaptive execution only adds work: it
    # runs each shuffle as its own job to re-plan what follows (fundus WARC, 256 articles, local[2]:
    # 39 Spark jobs and 96 stages with it, 27 and 73 without, same rows). Its skew handling and
    # partition coalescing pay off on large corpora: from SMALL_ROWS analysed rows it stays on.
    switch = _staged_rows(root, done) < SMALL_ROWS
    previous = spark.conf.get(ADAPTIVE, "true")
    if switch:
        spark.conf.set(ADAPTIVE, "false")
    try:
        datasets = tables(spark, _staged(spark, root, done))
        for name in (*PER_ARTICLE, *CORPUS):
            columns = [F.col(c).cast(_spark_type(name, c)).alias(c) for c in column_names(name)]
            frame = datasets[name]
            writer = (
                frame.select(*columns, PARTITION).write.partitionBy(PARTITION)
                if name in PER_ARTICLE
                else frame.select(*columns).coalesce(1).write
            )
            writer.mode("overwrite").parquet(str(root / name))
    finally:
        spark.conf.set(ADAPTIVE, previous)


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"))


def _staged_rows(root: Path, done: list[str]) -> int:
    """Analysed rows of the finished units, from the Parquet footers (no Spark job)."""
    import pyarrow.parquet as pq

    return sum(
        pq.ParquetFile(f).metadata.num_rows
        for unit in done
        for f in _parquet_files(root / ANALYSED / f"input_id={unit}")
    )


def _spark_type(table: str, column: str) -> str:
    arrow = str(arrow_schema(table).field(column).type)
    return {"int64": "long", "string": "string", "binary": "binary", "double": "double"}[arrow]


def _complete(root: Path) -> bool:
    return all((root / name / SUCCESS).exists() for name in (*PER_ARTICLE, *CORPUS))


def count(root: Path, done: list[str], summary: JobSummary) -> None:
    """The run's counts and problems, read from the files written: no Spark job.

    Each staged row that is not an article is a skipped or failed input, counted under its status
    and listed (in input order) as the ingest lists them; the datasets' rows come from the Parquet
    footers. (Counted with Spark, a count per dataset, it took 27 jobs, 5 to 13 s of the fundus
    bench's stage two; the problems were then collected in one job, now read with pyarrow.)
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    columns = ["id", "status", "source", "record", "reason"]
    problems: list[dict[str, Any]] = []
    for unit in done:
        for f in _parquet_files(root / ANALYSED / f"input_id={unit}"):
            for batch in pq.ParquetFile(f).iter_batches(columns=columns):
                problems += batch.filter(pc.not_equal(batch["status"], "article")).to_pylist()
    problems.sort(key=lambda row: int(row["id"]))
    stored = _staged_rows(root, done) - len(problems)
    if stored:
        summary.counts["article"] += stored
    for row in problems:
        summary.counts[str(row["status"])] += 1
        summary.problems.append(
            (str(row["status"]), str(row["source"]), str(row["record"] or ""), str(row["reason"]))
        )
    for name in ("articles", "quotes", "actors", "statements", "stories"):
        files = _parquet_files(root / name)
        summary.counts[f"{name}_rows"] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    summary.counts["not_analysed"] = sum(
        int(pc.sum(pc.equal(pq.read_table(f, columns=["analysed"])["analysed"], 0)).as_py() or 0)
        for f in _parquet_files(root / "articles")
    )
    summary.counts["unchanged"] = summary.counts["article"] - summary.counts["articles_rows"]
