"""The actor report on a small hand-made store: junk counted by kind, countries and near-duplicates."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.corpus.actor_report import actor_report, junk_kind, normalised
from onrecord.errors import OnrecordError
from onrecord.store.sqlite import Store

ACTORS = [  # id, name, type, mentions, quotes
    ("p-1", "Nadia Berg", "person", 9, 4),
    ("p-2", "चला रहे हैं", "person", 5, 2),
    ("g-1", "36", "group", 1, 1),
    ("p-3", "trump's doctors", "person", 1, 1),
    ("g-2", "a fire", "group", 2, 1),
    ("g-3", "officials", "group", 3, 3),
    ("p-4", "Twitter", "person", 4, 0),
    ("o-1", "Twitter", "organization", 6, 0),
    ("l-1", "United States", "place", 7, 2),
    ("l-2", "U.S", "place", 3, 0),
    ("l-3", "America", "place", 2, 0),
    ("o-2", "The Daily Post", "organization", 3, 5),
    ("o-3", "Daily Post", "organization", 1, 0),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    Store(path).close()  # the real schema, empty
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO articles (id, key, content_hash, language, analysed, format, text, analysis,"
            " pipeline_version) VALUES (1, 'k', 'h', 'en', 1, 'text', 'text', '{}', 'test')"
        )
        for actor_id, name, type_, mentions, quotes in ACTORS:
            conn.execute(
                "INSERT INTO actors (id, name, type, surname, mentions) VALUES (?, ?, ?, ?, ?)",
                (actor_id, name, type_, name.casefold(), mentions),
            )
            conn.execute(
                "INSERT INTO article_actors (article_id, local_id, actor_id, name) VALUES (1, ?, ?, ?)",
                (actor_id, actor_id, name),
            )
            for n in range(quotes):
                conn.execute(
                    'INSERT INTO quotes (article_id, actor_id, kind, start, "end", text, content_start,'
                    " content_end, statement, pipeline_version)"
                    " VALUES (1, ?, 'direct', ?, ?, 'q', 0, 1, 'q', 't')",
                    (actor_id, n, n + 1),
                )
    conn.close()
    return path


def test_junk_is_counted_by_kind(db: Path) -> None:
    report = actor_report(db)
    assert report.counts() == {
        "non_latin_script": 1,
        "numbers_or_dates": 1,
        "lowercase_person": 1,
        "common_noun": 1,
        "type_suspect": 1,
        "total": 5,
    }
    assert [a.name for a in report.junk["common_noun"]] == ["a fire"]  # not "officials"
    assert [a.name for a in report.junk["type_suspect"]] == ["Twitter"]
    assert {a.name for a in report.countries["United States"]} == {"United States", "U.S", "America"}
    assert ["The Daily Post", "Daily Post"] in [[a.name for a in g] for g in report.duplicates]
    assert [a.name for a in report.top_speakers][:2] == ["The Daily Post", "Nadia Berg"]


def test_report_command_prints_text_and_json(db: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["actors-report", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "non_latin_script" in shown.output and "United States" in shown.output
    data = json.loads(runner.invoke(main, ["actors-report", "--db", str(db), "--format", "json"]).output)
    assert data["junk_counts"]["total"] == 5
    assert data["top_speakers"][0]["name"] == "The Daily Post"
    missing = runner.invoke(main, ["actors-report", "--db", str(db.with_name("none.db"))])
    assert missing.exit_code != 0 and "ingest" in missing.output


def test_name_keys_and_kinds() -> None:
    assert normalised("The U.S. Senate") == normalised("US Senate") == "us senate"
    assert junk_kind("coming days", "group", True) == "numbers_or_dates"
    assert junk_kind("critics of the plan", "group", True) is None
    assert junk_kind("Дмитрий", "person", True) == "non_latin_script"
    assert junk_kind("Дмитрий", "person", False) is None
    with pytest.raises(OnrecordError):
        actor_report("/nonexistent/store.db")
