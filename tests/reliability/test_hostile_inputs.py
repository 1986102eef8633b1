"""Hostile and broken inputs through `onrecord analyze` and `onrecord ingest` (real subprocesses):
each gives one line naming the file (or a recorded failure), never a traceback, and the run goes on."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reliability.hostile import LONG_NAME, check_spans, write_inputs

ONRECORD = [str(Path(sys.executable).with_name("onrecord"))]  # the installed command
ANALYSE_FAILS = {  # file -> the reason its one line gives
    "a-empty.txt": "empty file",
    "big.txt": "text too long to analyse (50,000,",
    "breaking-news-2020-10-22.html": "binary data (a PNG image)",
    "world-news.txt": "binary data",
    "truncated.txt.gz": "gzip-compressed data",
    "truncated.warc.gz": "gzip-compressed data",
    "not-html.warc.gz": "gzip-compressed data",
}
# (kind, file, record, words of the reason) for each problem `onrecord ingest` records.
INGEST_PROBLEMS = {
    ("skipped", "a-empty.txt", "", "empty file"),
    ("failed", "big.txt", "", "text too long"),
    ("skipped", "breaking-news-2020-10-22.html", "", "PNG image"),
    ("skipped", "world-news.txt", "", "binary data"),
    ("failed", "truncated.txt.gz", "", "Compressed file ended"),
    ("failed", "truncated.warc.gz", "record 5 https://gz.example/story-4", "truncated"),
    ("failed", "truncated.warc", "record 6 https://plain.example/story-5", "truncated"),
    ("skipped", "not-html.warc.gz", "record 1 https://media.example/logo.png", "image/png"),
    ("skipped", "not-html.warc.gz", "record 2 https://media.example/report.pdf", "application/pdf"),
    ("skipped", "not-html.warc.gz", "record 3 https://media.example/data.json", "application/json"),
    ("skipped", "not-html.warc.gz", "record 4 https://media.example/noise", "binary data"),
    ("failed", "broken-lines.jsonl", "line 2", "not valid JSON"),
    ("failed", "broken-lines.jsonl", "line 3", "not a JSON object"),
    ("failed", "broken-lines.jsonl", "line 4", "no 'text' or 'html'"),
    ("failed", "broken-lines.jsonl", "line 5", "not valid JSON"),
    ("failed", "broken-lines.jsonl", "line 6", "no 'text' or 'html'"),
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ONRECORD, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("hostile") / "in")


def assert_one_line_each(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    for line in lines:
        assert line.startswith(("error: in/", "skipped: in/", "failed: in/", "note: in/")), line
    return lines


def test_analyze_reports_each_bad_file_in_one_line_and_goes_on(inputs: Path) -> None:
    done = run("analyze", "in", "--format", "jsonl", cwd=inputs.parent)
    assert done.returncode == 2
    lines = assert_one_line_each(done.stderr)
    failed = {
        line.split(":")[1].strip().removeprefix("in/"): line for line in lines if line.startswith("error:")
    }
    noted = {line.split(":")[1].strip().removeprefix("in/") for line in lines if line.startswith("note:")}
    assert noted == {"rtl-mixed.txt"}  # Arabic: no language pack, structure only
    assert set(failed) == set(ANALYSE_FAILS)
    for name, reason in ANALYSE_FAILS.items():
        assert reason in failed[name]
    articles = {Path(a["source"]).name: a for a in map(json.loads, done.stdout.rstrip("\n").split("\n"))}
    expected_ok = {p.name for p in inputs.iterdir()} - set(ANALYSE_FAILS)
    assert set(articles) == expected_ok  # every readable file analysed, the last one included
    # Every span of every article is well formed (a French page analysed as English may have none:
    # its words make no English actors), and the English ones have spans to check.
    counts = {name: check_spans(article, article["text"]) for name, article in articles.items()}
    assert counts["utf16-bom.txt"] > 0 and sum(counts.values()) > len(counts)
    peskov = "Kremlin spokesman Dmitry Peskov said on "
    assert articles["utf16-bom.txt"]["text"].startswith(peskov + "Tuesday")
    assert articles["utf16-no-bom.txt"]["text"].startswith(peskov + "Wednesday")
    assert "Кремль надеется" in articles["cp1251.html"]["text"]
    assert articles["cp1251.html"]["metadata"]["language"] == "ru"  # the Russian pack analysed it
    assert "déclaré à la presse" in articles["latin1.html"]["text"]
    assert articles["latin1.html"]["metadata"]["language"] == "fr"  # the French pack analysed it
    assert "Peskov" in articles["invalid-utf8.txt"]["text"]
    speakers = {q["speaker"]["name"] for q in articles["long-name.txt"]["quotes"]}
    assert any(name and LONG_NAME[:200] in name for name in speakers)
    assert len(articles["quotes-none-closed.txt"]["quotes"]) > 0  # finished, spans checked above
    assert articles["z-good.txt"]["quotes"][0]["speaker"]["name"] == "Dmitry Peskov"


def test_ingest_records_each_bad_input_and_stores_the_rest(inputs: Path) -> None:
    db = inputs.parent / "hostile.db"
    done = run("ingest", "in", "--db", str(db), "--workers", "1", "--quiet", cwd=inputs.parent)
    assert done.returncode == 2
    assert_one_line_each(done.stderr)
    conn = sqlite3.connect(db)
    recorded = {
        (kind, Path(source).name, record, reason)
        for kind, source, record, reason in conn.execute("SELECT kind, source, record, reason FROM failures")
    }
    for kind, name, record, words in INGEST_PROBLEMS:
        assert any((k, n, r) == (kind, name, record) and words in reason for k, n, r, reason in recorded), (
            kind,
            name,
            record,
            words,
            recorded,
        )
    assert len(recorded) == len(INGEST_PROBLEMS)
    stored = {(Path(s).name, r) for s, r in conn.execute("SELECT source, record FROM articles")}
    for name in ("invalid-utf8.txt", "cp1251.html", "latin1.html", "rtl-mixed.txt", "control-chars.txt"):
        assert (name, "") in stored
    assert {r for n, r in stored if n == "truncated.warc.gz"} == {
        f"record {i + 1} https://gz.example/story-{i}" for i in range(4)
    }  # every whole record before the cut
    assert ("broken-lines.jsonl", "line 1") in stored and ("broken-lines.jsonl", "line 7") in stored
    assert ("not-html.warc.gz", "record 5 https://media.example/story-0") in stored
    assert ("z-good.txt", "") in stored or ("utf16-bom.txt", "") in stored  # same text: stored once
    names = [row[0] for row in conn.execute("SELECT name FROM actors WHERE length(name) >= 1000")]
    assert names and LONG_NAME in names[0]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()

    again = run("ingest", "in", "--db", str(db), "--workers", "1", "--quiet", cwd=inputs.parent)
    assert again.returncode == 2  # the failed inputs are tried again and fail again
    assert "Traceback" not in again.stderr
    assert " 0 new " in again.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == articles
    assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == len(INGEST_PROBLEMS)
    conn.close()
