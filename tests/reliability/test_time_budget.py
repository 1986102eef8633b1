"""No input stalls a run: a long transcript is analysed in pieces or stopped at its time budget,
and the inputs queued behind it are stored (real `onrecord` subprocesses)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord.corpus.build import ordered_pool
from reliability.hostile import make_inputs
from reliability.stalls import stall

ONRECORD = [str(Path(sys.executable).with_name("onrecord"))]
SEED = Path(__file__).resolve().parents[2] / "src" / "onrecord" / "demo" / "sputnik-2020-10-22-new-start.txt"


def _transcript(paragraphs: int) -> str:
    """The issue's shape: paragraphs of 400 times '"Trust is low," Peskov said.' (11.6 kB each)."""
    return "\n\n".join([" ".join(['"Trust is low," Peskov said.'] * 400)] * paragraphs) + "\n"


def _ingest(folder: Path, db: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [*ONRECORD, "ingest", str(folder), "--db", str(db), "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done, time.monotonic() - started


def _stored(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {Path(row[0]).name for row in conn.execute("SELECT source FROM articles")}


def _failures(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source, reason FROM failures WHERE kind = 'failed'")
        return {Path(s).name: r for s, r in rows}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_article_over_its_budget_fails_naming_the_limit_and_the_next_is_stored(
    tmp_path: Path, workers: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-transcript.txt").write_text(_transcript(20), encoding="utf-8")  # 232 kB, 8,000 quotes
    (folder / "b-seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "budget.db"
    done, seconds = _ingest(folder, db, "--workers", workers, "--article-timeout", "2")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert _stored(db) == {"b-seed.txt"}
    reason = _failures(db)["a-transcript.txt"]
    assert "longer than the 2 s limit" in reason and "--article-timeout" in reason
    assert "a-transcript.txt" in done.stderr
    assert seconds < 60


def test_ten_hostile_inputs_and_a_huge_transcript_finish_within_three_minutes(tmp_path: Path) -> None:
    """The issue's run: the reliability suite's shapes, a 2.3 MB transcript of 80,000 quotes, and
    the seed queued behind it, on two workers with the default budget."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in make_inputs(big=False).items():
        (folder / name).write_bytes(data)
    (folder / "trust-transcript.txt").write_text(_transcript(200), encoding="utf-8")
    (folder / "zz-seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "ten.db"
    done, seconds = _ingest(folder, db, "--workers", "2")
    assert "Traceback" not in done.stderr
    assert seconds < 180, seconds
    stored, failed = _stored(db), _failures(db)
    assert "zz-seed.txt" in stored  # queued behind the transcript, stored all the same
    for name in ("invalid-utf8.txt", "cp1251.html", "latin1.html", "rtl-mixed.txt", "long-name.txt"):
        assert name in stored, name
    # The transcript is stored whole or stopped at the budget, never left hanging.
    assert "trust-transcript.txt" in stored or "limit" in failed["trust-transcript.txt"]
    assert set(failed) <= {
        "trust-transcript.txt",
        "truncated.txt.gz",
        "truncated.warc.gz",
        "truncated.warc",
        "broken-lines.jsonl",
    }


def test_a_worker_deaf_to_its_budget_is_replaced_and_the_rest_goes_on() -> None:
    calls = [(0.1, False), (60.0, True), (0.2, False), (0.1, False)]
    started = time.monotonic()
    results = list(
        ordered_pool(stall, calls, 2, hard_limit=2.0, given_up=lambda seconds, deaf: f"gave up {seconds:g}")
    )
    assert results == ["slept 0.1", "gave up 60", "slept 0.2", "slept 0.1"]
    assert time.monotonic() - started < 30


def test_workers_start_with_one_numeric_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers on two cores: a BLAS pool per worker would only spin (natasha: twice the CPU)."""
    from reliability.stalls import numeric_threads

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    assert set(ordered_pool(numeric_threads, [(1,), (2,)], 2)) == {"1"}
