"""``onrecord actors-report``: a corpus store -> how clean its actors are (``corpus.actor_report``)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from onrecord.corpus.actor_report import JUNK_KINDS, ActorReport, ReportedActor, actor_report
from onrecord.errors import OnrecordError

EXAMPLES = 8  # junk actors shown per kind
GROUPS = 15  # near-duplicate groups shown


@click.command("actors-report")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default="onrecord.db",
    show_default=True,
    help="The corpus database (SQLite).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (every actor listed) for programs.",
)
def actors_report(db: Path, fmt: str) -> None:
    """Report junk actors by kind, countries and names stored as several actors, and the top speakers."""
    try:
        report = actor_report(db)
    except OnrecordError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    _print(report, Console(soft_wrap=True, highlight=False))


def _print(report: ActorReport, out: Console) -> None:
    kinds = ", ".join(f"{t} {n}" for t, n in sorted(report.by_type.items()))
    out.print(f"{report.actors} actors ({kinds})")
    junk = Table(title="Junk actors by kind", title_justify="left")
    for column in ("kind", "actors", "most mentioned"):
        junk.add_column(column)
    counts = report.counts()
    for kind in JUNK_KINDS:
        found = report.junk.get(kind, [])
        junk.add_row(kind, str(counts[kind]), "; ".join(_label(a) for a in found[:EXAMPLES]))
    junk.add_row("total", str(counts["total"]), "")
    out.print(junk)
    countries = Table(title="Countries stored as several actors", title_justify="left")
    countries.add_column("country")
    countries.add_column("actors")
    countries.add_column("as")
    for name, actors in report.countries.items():
        countries.add_row(name, str(len(actors)), "; ".join(_label(a) for a in actors))
    out.print(countries if report.countries else "Countries stored as several actors: none")
    groups = Table(
        title=f"Actors sharing a normalised name ({len(report.duplicates)} groups)", title_justify="left"
    )
    groups.add_column("actors")
    for group in report.duplicates[:GROUPS]:
        groups.add_row("; ".join(_label(a) for a in group))
    out.print(groups)
    top = Table(title="Most quoted speakers", title_justify="left")
    for column in ("speaker", "type", "quotes"):
        top.add_column(column)
    for actor in report.top_speakers:
        top.add_row(actor.name, actor.type, str(actor.quotes))
    out.print(top)


def _label(actor: ReportedActor) -> str:
    return f"{actor.name} ({actor.type}, {actor.mentions})"
