"""The corpus commands: ingest (summary, exit status, kill -9 and resume) and the read side's outputs."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.sample import ARTICLES, build, write_jsonl
from onrecord.cli.corpus import COMMANDS
from onrecord.cli.main import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cli"))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_every_corpus_command_has_help() -> None:
    for command in COMMANDS:
        assert command.help, command.name
        code, out = _run(str(command.name), "--help")
        assert code == 0 and "Usage" in out


def test_ingest_summary_and_exit_status(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", ARTICLES[:1], bad_line=True)
    code, out = _run("ingest", str(source), "--db", str(tmp_path / "x.db"), "--workers", "1", "--quiet")
    assert code == 2  # one line failed: reported, the rest stored
    assert "1 new" in out and "1 failed" in out and "line 2" in out


def test_quotes_json_csv_and_paging(db: Path) -> None:
    code, out = _run("quotes", "--db", str(db), "--format", "json", "--limit", "1")
    assert code == 0
    page = json.loads(out)
    assert page["total"] >= 3 and len(page["rows"]) == 1
    code, second = _run("quotes", "--db", str(db), "--format", "json", "--limit", "1", "--offset", "1")
    assert json.loads(second)["rows"][0]["id"] != page["rows"][0]["id"]
    code, out = _run("quotes", "--db", str(db), "--format", "csv", "--speaker", "Peskov")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["actor"] for r in rows} == {"Dmitry Peskov"}


def test_quotes_table_names_total(db: Path) -> None:
    _, out = _run("quotes", "--db", str(db), "--search", "extend treaty", "--format", "json")
    total = json.loads(out)["total"]
    code, out = _run("quotes", "--db", str(db), "--search", "extend treaty")
    assert code == 0 and total >= 2 and f"of {total}" in out


def test_actor_profile_and_actors(db: Path) -> None:
    code, out = _run("actor", "Peskov", "--db", str(db), "--format", "json")
    profile = json.loads(out)
    assert profile["name"] == "Dmitry Peskov"
    assert {a["alias"] for a in profile["aliases"]} >= {"Dmitry Peskov", "Peskov"}
    code, out = _run("actors", "--db", str(db), "--search", "Trump", "--format", "json")
    assert "Donald Trump" in {r["name"] for r in json.loads(out)["rows"]}
    code, out = _run("actor", "Nobody Atall", "--db", str(db))
    assert code == 2


def test_timeline_stories_export_overview(db: Path, tmp_path: Path) -> None:
    code, out = _run("timeline", "Peskov", "--db", str(db), "--format", "json")
    dates = [r["date"] for r in json.loads(out)["rows"]]
    assert dates == sorted(dates) and dates
    code, out = _run("stories", "--db", str(db), "--min-articles", "2", "--format", "json")
    assert json.loads(out)["total"] == 1
    target = tmp_path / "out.jsonl"
    code, _ = _run("export", str(target), "--db", str(db), "--format", "jsonl")
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4 and all("quotes" in r and "corpus" in r for r in records)
    code, out = _run("overview", "--db", str(db))
    assert code == 0 and "4 articles" in out


def test_missing_database_is_one_line(tmp_path: Path) -> None:
    code, out = _run("quotes", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no such database" in out


def _many(tmp_path: Path, count: int) -> Path:
    rows = []
    for i in range(count):
        row = dict(ARTICLES[i % 3])
        row["url"] = f"https://example.net/{i}"
        row["text"] = f"Story number {i}. " + row["text"]
        rows.append(row)
    return write_jsonl(tmp_path / "many.jsonl", rows, bad_line=True)


def _ingest_cmd(source: Path, db: Path) -> list[str]:
    code = "from onrecord.cli.main import run; run()"
    return [sys.executable, "-c", code, "ingest", str(source), "--db", str(db), "--workers", "1", "--quiet"]


def _content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    queries = {
        "articles": "SELECT id, key, story_id, headline, published, language, text, analysis FROM articles",
        "quotes": 'SELECT id, article_id, statement_id, actor_id, start, "end", statement FROM quotes',
        "actors": "SELECT id, name, mentions FROM actors",
        "statements": "SELECT id, fingerprint, reports FROM statements",
        "stories": "SELECT * FROM stories",
        "failures": "SELECT source, record, reason FROM failures",
        "fts": "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'treaty'",
    }
    return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def test_kill_9_then_rerun_gives_the_same_database(tmp_path: Path) -> None:
    source = _many(tmp_path, 30)
    whole, broken = tmp_path / "whole.db", tmp_path / "broken.db"
    subprocess.run(_ingest_cmd(source, whole), check=False, capture_output=True, timeout=120)
    process = subprocess.Popen(
        _ingest_cmd(source, broken), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300  # generous: CI machines can be slow and shared
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            stored = sqlite3.connect(broken).execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0  # not created yet
        if stored >= 5:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL and 5 <= stored < 30
    rerun = subprocess.run(
        _ingest_cmd(source, broken), check=False, capture_output=True, text=True, timeout=120
    )
    assert "unchanged" in rerun.stdout
    assert _content(broken) == _content(whole)


def test_judgement_commands_and_reanalyze(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "judged.db"
    shutil.copy(db, copy)
    target = ("--db", str(copy))
    quote = (
        sqlite3.connect(copy).execute("SELECT id FROM quotes WHERE statement LIKE '%proud%'").fetchone()[0]
    )
    code, out = _run("correct", str(quote), "--speaker", "Ivanka Trump", "--by", "ana", *target)
    assert code == 0 and "judgement 1 (speaker) by ana" in out
    code, out = _run("merge", "Russia", "Moscow", *target)
    assert code == 2 and "give one of these ids" in out
    code, out = _run("split", "Dmitry Peskov", "--alias", "Peskov", "--note", "two people?", *target)
    assert code == 0 and "(split)" in out
    code, out = _run("judgements", "--format", "json", *target)
    assert [j["kind"] for j in json.loads(out)["rows"]] == ["speaker", "split"]
    code, out = _run("reanalyze", "--workers", "1", "--quiet", *target)
    assert code == 0 and "0 articles reanalysed" in out
    code, out = _run("reanalyze", "--all", "--workers", "1", "--quiet", *target)
    assert code == 0 and "4 articles reanalysed" in out
    code, out = _run("quotes", "--speaker", "Ivanka Trump", "--format", "json", *target)
    assert json.loads(out)["total"] == 1
    code, out = _run("reanalyze", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no such database" in out


def test_quotes_by_attitude(db: Path) -> None:
    conn = sqlite3.connect(db)
    counts = dict(conn.execute("SELECT attitude, count(*) FROM quotes GROUP BY attitude").fetchall())
    attitude = max((a for a in counts if a), key=lambda a: counts[a])
    code, out = _run("quotes", "--db", str(db), "--attitude", attitude, "--format", "json")
    page = json.loads(out)
    assert code == 0 and page["total"] == counts[attitude]
    expected = {r[0] for r in conn.execute("SELECT id FROM quotes WHERE attitude = ?", (attitude,))}
    assert {r["id"] for r in page["rows"]} == expected
    absent = next(a for a in ("denial", "warning", "question", "criticism") if a not in counts)
    code, out = _run("quotes", "--db", str(db), "--attitude", absent, "--format", "json")
    assert code == 0 and json.loads(out)["total"] == 0
    assert "--attitude" in _run("quotes", "--help")[1]


def test_actor_shows_roles_with_dates(db: Path) -> None:
    code, out = _run("actor", "Peskov", "--db", str(db))
    assert code == 0 and "roles: spokesperson (2020-10-19, 1 article)" in out
    code, out = _run("actor", "Peskov", "--db", str(db), "--format", "json")
    assert json.loads(out)["roles"] == [
        {"role": "spokesperson", "first_seen": "2020-10-19", "last_seen": "2020-10-19", "articles": 1}
    ]


def test_overview_of_a_store_without_dates_says_so(tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text("Headline\n\nThe minister said the plan would work.\n", encoding="utf-8")
    db = tmp_path / "undated.db"
    assert _run("ingest", str(article), "--db", str(db), "--workers", "1", "--quiet")[0] == 0
    code, out = _run("overview", "--db", str(db))
    assert code == 0 and "no publication dates known" in out and "None" not in out
