"""--min-confidence on `analyze`, `quotes` and `export`, and speaker confidences in the outputs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from onrecord.api import withhold_speakers
from onrecord.cli.main import main
from onrecord.pipeline import Outcome
from store.scored import PESKOV, RYABKOV, SURE, UNSURE, build_scored, scored_article


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scored(tmp_path_factory.mktemp("cli-scored"))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _stdout(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quotes_min_confidence(db: Path) -> None:
    code, out = _run("quotes", "--db", str(db), "--min-confidence", "0.5", "--format", "json")
    page = json.loads(out)
    assert code == 0 and page["total"] == 1
    assert [(r["actor_id"], r["confidence"]) for r in page["rows"]] == [(PESKOV, SURE)]
    code, out = _run("quotes", "--db", str(db), "--min-confidence", "0.2", "--format", "json")
    assert [r["confidence"] for r in json.loads(out)["rows"]] == [SURE, UNSURE]


def test_quotes_table_shows_each_speakers_confidence(db: Path) -> None:
    code, out = _run("quotes", "--db", str(db))
    assert code == 0
    assert "Dmitry Peskov (0.93)" in out and "Sergei Ryabkov (0.32)" in out and "(unattributed)" in out


@pytest.mark.parametrize("bad", ["2", "-0.1", "nan", "high"])
def test_min_confidence_outside_zero_to_one_is_refused(db: Path, bad: str) -> None:
    code, out = _run("quotes", "--db", str(db), "--min-confidence", bad)
    assert code == 2 and "--min-confidence" in out


def test_export_min_confidence(db: Path) -> None:
    out = _stdout("export", "-", "--db", str(db), "--format", "csv", "--min-confidence", "0.2")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["actor_id"], float(r["confidence"])) for r in rows] == [(PESKOV, SURE), (RYABKOV, UNSURE)]
    every = list(csv.DictReader(io.StringIO(_stdout("export", "-", "--db", str(db), "--format", "csv"))))
    assert [r["confidence"] for r in every] == [str(SURE), str(UNSURE), "", ""]


def test_actors_count_confident_statements_unless_asked(db: Path) -> None:
    def counts(*extra: str) -> dict[str, int]:
        code, out = _run("actors", "--db", str(db), "--format", "json", *extra)
        assert code == 0
        return {r["id"]: r["statements"] for r in json.loads(out)["rows"]}

    assert counts() == {PESKOV: 2, RYABKOV: 0}
    assert counts("--all-attributions") == {PESKOV: 2, RYABKOV: 1}


@pytest.fixture()
def scored_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """`analyze` over the hand-made scored article, whatever the paths (no model runs)."""

    def run_many(
        _loaders: Any, _published: Any = None, timeout: Any = None, route: Any = False
    ) -> Iterator[Outcome]:
        yield Outcome("scored.txt", article=scored_article()[0])

    monkeypatch.setattr("onrecord.cli.main.run_many", run_many)
    monkeypatch.setattr("onrecord.cli.main.expand", lambda paths: [])


def test_digest_shows_speaker_confidences(scored_run: None) -> None:
    code, out = _run("analyze", "scored.txt")
    assert code == 0
    assert "Dmitry Peskov (0.93)" in out and "Sergei Ryabkov (0.32)" in out and "(unattributed)" in out


def test_analyze_min_confidence_withholds_speakers_below_it(scored_run: None) -> None:
    code, out = _run("analyze", "scored.txt", "--min-confidence", "0.5", "--format", "json")
    assert code == 0
    speakers = [q["speaker"] for q in json.loads(out)["quotes"]]
    assert [(s["name"], s["confidence"]) for s in speakers] == [
        ("Dmitry Peskov", SURE),
        (None, None),  # Ryabkov at 0.32: withheld
        (None, None),  # nobody to begin with
        (None, None),  # Peskov, never scored: withheld too (the read side's rule)
    ]
    digest = _stdout("analyze", "scored.txt", "--min-confidence", "0.5")
    assert "Dmitry Peskov (0.93)" in digest and "Sergei Ryabkov" not in digest
    assert "(unattributed) — 3 statements" in digest


def test_withholding_keeps_every_statement_and_says_why() -> None:
    article = scored_article()[0]
    kept = withhold_speakers(article, 0.2)
    assert len(kept.quotes) == len(article.quotes)
    assert [q.actor_id for q in kept.quotes] == ["p-1", "p-2", None, None]
    assert kept.quotes[3].evidence[-1] == "speaker withheld: Dmitry Peskov (never scored, below 0.2)"
    strict = withhold_speakers(article, 0.5)
    assert strict.quotes[1].evidence[-1] == "speaker withheld: Sergei Ryabkov (confidence 0.32, below 0.5)"
    assert strict.quotes[1].speaker is None and strict.quotes[1].confidence is None
