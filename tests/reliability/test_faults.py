"""Faults during ingest: kill -9 at random points, a full disk, a read-only store, readers meanwhile.
Whatever happens, the store stays whole, a rerun finishes the job, and nothing is lost or doubled."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reliability.faults import ONRECORD, ingest, integrity, kill_after, snapshot, stored, write_corpus

KILLS = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("faults") / "corpus.jsonl", 40)


@pytest.fixture(scope="module")
def reference(corpus: Path) -> tuple[Path, float]:
    """The corpus ingested once, uninterrupted, and how long that took."""
    db = corpus.parent / "reference.db"
    started = time.monotonic()
    proc = ingest(corpus, db)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 2, err  # the two broken lines
    return db, time.monotonic() - started


def test_kill_9_at_random_points_loses_and_doubles_nothing(
    corpus: Path, reference: tuple[Path, float], tmp_path: Path
) -> None:
    ref_db, _seconds = reference
    db = tmp_path / "killed.db"
    rnd = random.Random(int.from_bytes(os.urandom(4)))  # noqa: S311  (random kill times)
    killed = 0
    for _ in range(KILLS):
        # after one or two more articles are stored, up to 50 ms later: inside a later write
        target = stored(db) + rnd.randint(1, 2)
        killed += kill_after(corpus, db, target, rnd.uniform(0.0, 0.05))
        assert integrity(db) == "ok"
        conn = sqlite3.connect(db)
        keys = [row[0] for row in conn.execute("SELECT key FROM articles")]
        quoted = "SELECT count(*) FROM quotes WHERE article_id = ?"
        for (article_id,) in conn.execute("SELECT id FROM articles"):  # each article whole, its quotes too
            assert conn.execute(quoted, (article_id,)).fetchone()[0]
        conn.close()
        assert len(keys) == len(set(keys))
    assert killed >= KILLS // 2, "the ingest finished before most kills: the test proved little"
    proc = ingest(corpus, db)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 2 and b"Traceback" not in err
    assert integrity(db) == "ok"
    assert snapshot(db) == snapshot(ref_db)


def _session(sid: int) -> list[int]:
    """Live processes of session ``sid`` (zombies aside): an ingest and every process it started."""
    from onrecord import processes

    return [
        pid
        for pid, fields in processes.table().items()
        if int(fields[processes.SESSION]) == sid and fields[processes.STATE] != "Z"
    ]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_workers_end_when_the_ingest_is_killed(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "orphans.db"
    proc = ingest(corpus, db, workers=2)
    while proc.poll() is None and stored(db) < 1:  # the workers are up and analysing
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    assert len(_session(proc.pid)) > 1  # the main process and its workers
    os.kill(proc.pid, signal.SIGKILL)  # the main process only: nobody tells the workers
    # Not reaped yet: a zombie, as the main process is when its parent has not yet noticed.
    deadline = time.monotonic() + 20
    while [pid for pid in _session(proc.pid) if pid != proc.pid] and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in _session(proc.pid) if pid != proc.pid]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    proc.communicate()  # the pipes close once every process holding them has ended
    assert not left, f"processes left running after the ingest was killed: {left}"


def _fill_up(monkeypatch: pytest.MonkeyPatch, spare_pages: int) -> None:
    """Every store the ingest opens may grow by ``spare_pages`` pages only: a disk that fills up."""
    from onrecord.store import sqlite as store

    original = store._connect

    def tiny(path: str | Path, *, readonly: bool) -> sqlite3.Connection:
        conn = original(path, readonly=readonly)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(store, "_connect", tiny)


def test_full_disk_gives_one_line_and_keeps_the_store(
    corpus: Path, reference: tuple[Path, float], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.cli.main import main

    db = tmp_path / "full.db"
    with monkeypatch.context() as patch:
        _fill_up(patch, spare_pages=8)  # the schema and a few articles fit, the corpus does not
        done = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet"])
    assert done.exit_code == 2
    assert done.exception is None or isinstance(done.exception, SystemExit)
    errors = [line for line in done.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "database or disk is full" in errors[0] and str(db) in errors[0]
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert 0 < stored < 14
    again = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet"])
    assert again.exit_code == 2 and "error:" not in again.output.replace("error: ", "", 0)
    assert snapshot(db) == snapshot(reference[0])  # room again: the rerun finished the job


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to drop to nobody")
def test_read_only_store_gives_one_line_and_is_unharmed(
    reference: tuple[Path, float], tmp_path: Path
) -> None:
    # Outside pytest's own folders (closed to other users), so that only the store is read-only.
    folder = Path(tempfile.mkdtemp(prefix="onrecord-ro-"))
    os.chmod(folder, 0o755)  # noqa: PTH101, S103  (nobody must reach the store)
    db = folder / "corpus.db"
    shutil.copy(reference[0], db)
    before = snapshot(db)
    article = tmp_path / "new.txt"
    article.write_text('Jane Smith said on Friday: "The bridge opens in May."\n', encoding="utf-8")
    os.chmod(db, 0o444)  # noqa: PTH101
    os.chmod(folder, 0o555)  # noqa: PTH101, S103  (read-only on purpose)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        for command in (["ingest", str(article), "--quiet"], ["quotes"], ["overview"]):
            done = subprocess.run(
                [*nobody, ONRECORD, *command, "--db", str(db)],
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            assert "Traceback" not in done.stderr, done.stderr[-600:]
            if done.returncode != 0:
                assert done.returncode == 2
                assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: {db}: "), done.stderr
        assert done.returncode in (0, 2)
    finally:
        os.chmod(folder, 0o755)  # noqa: PTH101, S103  (nobody must reach the store)
        os.chmod(db, 0o644)  # noqa: PTH101
    assert integrity(db) == "ok"
    assert snapshot(db) == before
    shutil.rmtree(folder)


def test_readers_during_ingest_never_see_a_locked_database(corpus: Path, tmp_path: Path) -> None:
    from onrecord.web.app import create_app
    from web.conftest import BASE_URL, TestClient

    db = tmp_path / "busy.db"
    first = ingest(corpus.parent / "corpus.jsonl", db)  # creates the store; readers start meanwhile
    deadline = time.monotonic() + 120
    while not db.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    client: Any = TestClient(create_app(db), base_url=BASE_URL)
    reads = 0
    while first.poll() is None and time.monotonic() < deadline:
        cli = subprocess.run(
            [ONRECORD, "quotes", "--db", str(db), "--format", "json", "--limit", "5"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert cli.returncode == 0 and "locked" not in cli.stderr, cli.stderr
        for path in ("/api/search?q=talks", "/api/", "/search?q=point", "/api/actors"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.text)
            reads += 1
    _, err = first.communicate(timeout=600)
    assert first.returncode == 2 and b"locked" not in err
    assert reads >= 4
