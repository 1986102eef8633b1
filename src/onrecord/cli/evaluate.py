"""``onrecord eval``: score onrecord against annotated data and guard the pinned floors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from onrecord.errors import EvaluationError, QualityGateError

EXIT_INPUT = 2  # unusable gold data, as `onrecord analyze` exits on unreadable input


def data_dir() -> Path:
    """The shared data folder: $ONRECORD_DATA, else ../shared/data from here or from the repo."""
    env = os.environ.get("ONRECORD_DATA")
    if env:
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


def analyzer(text: str, published: str | None) -> dict[str, Any]:
    """The analyzer the scorers call: text in, contract dict out."""
    from onrecord.ingest.document import from_text
    from onrecord.pipeline import analyze_raw

    return analyze_raw(from_text(text), published).to_dict()


def routed_analyzer(text: str, published: str | None) -> dict[str, Any]:
    """The analyzer as `onrecord analyze` routes: each text through its language's pack; a language
    without one is an error saying so (the scorer lists the article as not analysed)."""
    from onrecord.corpus.language import no_pack
    from onrecord.errors import AnalysisError
    from onrecord.ingest.document import from_text
    from onrecord.pipeline import analyse_routed

    article, language, analysed = analyse_routed(from_text(text), published)
    if not analysed:
        raise AnalysisError(None, no_pack(language))
    return article.to_dict()


def _emit(name: str, result: Any, report: str, options: dict[str, Any]) -> None:
    click.echo(json.dumps(result.to_dict(), indent=2) if options["as_json"] else report)
    metrics = result.metrics() if hasattr(result, "metrics") else _flat(result.to_dict())
    _gate({name: metrics}, options)


def _gate(sections: dict[str, dict[str, float]], options: dict[str, Any]) -> None:
    """Check the measured sections against the floors (--check) or pin them (--update-baseline)."""
    gate: Path | None = options["gate"]
    names = ", ".join(sections)
    if gate is not None:
        from onrecord.evaluate.gate import check

        regressions = check(sections, gate)
        if regressions:
            for regression in regressions:
                click.echo(f"regression: {regression}", err=True)
            raise QualityGateError(f"{len(regressions)} score(s) fell below the floors in {gate}")
        click.echo(f"quality gate: {names} at or above every floor in {gate}", err=True)
    target: Path | None = options["update"]
    if target is not None:
        from onrecord.evaluate.gate import update

        update(sections, target, allow_lower=options["allow_lower"], reason=options["reason"])
        click.echo(f"floors for {names} pinned in {target}", err=True)


def _flat(scores: dict[str, Any], prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in scores.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat(value, name + "."))
        elif isinstance(value, float):
            flat[name] = value  # rates only: counts (ints) are facts about the data, not floors
    return flat


def _gate_options(command: Any) -> Any:
    """--json, --check, --update-baseline, --allow-lower and --reason, shared by every eval command."""
    options = [
        click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON."),
        click.option(
            "--check",
            "gate",
            type=click.Path(path_type=Path),
            default=None,
            help="Fail (exit 1) when a score falls below its floor in this baseline file.",
        ),
        click.option(
            "--update-baseline",
            "update",
            type=click.Path(path_type=Path),
            default=None,
            help="Pin the measured scores as floors in this baseline file (floors only go up).",
        ),
        click.option("--allow-lower", is_flag=True, help="With --update-baseline: allow lowering a floor."),
        click.option(
            "--reason", default=None, help="With --allow-lower: why the floor goes down (recorded)."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group("eval")
def eval_group() -> None:
    """Score onrecord against annotated data (seed, PolNeAR quotes, TempEval-3 timex, multilingual)."""


@eval_group.command("seed")
@click.option(
    "--gold", type=click.Path(path_type=Path), default=None, help="Gold file (default: the shared seed)."
)
@_gate_options
def eval_seed(gold: Path | None, **options: Any) -> None:
    """Score the seed article against its gold annotation."""
    from onrecord.evaluate.seed import evaluate_seed, format_seed_scores

    gold = gold or _one(data_dir() / "seed", "*.gold.json")
    _run(lambda: evaluate_seed(gold, analyzer), format_seed_scores, "seed", options)


@eval_group.command("quotes")
@click.option("--polnear", type=click.Path(path_type=Path), default=None, help="PolNeAR folder.")
@click.option(
    "--speakers",
    type=click.Path(path_type=Path),
    default=None,
    help="Canonical speakers (JSONL) for --split train; dev and slice use their own files.",
)
@click.option(
    "--split",
    type=click.Choice(["both", "dev", "slice", "train"]),
    default="both",
    show_default=True,
    help="dev (tuned on), slice (118 held-out train articles), both side by side, or all of train.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N articles of each split.")
@_gate_options
def eval_quotes(
    polnear: Path | None, speakers: Path | None, split: str, limit: int | None, **options: Any
) -> None:
    """Score quotations, speakers and their confidence on PolNeAR's quoted attributions.

    By default the dev split (the one rules were tuned on) and the held-out train slice (118
    articles nobody tuned on) are reported side by side, with a per-publisher table and the
    reliability table of the speaker confidences; gate sections: quotes (dev), quotes_slice.
    """
    folder = polnear or data_dir() / "polnear"
    if split == "train":
        from onrecord.evaluate.quotes import evaluate_quotes, format_quote_scores

        _run(
            lambda: evaluate_quotes(folder, analyzer, split="train", speakers=speakers, limit=limit),
            format_quote_scores,
            "quotes_train",
            options,
        )
        return
    from onrecord.evaluate.generalisation import evaluate_split, format_reports

    names = ["dev", "slice"] if split == "both" else [split]
    try:
        reports = [evaluate_split(folder, analyzer, name, limit=limit) for name in names]
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from None
    if options["as_json"]:
        click.echo(json.dumps({r.name: r.to_dict() for r in reports}, indent=2))
    else:
        click.echo(format_reports(reports))
    sections = {("quotes" if r.name == "dev" else "quotes_slice"): r.metrics() for r in reports}
    _gate(sections, options)


@eval_group.command("timex")
@click.option("--tml", type=click.Path(path_type=Path), default=None, help="Folder of TimeML files.")
@_gate_options
def eval_timex(tml: Path | None, **options: Any) -> None:
    """Score temporal expressions on TempEval-3 TimeML (TimeBank + AQUAINT by default)."""
    from onrecord.evaluate.timeml import evaluate_timex, format_scores

    folder = tml or data_dir() / "tempeval3"
    _run(lambda: evaluate_timex(folder), format_scores, "timex", options)


@eval_group.command("multilingual")
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--errors", is_flag=True, help="Also print each article's misses, false alarms and wrong speakers."
)
@_gate_options
def eval_multilingual(folder: Path | None, errors: bool, **options: Any) -> None:
    """Score statements and speakers on the hand-labelled German, French, Russian and Spanish news.

    DIR holds <lang>/<name>.txt with <name>.gold.json and <name>.meta.json (default: the shared
    multilingual folder). Prints detection and who-said-what per language, the names given to
    speakers labelled in several languages and a per-article table; gate section: multilingual.
    """
    from onrecord.evaluate.multilingual import evaluate_multilingual, format_multilingual

    try:
        scores = evaluate_multilingual(folder or data_dir() / "multilingual", routed_analyzer)
    except EvaluationError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    if options["as_json"]:
        click.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_multilingual(scores, errors=errors))
    try:
        _gate({"multilingual": scores.metrics()}, options)
    except (EvaluationError, QualityGateError) as exc:
        raise click.ClickException(str(exc)) from None


@eval_group.command("identities")
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Ingest processes.")
@_gate_options
def eval_identities(folder: Path | None, workers: int, **options: Any) -> None:
    """Check that a speaker the gold names in two or more languages becomes one corpus actor.

    DIR is the multilingual gold folder (default: the shared one); its articles are ingested into a
    temporary store. Prints, per speaker, the actors its names became in each language, and any
    different persons joined into one; gate section: cross_language_identity.
    """
    from onrecord.evaluate.cross_language import evaluate_identities, format_identities

    _run(
        lambda: evaluate_identities(folder or data_dir() / "multilingual", workers=workers),
        format_identities,
        "cross_language_identity",
        options,
    )


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if not found:
        raise click.ClickException(f"{folder}: no {pattern} file (set ONRECORD_DATA or give the path)")
    return found[0]


def _run(score: Any, fmt: Any, name: str, options: dict[str, Any]) -> None:
    try:
        result = score()
        _emit(name, result, fmt(result), options)
    except (EvaluationError, QualityGateError) as exc:
        raise click.ClickException(str(exc)) from None


def _register_actors() -> None:
    """``onrecord eval actors``: the actor report (``actors-report``) beside the other scores."""
    from onrecord.cli.actors_eval import actors_report

    eval_group.add_command(actors_report, name="actors")


_register_actors()
