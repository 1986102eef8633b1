"""``onrecord watch`` and ``onrecord sources`` as a user runs them, against a local server: a round,
SIGTERM in the middle of one, kill -9 in the middle of one, and the sources' health."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .localserver import LocalServer
from .test_rounds import article

ONRECORD = str(Path(sys.executable).with_name("onrecord"))
PAGES = 8


def slow_site(server: LocalServer, delay: float) -> str:
    """A feed of ``PAGES`` articles, each served after ``delay`` seconds; returns the feed's URL."""
    server.reply("/robots.txt", 404)
    items = []
    for n in range(PAGES):
        said = f"We will open shelter number {n} tonight"
        server.reply(f"/news/{n}", body=article(f"Shelter {n} opens", said), delay=delay)
        items.append(f"<item><title>{n}</title><link>{server.url(f'/news/{n}')}</link></item>")
    server.reply(
        "/feed.xml",
        body=f"<?xml version='1.0'?><rss version='2.0'><channel><title>Gazette</title>{''.join(items)}"
        "</channel></rss>",
        headers={"Content-Type": "application/rss+xml"},
    )
    return server.url("/feed.xml")


def watch(db: Path, *args: str) -> list[str]:
    return [ONRECORD, "watch", "--db", str(db), "--once", "--allow-private", "--rate", "100",
            "--workers", "1", "--archive", str(db.with_suffix(".warc")), *args]  # fmt: skip


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def pages_asked(server: LocalServer) -> list[object]:
    return [r for r in server.requests if r.path.startswith("/news/")]


def wait_for(check: object, seconds: float = 120) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    pytest.fail("timed out waiting")


def test_a_round_prints_its_line_and_sources_shows_health(local_server: LocalServer, tmp_path: Path) -> None:
    feed = slow_site(local_server, 0.0)
    db = tmp_path / "w.db"
    done = subprocess.run([*watch(db, feed), "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["event"] == "round" and report["new"] == PAGES and report["failed"] == 0
    table = subprocess.run([ONRECORD, "sources", "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert table.returncode == 0 and "Gazette" in table.stdout and "rss" in table.stdout
    health = json.loads(
        subprocess.run(
            [ONRECORD, "sources", "--db", str(db), "--json"], capture_output=True, text=True
        ).stdout
    )
    assert health[0]["today"] == PAGES and health[0]["errors_in_row"] == 0
    assert list(db.with_suffix(".warc").glob("*.warc.gz")), "every response is archived"
    # Stopped by any spelling of its URL; a source not watched is one line and exit status 2.
    shouting = feed.replace("http://", "HTTP://")
    removal = [ONRECORD, "sources", "--db", str(db), "--remove", shouting]
    assert subprocess.run(removal, capture_output=True, text=True).returncode == 0
    gone = subprocess.run(removal, capture_output=True, text=True)
    assert gone.returncode == 2 and gone.stderr.strip() == f"error: {shouting} is not a watched source"
    assert "no sources watched" in gone.stdout


def test_bad_sources_get_one_line_each(tmp_path: Path) -> None:
    listed = tmp_path / "feeds.txt"
    listed.write_text("ftp://example.org/feed\n")
    missing = str(tmp_path / "nope.opml")
    done = subprocess.run(
        [ONRECORD, "watch", "--db", str(tmp_path / "w.db"), "--once", str(listed), missing],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "feeds.txt line 1" in lines[0] and "nope.opml" in lines[1]


def test_sigterm_ends_the_round_cleanly_and_the_next_round_finishes(
    local_server: LocalServer, tmp_path: Path
) -> None:
    feed = slow_site(local_server, 0.6)
    db = tmp_path / "w.db"
    process = subprocess.Popen(watch(db, feed), stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(pages_asked(local_server)) >= 2)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    asked = len(pages_asked(local_server))
    assert asked < PAGES  # fetching ended at the stop ...
    assert stored(db) == asked  # ... and every page fetched before it was analysed and stored
    rerun = subprocess.run(watch(db), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert stored(db) == PAGES
    assert len(local_server.requests_to("/news/0")) == 1  # a page stored is never fetched again


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_kill_9_loses_at_most_the_page_in_flight(local_server: LocalServer, tmp_path: Path) -> None:
    feed = slow_site(local_server, 0.6)
    db = tmp_path / "w.db"
    process = subprocess.Popen(watch(db, feed), stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(lambda: stored(db) >= 2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    rerun = subprocess.run(watch(db), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    conn = sqlite3.connect(db)
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    statuses = dict(conn.execute("SELECT status, count(*) FROM watch_urls GROUP BY status").fetchall())
    conn.close()
    assert len(urls) == len(set(urls)) == PAGES and statuses == {"stored": PAGES}


def test_a_failing_source_is_named_under_the_round_line(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.reply("/robots.txt", 404)
    local_server.reply("/down.xml", 503)
    db = tmp_path / "w.db"
    done = subprocess.run(
        watch(db, local_server.url("/down.xml")), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-2].startswith("round 1: 1 sources polled (1 failed")
    assert lines[-1] == f"  {local_server.url('/down.xml')}: HTTP 503 after 3 retries"
