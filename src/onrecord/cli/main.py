"""The ``onrecord`` command: parse options, call one library function, print."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from onrecord.api import check_date, withhold_speakers
from onrecord.cli.corpus import min_confidence_option
from onrecord.cli.digest import print_digest
from onrecord.cli.inputs import article_timeout_option, expand
from onrecord.errors import InputError, OnrecordError
from onrecord.model import json_line
from onrecord.pipeline import run_many

EXIT_INPUT = 2


def _published(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    try:
        return check_date(value, "--published")
    except InputError as exc:
        raise click.BadParameter(exc.reason) from None


def demo_article() -> Path:
    """The bundled demo article (the seed, as scraped)."""
    return Path(str(resources.files("onrecord").joinpath("demo", "sputnik-2020-10-22-new-start.txt")))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="onrecord")
def main() -> None:
    """onrecord: who said what, when, about whom, from news articles."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--published", callback=_published, metavar="YYYY-MM-DD", help="Publication date, when known.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: a digest to read; json/jsonl: the record contract.",
)
@click.option("--demo", is_flag=True, help="Analyse the bundled demo article.")
@min_confidence_option(
    "Withhold every speaker whose confidence (0 to 1) is below this, or was never scored: those"
    " statements are shown as unattributed (in JSON: speaker name, actor_id and confidence null, the"
    " withheld name in evidence). Statements are never dropped."
)
@article_timeout_option
def analyze(
    paths: tuple[str, ...],
    published: str | None,
    fmt: str,
    demo: bool,
    min_confidence: float | None,
    article_timeout: float,
) -> None:
    """Analyse articles: PATHS are files, folders, globs or '-' for stdin (text or HTML).

    The digest shows each speaker's confidence beside their name, e.g. "Dmitry Peskov (0.93)".
    """
    if demo:
        paths = (*paths, str(demo_article()))
    if not paths:
        raise click.UsageError("give at least one PATH (or --demo)")
    out = Console(soft_wrap=True, highlight=False)
    failed = 0
    results: list[dict[str, Any]] = []
    for outcome in run_many(expand(paths), published, timeout=article_timeout or None, route=True):
        if outcome.error is not None or outcome.article is None:
            failed += 1
            click.echo(f"error: {outcome.error}", err=True)
            continue
        if outcome.notice is not None:
            click.echo(f"note: {outcome.source}: {outcome.notice}", err=True)
        article = outcome.article
        if min_confidence is not None:
            article = withhold_speakers(article, min_confidence)
        if fmt == "text":
            print_digest(article, out)
        elif fmt == "jsonl":
            click.echo(json_line(article.to_dict()))
        else:
            results.append(article.to_dict())
    if fmt == "json" and results:
        click.echo(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(EXIT_INPUT)


def run() -> None:
    """Entry point that turns onrecord's own errors into one line and exit status 2."""
    try:
        main(standalone_mode=True)
    except OnrecordError as exc:  # pragma: no cover - click exits before this in practice
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)


from onrecord.cli import evaluate as _evaluate  # noqa: E402  (registers the eval group)

main.add_command(_evaluate.eval_group)

from onrecord.cli import corpus as _corpus  # noqa: E402  (registers the corpus commands)

for _command in _corpus.COMMANDS:
    main.add_command(_command)

from onrecord.cli.serve import serve as _serve  # noqa: E402  (registers `onrecord serve`)

main.add_command(_serve)

from onrecord.cli.spark import spark as _spark  # noqa: E402  (registers `onrecord spark`)

main.add_command(_spark)

from onrecord.cli.actors_eval import actors_report as _actors_report  # noqa: E402  (`onrecord actors-report`)

main.add_command(_actors_report)

from onrecord.cli.users import users as _users  # noqa: E402  (registers `onrecord users`)

main.add_command(_users)

from onrecord.cli import watch as _watch  # noqa: E402  (registers `onrecord watch` and `onrecord sources`)

main.add_command(_watch.watch)
main.add_command(_watch.sources)
