"""Fault injection helpers (import, not conftest): a small corpus, kill -9 during ingest, store snapshots."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ONRECORD = str(Path(sys.executable).with_name("onrecord"))
SPEAKERS = ["Dmitry Peskov", "Sergei Lavrov", "Nancy Pelosi", "Jane Smith", "Michel Barnier"]
# The meaningful content of a store: no ids, run ids or timestamps (they differ between runs).
SNAPSHOT = {
    "articles": "SELECT key, url, content_hash, headline, published, language, analysed, text FROM articles",
    "quotes": 'SELECT a.key, q.start, q."end", q.kind, q.speaker, q.actor_id, q.text, q.said_on'
    " FROM quotes q JOIN articles a ON a.id = q.article_id",
    "mentions": 'SELECT a.key, m.start, m."end", m.actor_id, m.kind FROM mentions m'
    " JOIN articles a ON a.id = m.article_id",
    "actors": "SELECT id, name, type, mentions FROM actors",
    "aliases": "SELECT actor_id, alias, articles FROM actor_aliases",
    "statements": "SELECT fingerprint, text, first_said_on, reports FROM statements",
    "inputs": "SELECT input_hash, status FROM inputs",
    "failures": "SELECT source, record, kind, reason FROM failures",
}


def write_corpus(path: Path, count: int, seed: int = 7) -> Path:
    """``count`` short articles as JSON lines, plus two broken lines (recorded failures)."""
    rnd = random.Random(seed)  # noqa: S311  (repeatable test data, not secrets)
    lines = []
    for i in range(count):
        who, other = rnd.sample(SPEAKERS, 2)
        text = (
            f"{who} said on Monday: “We will discuss point {i} with {other}.” "
            f"{other} answered that the talks on item {i} would resume in March."
        )
        row = {"text": text, "url": f"https://wire.example/{i}", "date": "2020-10-19", "title": f"T{i}"}
        lines.append(json.dumps(row))
        if i in (count // 3, 2 * count // 3):
            lines.append('{"text": "broken')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(corpus: Path, db: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [ONRECORD, "ingest", str(corpus), "--db", str(db), "--workers", str(workers), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: kill -9 reaches the workers too
    )


def stored(db: Path) -> int:
    """Articles in the store now (0 before it exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet


def kill_after(corpus: Path, db: Path, articles: int, delay: float, workers: int = 1) -> bool:
    """SIGKILL the ingest's process group once ``articles`` are stored, ``delay`` s later: mid-write.
    False if the ingest finished first. Waiting on progress, not on a clock, keeps the kills landing
    however fast or loaded the machine is."""
    proc = ingest(corpus, db, workers)
    while proc.poll() is None and stored(db) < articles:
        time.sleep(0.005)
    time.sleep(delay)
    if proc.poll() is not None:
        proc.communicate()
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    return True


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {name: sorted(map(tuple, conn.execute(sql)), key=repr) for name, sql in SNAPSHOT.items()}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
