"""``onrecord watch`` and ``onrecord sources``: keep a store current from feeds and sitemaps -> the store.

``watch`` parses its options, reads the sources named, and runs ``onrecord.watch.rounds.Watcher``;
it prints one progress line per round (or, with ``--json``, one JSON object per line for a service
manager's log). Ctrl-C or SIGTERM ends the round in progress cleanly; a second Ctrl-C ends at once.
``sources`` prints each watched source's health.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import click

from onrecord.cli.corpus import EXIT_INPUT, db_option
from onrecord.cli.inputs import article_timeout_option
from onrecord.errors import OnrecordError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(text: str) -> float:
    """'15m', '90s', '2h', '1d' or a number of seconds -> seconds."""
    found = _DURATION.match(text.lower())
    if found is None:
        raise ValueError(f"{text!r} is not a duration: give e.g. 90s, 15m, 2h or 1d")
    return float(found.group(1)) * _UNITS[found.group(2)]


def _duration(_ctx: click.Context, _param: click.Parameter, value: str) -> float:
    try:
        every = seconds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if every < 60:
        raise click.BadParameter("poll a source at most once a minute (give 1m or more)")
    return every


def _archive_folder(db: Path, archive: Path | None, no_archive: bool) -> Path | None:
    if no_archive:
        return None
    return archive if archive is not None else db.with_name(db.stem + "-warc")


@click.command()
@click.argument("sources", nargs=-1)
@db_option
@click.option(
    "--every", default="15m", show_default=True, callback=_duration, metavar="DURATION",
    help="How often each source is polled (e.g. 30m, 2h); a failing source is polled less often.",
)  # fmt: skip
@click.option("--once", is_flag=True, help="One round, then exit.")
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the WARC files every fetched response is appended to [default: beside the"
    " database, DB-warc/]. `onrecord ingest` reads them back.",
)
@click.option("--no-archive", is_flag=True, help="Keep no WARC archive (not recommended: no evidence).")
@click.option(
    "--max-new", type=click.IntRange(min=1), default=100, show_default=True,
    help="Article URLs fetched per source and round, newest first; the rest wait for the next round.",
)  # fmt: skip
@click.option("--refetch", is_flag=True, help="Fetch again every URL the listings name, even those stored.")
@click.option(
    "--rate", type=click.FloatRange(min=0.01), default=1.0, show_default=True,
    help="Requests per second to one host (robots.txt's Crawl-delay may lower it).",
)  # fmt: skip
@click.option(
    "--concurrency", type=click.IntRange(min=1, max=64), default=8, show_default=True,
    help="Requests in flight at once, over all hosts (one per host at a time).",
)  # fmt: skip
@click.option("--contact", default=None, help="An e-mail or URL sites can reach you at (in the User-Agent).")
@click.option(
    "--allow-private", is_flag=True,
    help="Fetch from private and loopback addresses too (an intranet, tests). Off by default.",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Analysis processes [default: all cores]."
)
@article_timeout_option
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per line per round (for a service log)."
)
def watch(
    sources: tuple[str, ...],
    db: Path,
    every: float,
    once: bool,
    archive: Path | None,
    no_archive: bool,
    max_new: int,
    refetch: bool,
    rate: float,
    concurrency: int,
    contact: str | None,
    allow_private: bool,
    workers: int | None,
    article_timeout: float,
    as_json: bool,
) -> None:
    """Watch feeds and sitemaps, and keep the corpus current: SOURCES are RSS/Atom feed URLs, news
    sitemap URLs, OPML files, or text files of those (one per line).

    Sources named are remembered in the database; with none, the watched ones are polled. Each round
    fetches the new article URLs once (robots.txt obeyed, RATE requests/s per host), archives every
    response as WARC, and ingests the pages as `onrecord ingest` does. A page that changed is stored
    as a new version; the old one is kept.
    """
    from onrecord.watch.fetch import FetchPolicy
    from onrecord.watch.rounds import RoundReport, Watcher, WatchOptions
    from onrecord.watch.sources import read_sources

    found, problems = read_sources(sources)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems and not found:
        sys.exit(EXIT_INPUT)
    options = WatchOptions(
        every=every,
        max_new=max_new,
        refetch=refetch,
        workers=workers,
        article_timeout=article_timeout or None,
        archive=_archive_folder(db, archive, no_archive),
    )
    policy = FetchPolicy(
        contact=contact, per_host_interval=1.0 / rate, concurrency=concurrency, allow_private=allow_private
    )

    def report(done: RoundReport) -> None:
        if as_json:
            click.echo(json.dumps(done.to_dict(), ensure_ascii=False), nl=True)
            sys.stdout.flush()
        else:
            click.echo(done.line(), err=True)
            for error in done.errors:  # which source failed, and why
                click.echo(f"  {error}", err=True)

    try:
        with Watcher(db, options, policy) as watcher:
            added = watcher.add(found)
            if not watcher.state.watched():
                click.echo(
                    "error: no sources to watch: name feed or sitemap URLs, or files of them", err=True
                )
                sys.exit(EXIT_INPUT)
            if added and not as_json:
                click.echo(f"watching {added} new source(s), {watcher.state.watched()} in all", err=True)
            _stop_on_signals(watcher)
            watcher.run(once=once, on_round=report)
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    if problems:
        sys.exit(EXIT_INPUT)


def _stop_on_signals(watcher: Any) -> None:
    """Ctrl-C or SIGTERM: end the round cleanly; a second Ctrl-C: now."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        if watcher.stopping.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        click.echo("stopping: finishing the pages already fetched (Ctrl-C again to quit now)", err=True)
        watcher.stop()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


@click.command()
@db_option
@click.option(
    "--remove", "remove", multiple=True, metavar="URL", help="Stop watching this source (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def sources(db: Path, remove: tuple[str, ...], as_json: bool) -> None:
    """The watched sources and their health: last poll and success, errors in a row and the last one,
    when each is polled next, URLs waiting, and new articles today and over 7 days."""
    from rich.console import Console
    from rich.table import Table

    from onrecord.cli.users import existing_store
    from onrecord.watch.state import WatchState, source_health

    with existing_store(db) as conn:
        missing = [url for url in remove if not WatchState(conn).remove_source(url)]
        health = source_health(conn)
    for url in missing:
        click.echo(f"error: {url} is not a watched source", err=True)
    if as_json:
        click.echo(json.dumps(health, ensure_ascii=False, indent=2))
    elif not health:
        click.echo("no sources watched: add some with `onrecord watch URL...`")
    else:
        table = Table("source", "kind", "last success", "errors", "next poll", "waiting", "today", "7 days")
        for row in health:
            errors = str(row["errors_in_row"]) + (f": {row['last_error']}" if row["last_error"] else "")
            table.add_row(
                (row["title"] and f"{row['title']}\n{row['url']}") or row["url"],
                row["kind"] or "?",
                row["last_success"] or "never",
                errors,
                row["next_poll"] or "now",
                str(row["waiting"]),
                str(row["today"]),
                str(row["week"]),
            )
        Console(soft_wrap=False, highlight=False).print(table)
    if missing:
        sys.exit(EXIT_INPUT)
