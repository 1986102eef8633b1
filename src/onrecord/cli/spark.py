"""``onrecord spark``: parse options, run the Spark job (``onrecord.spark.job.run``), print a summary."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from onrecord.cli.inputs import article_timeout_option
from onrecord.errors import OnrecordError

EXIT_INPUT = 2


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder: one Parquet dataset per store table.",
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=None,
    help="Partitions (local mode: cores) for the analysis [default: all cores].",
)
@click.option("--base", metavar="URI", help="Prefix for relative paths in WARC path lists (e.g. a bucket).")
@article_timeout_option
def spark(
    inputs: tuple[str, ...], out: Path, partitions: int | None, base: str | None, article_timeout: float
) -> None:
    """Analyse INPUTS on Spark into Parquet datasets under --out (resumable).

    INPUTS are WARC, JSONL or Parquet (columns text or html, url, date, outlet, title) files,
    folders, globs, URIs, or text files listing WARC paths (Common Crawl's warc.paths). Each
    partition runs the same per-article pipeline as `onrecord ingest`; finished inputs are skipped
    on a rerun. Query the output with `onrecord quotes|actors|timeline --parquet DIR`.

    Skipped and failed inputs are listed at the end, as by `onrecord ingest`: the exit status is 2
    if any failed, 0 if they were only skipped (no text, not an HTML page).
    """
    if importlib.util.find_spec("pyspark") is None:
        click.echo(
            "error: onrecord spark needs PySpark: pip install 'onrecord[spark]' (and Java 17)", err=True
        )
        sys.exit(EXIT_INPUT)
    from onrecord.spark.job import run

    started = time.monotonic()
    try:
        summary = run(inputs, out, partitions=partitions, base=base, article_timeout=article_timeout or None)
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    _print_summary(summary, out, time.monotonic() - started)
    if summary.failed:
        sys.exit(EXIT_INPUT)


def _print_summary(summary: Any, out: Path, seconds: float) -> None:
    """The run in one line (skipped and failed inputs counted apart), then one line per problem."""
    c = summary.counts
    click.echo(
        f"{out}: {summary.units} inputs ({summary.analysed_now} analysed now, {summary.already_done} done"
        f" before); {c['articles_rows']} articles ({c['not_analysed']} not analysed: language not"
        f" supported), {c['unchanged']} duplicates, {c['skipped']} skipped, {c['failed']} failed;"
        f" {c['quotes_rows']} quotes, {c['actors_rows']} actors, {c['statements_rows']} statements,"
        f" {c['stories_rows']} stories in {seconds:.1f} s"
    )
    for kind, source, record, reason in summary.problems:
        where = f"{source} [{record}]" if record else source
        click.echo(f"{kind}: {where}: {reason}", err=True)


def parquet_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--parquet DIR: answer from the Parquet output of `onrecord spark` (through DuckDB)."""
    return click.option(
        "--parquet",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Read the Parquet output of `onrecord spark` (DuckDB, no Spark) instead of --db.",
    )(command)


def read_parquet(out: Path, query: str, *args: Any, **kwargs: Any) -> Any:
    """One query of ``onrecord.store.parquet`` over the datasets in ``out``; a bad folder exits 2."""
    from onrecord.store import parquet

    try:
        conn = parquet.open_duckdb(out)
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    try:
        return getattr(parquet, query)(conn, *args, **kwargs)
    finally:
        conn.close()
