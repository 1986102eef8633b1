"""Corpus commands: ``onrecord ingest`` (paths -> store) and the read side (store -> tables, JSON, CSV).

Each command parses options, calls one library function (``onrecord.corpus.build.ingest`` or a
function of ``onrecord.queries``) and prints: a table for people, ``--format json|csv`` for programs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from onrecord.cli.inputs import article_timeout_option
from onrecord.cli.spark import parquet_option, read_parquet
from onrecord.errors import OnrecordError
from onrecord.store.schema import CONFIDENT

DEFAULT_DB = "onrecord.db"
EXIT_INPUT = 2


def _date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from None


def _language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from onrecord.queries import language_code

    if value is None:
        return None
    try:
        return language_code(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _confidence(_ctx: click.Context, _param: click.Parameter, value: float | None) -> float | None:
    if value is not None and value != value:  # NaN passes FloatRange's comparisons
        raise click.BadParameter("give a number from 0 to 1")
    return value


def min_confidence_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--min-confidence FLOAT (0 to 1), shared by the commands that narrow by speaker confidence."""
    return click.option(
        "--min-confidence",
        type=click.FloatRange(0, 1),
        callback=_confidence,
        default=None,
        metavar="FLOAT",
        help=help_text,
    )


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help="The corpus database (SQLite).",
    )(command)


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format, --limit and --offset, shared by every listing."""
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "json", "csv"]),
            default="table",
            show_default=True,
            help="table for people; json or csv for programs.",
        ),
        click.option(
            "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Rows per page."
        ),
        click.option(
            "--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Rows to skip."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@contextmanager
def _reading(db: Path) -> Iterator[sqlite3.Connection]:
    from onrecord.queries import open_db

    try:
        conn = open_db(db)
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    try:
        yield conn
    finally:
        conn.close()


def _print_page(page: Any, fmt: str, columns: tuple[str, ...], title: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(page.rows[0]) if page.rows else list(columns))
        writer.writeheader()
        writer.writerows(page.rows)
        click.echo(buffer.getvalue(), nl=False)
        return
    console = Console(soft_wrap=False, highlight=False)
    table = Table(title=title, show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold", max_width=80 if column in ("statement", "headline") else 40)
    for row in page.rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console.print(table)
    shown = f"{page.offset + 1}–{page.offset + len(page.rows)}" if page.rows else "none"
    more = (
        f"; next page: --offset {page.offset + page.limit}" if page.offset + page.limit < page.total else ""
    )
    console.print(f"{shown} of {page.total}{more}")


# -- ingest --------------------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores]."
)
@click.option("--published", callback=_date, metavar="YYYY-MM-DD", help="Publication date for every input.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@article_timeout_option
def ingest(
    paths: tuple[str, ...],
    db: Path,
    workers: int | None,
    published: str | None,
    quiet: bool,
    article_timeout: float,
) -> None:
    """Ingest articles into the corpus database: PATHS are files, folders, globs or '-' (stdin).

    Reads .txt, .html, .warc(.gz), .jsonl and RSS/Atom files, gzip-compressed or not. Inputs already
    stored are skipped, so a rerun (even after a crash) only finishes the job.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from onrecord.corpus.build import Summary
    from onrecord.corpus.build import ingest as run_ingest

    console = Console(stderr=True, highlight=False)
    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest[/bold] {task.completed} inputs"),
        TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None, counts="", rate=0.0)

        def update(summary: Summary) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            c = summary.counts
            counts = (
                f"new {c['new']} · unchanged {c['unchanged']} · skipped {c['skipped']} · failed {c['failed']}"
            )
            progress.update(task, completed=summary.processed, counts=counts, rate=c["new"] / elapsed)

        try:
            summary = run_ingest(
                paths,
                db,
                workers=workers,
                published=published,
                on_result=update,
                article_timeout=article_timeout or None,
            )
        except OnrecordError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT)
    _print_summary(summary, db, time.monotonic() - started)
    if summary.counts["failed"]:
        sys.exit(EXIT_INPUT)


def _print_summary(summary: Any, db: Path, seconds: float) -> None:
    c = summary.counts
    rate = c["new"] / seconds if seconds > 0 else 0.0
    click.echo(
        f"{db}: {c['new']} new ({c['near_duplicates']} near-duplicates, {c['not_analysed']} not analysed:"
        f" language not supported), {c['unchanged']} unchanged, {c['skipped']} skipped, {c['failed']} failed"
        f" in {seconds:.1f} s ({rate:.1f} new articles/s)"
    )
    for kind, source, record, reason in summary.problems:
        where = f"{source} [{record}]" if record else source
        click.echo(f"{kind}: {where}: {reason}", err=True)


# -- the read side -------------------------------------------------------------------------------


@click.command()
@db_option
@click.option("--speaker", help="Said by this person or organisation (name, alias or surname).")
@click.option("--search", help="Words that must all occur in the statement.")
@click.option("--about", help="An actor named inside the statement.")
@click.option("--outlet", help="Reported by this outlet.")
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Said on or after this date.")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Said on or before this date.")
@click.option(
    "--attitude",
    help="The cue's attitude class: neutral, assertive, denial, warning, concession, question, claim,"
    " commitment, criticism or support.",
)
@click.option(
    "--language",
    callback=_language,
    metavar="CODE",
    help="From articles in this language: an ISO 639-1 code (en, de, fr, ru, es; `onrecord overview`"
    " lists the corpus's).",
)
@min_confidence_option(
    "Only statements whose speaker confidence (0 to 1) is at least this; statements never scored"
    " are left out too."
)
@output_options
@parquet_option
def quotes(db: Path, fmt: str, limit: int, offset: int, parquet: Path | None, **filters: Any) -> None:
    """Statements in the corpus (who said what, when), oldest first.

    The table shows each speaker's confidence beside their name; --format json|csv gives it as
    `confidence` (empty for statements stored before confidences, or never scored).
    """
    from onrecord import queries

    if parquet is not None:
        if filters.pop("attitude"):
            click.echo("error: --attitude reads the SQLite store; leave out --parquet", err=True)
            sys.exit(EXIT_INPUT)
        page = read_parquet(parquet, "quotes", limit=limit, offset=offset, **filters)
    else:
        with _reading(db) as conn:
            page = queries.quotes(conn, limit=limit, offset=offset, **filters)
    if fmt == "table":
        page = replace(page, rows=[{**row, "actor": _speaker(row)} for row in page.rows])
    _print_page(page, fmt, ("date", "actor", "statement", "outlet"), "statements")


def _speaker(row: dict[str, Any]) -> str:
    """'Dmitry Peskov (0.93)': a quote row's speaker with its confidence, when it has one."""
    name = row.get("actor") or "(unattributed)"
    confidence = row.get("confidence")
    return name if confidence is None else f"{name} ({confidence:.2f})"


@click.command()
@db_option
@click.option("--search", help="Part of a name or alias.")
@click.option(
    "--all-attributions",
    is_flag=True,
    help="Count every statement given to an actor, not only the confident ones (speaker confidence"
    f" at least {CONFIDENT:g}, or never scored).",
)
@output_options
@parquet_option
def actors(
    db: Path,
    search: str | None,
    all_attributions: bool,
    fmt: str,
    limit: int,
    offset: int,
    parquet: Path | None,
) -> None:
    """People, organisations and places in the corpus, most mentioned first, with their statements
    (the confident attributions, unless --all-attributions)."""
    from onrecord import queries

    confident_only = not all_attributions
    if parquet is not None:
        page = read_parquet(
            parquet, "actors", search=search, confident_only=confident_only, limit=limit, offset=offset
        )
    else:
        with _reading(db) as conn:
            page = queries.actors(
                conn, search=search, confident_only=confident_only, limit=limit, offset=offset
            )
    _print_page(page, fmt, ("name", "type", "mentions", "statements", "articles", "id"), "actors")


@click.command()
@click.argument("name")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def actor(name: str, db: Path, fmt: str) -> None:
    """One actor: aliases, roles, statements per month, co-mentioned actors, outlets quoting them."""
    from onrecord import queries

    with _reading(db) as conn:
        profile = queries.actor(conn, name)
    if profile is None:
        click.echo(f"error: no actor named {name!r} (try `onrecord actors --search`)", err=True)
        sys.exit(EXIT_INPUT)
    if fmt == "json":
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
        return
    out = Console(soft_wrap=True, highlight=False)
    out.print(
        f"[bold]{profile['name']}[/bold] ({profile['type']}, {profile['mentions']} mentions,"
        f" id {profile['id']})"
    )
    out.print("aliases: " + ", ".join(_alias(a) for a in profile["aliases"]))
    out.print("roles: " + (", ".join(_role(r) for r in profile["roles"]) or "none"))
    out.print(
        "statements per month: "
        + (", ".join(f"{m['month']}: {m['statements']}" for m in profile["statements_per_month"]) or "none")
    )
    out.print("co-mentioned: " + ", ".join(f"{c['name']} ({c['articles']})" for c in profile["co_mentioned"]))
    out.print(
        "quoted by: " + (", ".join(f"{o['outlet']} ({o['statements']})" for o in profile["outlets"]) or "—")
    )
    if profile["also_matching"]:
        out.print(f"also matching {name!r}: " + ", ".join(profile["also_matching"]))


def _alias(row: dict[str, Any]) -> str:
    """'Dmitri Peskow (2 articles: de)': a name with the languages of the articles that gave it."""
    count = f"{row['articles']} article{'s' if row['articles'] != 1 else ''}"
    return (
        f"{row['alias']} ({count}: {row['languages']})" if row["languages"] else f"{row['alias']} ({count})"
    )


def _role(row: dict[str, Any]) -> str:
    """'spokesperson (2020-10-19 to 2020-11-03, 4 articles)': a role with the dates it was seen."""
    first, last, count = row["first_seen"], row["last_seen"], row["articles"]
    when = "undated" if first is None else (first if first == last else f"{first} to {last}")
    return f"{row['role']} ({when}, {count} article{'s' if count != 1 else ''})"


@click.command()
@click.argument("name_or_text")
@db_option
@output_options
@parquet_option
def timeline(name_or_text: str, db: Path, fmt: str, limit: int, offset: int, parquet: Path | None) -> None:
    """Dated statements and articles about an actor (or containing some words), oldest first."""
    from onrecord import queries

    if parquet is not None:
        page = read_parquet(parquet, "timeline", name_or_text, limit=limit, offset=offset)
    else:
        with _reading(db) as conn:
            page = queries.timeline(conn, name_or_text, limit=limit, offset=offset)
    _print_page(page, fmt, ("date", "kind", "who", "what"), f"timeline: {name_or_text}")


@click.command()
@db_option
@click.option(
    "--min-articles", type=click.IntRange(min=1), default=1, show_default=True, help="Smallest story."
)
@output_options
def stories(db: Path, min_articles: int, fmt: str, limit: int, offset: int) -> None:
    """Stories: groups of near-duplicate articles (syndicated copies), largest first."""
    from onrecord import queries

    with _reading(db) as conn:
        page = queries.stories(conn, min_articles=min_articles, limit=limit, offset=offset)
    _print_page(page, fmt, ("id", "articles", "first_published", "headline", "outlets"), "stories")


@click.command()
@click.argument("out", type=click.Path(allow_dash=True))
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    required=True,
    help="jsonl: articles; csv: statements; parquet: every table, as `onrecord spark` writes them.",
)
@min_confidence_option(
    "Only statements whose speaker confidence (0 to 1) is at least this, never-scored ones left out:"
    " the CSV's rows, the Parquet quotes, or each JSONL article's quotes (every article is still"
    " written, and every other Parquet table whole)."
)
def export(out: str, db: Path, fmt: str, min_confidence: float | None) -> None:
    """Export the corpus to OUT ('-' for stdout): articles as JSON lines, statements as CSV, or
    the store's tables as Parquet datasets.

    With --format parquet, OUT is a folder laid out as the output of `onrecord spark` (a dataset
    per table, per-article tables by publication month), which `quotes|actors|timeline --parquet`,
    `serve --parquet` and DuckDB read the same way. OUT must be new, empty, or an earlier Parquet
    export, whose datasets are then replaced (other files in it are left alone); any other folder,
    the output of `onrecord spark` included, is refused.
    """
    from onrecord import queries

    if fmt == "parquet":
        _export_parquet(out, db, min_confidence)
        return
    if Path(out).is_dir():
        raise click.BadParameter(f"{out} is a folder; give a file name", param_hint="'OUT'")
    with _reading(db) as conn:
        if out == "-":
            count = queries.export(conn, fmt, sys.stdout, min_confidence=min_confidence)
        else:
            with Path(out).open("w", encoding="utf-8", newline="") as handle:
                count = queries.export(conn, fmt, handle, min_confidence=min_confidence)
    click.echo(f"{count} {'articles' if fmt == 'jsonl' else 'statements'} written to {out}", err=True)


def _export_parquet(out: str, db: Path, min_confidence: float | None) -> None:
    from onrecord.store.parquet_export import export_parquet

    if out == "-":
        raise click.BadParameter("Parquet datasets go to a folder, not stdout", param_hint="'OUT'")
    with _reading(db) as conn:
        try:
            written = export_parquet(conn, out, min_confidence=min_confidence)
        except OnrecordError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT)
    rows = written.rows
    replaced = ", replacing the earlier export" if written.replaced else ""
    click.echo(
        f"{rows['articles']} articles, {rows['quotes']} statements, {rows['actors']} actors written to"
        f" {out} ({len(rows)} Parquet datasets{replaced})",
        err=True,
    )


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def overview(db: Path, fmt: str) -> None:
    """Corpus totals: articles, languages, stories, statements, people, outlets, dates."""
    from onrecord import queries

    with _reading(db) as conn:
        facts = queries.overview(conn)
    if fmt == "json":
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    languages = ", ".join(f"{k} {v}" for k, v in facts["languages"].items())
    first, last = facts["first_published"], facts["last_published"]
    dates = f"{first} … {last}" if first else "no publication dates known"
    click.echo(
        f"{facts['articles']} articles ({facts['analysed']} analysed; {languages})"
        f" in {facts['stories']} stories from {facts['outlets']} outlets, {dates}\n"
        f"{facts['quotes']} statements ({facts['distinct_statements']} distinct), {facts['people']} people,"
        f" {facts['problems']} inputs skipped or failed"
    )


# -- judgements and re-analysis --------------------------------------------------------------------


def judgement_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--by and --note, shared by every correction."""
    command = click.option("--note", help="Why (kept with the judgement).")(command)
    return click.option("--by", "author", help="Who decides [default: your login name].")(command)


def _judge(make: Callable[[], Any]) -> None:
    try:
        judgement = make()
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(
        f"judgement {judgement.id} ({judgement.kind}) by {judgement.author} at {judgement.made_at}:"
        f" {judgement.subject} -> {judgement.value}"
    )


@click.command()
@click.argument("quote_id", type=int)
@click.option("--speaker", required=True, help="Who really said it: an actor's name or id (or a new name).")
@db_option
@judgement_options
def correct(quote_id: int, speaker: str, db: Path, author: str | None, note: str | None) -> None:
    """Correct the speaker of quote QUOTE_ID (ids: `onrecord quotes --format json`).

    Kept as a judgement with who and when; it holds after `onrecord reanalyze`.
    """
    from onrecord.corpus.judgements import correct_speaker

    _judge(lambda: correct_speaker(db, quote_id, speaker, author=author, note=note))


@click.command()
@click.argument("actor_a")
@click.argument("actor_b")
@db_option
@judgement_options
def merge(actor_a: str, actor_b: str, db: Path, author: str | None, note: str | None) -> None:
    """Merge ACTOR_B into ACTOR_A (names or ids): one person from now on, in every query and ingest."""
    from onrecord.corpus.judgements import merge_actors

    _judge(lambda: merge_actors(db, actor_a, actor_b, author=author, note=note))


@click.command()
@click.argument("actor_name")
@click.option("--alias", required=True, help="The name (as articles gave it) whose articles leave ACTOR.")
@db_option
@judgement_options
def split(actor_name: str, alias: str, db: Path, author: str | None, note: str | None) -> None:
    """Split ACTOR: the articles that named it --alias become another actor's (a new one if needed)."""
    from onrecord.corpus.judgements import split_actor

    _judge(lambda: split_actor(db, actor_name, alias, author=author, note=note))


@click.command()
@db_option
@click.option("--kind", type=click.Choice(["speaker", "merge", "split"]), help="Only this kind.")
@output_options
def judgements(db: Path, kind: str | None, fmt: str, limit: int, offset: int) -> None:
    """The corrections people made (speaker, merge, split), with who and when, oldest first."""
    from onrecord import queries

    with _reading(db) as conn:
        page = queries.judgements(conn, kind=kind, limit=limit, offset=offset)
    _print_page(page, fmt, ("id", "kind", "subject", "value", "author", "made_at"), "judgements")


@click.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Every article, not only older versions.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores]."
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@article_timeout_option
def reanalyze(db: Path, everything: bool, workers: int | None, quiet: bool, article_timeout: float) -> None:
    """Re-run today's pipeline on stored articles analysed by an older version (or --all).

    Judgements (corrected speakers, merges, splits) are applied again; a rerun after a crash
    finishes the articles still on the old version.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from onrecord.corpus.reanalyze import ReanalysisSummary
    from onrecord.corpus.reanalyze import reanalyze as run_reanalyze

    if not db.exists():
        click.echo(f"error: {db}: no such database (create it with `onrecord ingest`)", err=True)
        sys.exit(EXIT_INPUT)
    console = Console(stderr=True, highlight=False)
    started = time.monotonic()
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet, transient=True) as progress:
        task = progress.add_task("reanalyze", total=None)

        def update(summary: ReanalysisSummary) -> None:
            done = summary.counts["reanalysed"] + summary.counts["failed"]
            progress.update(task, total=summary.todo, completed=done)

        summary = run_reanalyze(
            db,
            everything=everything,
            workers=workers,
            on_result=update,
            article_timeout=article_timeout or None,
        )
    c = summary.counts
    click.echo(
        f"{db}: {c['reanalysed']} articles reanalysed ({c['not_analysed']} not analysed: language not"
        f" supported), {c['failed']} failed in {time.monotonic() - started:.1f} s"
    )
    for key, reason in summary.problems:
        click.echo(f"failed: {key}: {reason}", err=True)
    if c["failed"]:
        sys.exit(EXIT_INPUT)


COMMANDS = (
    ingest, quotes, actors, actor, timeline, stories, export, overview,
    correct, merge, split, judgements, reanalyze,
)  # fmt: skip
