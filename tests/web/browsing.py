"""Browser test fixtures: the real server (uvicorn on a free loopback port) and Debian's Chromium.

Drives the system's Chromium (``/usr/bin/chromium``, Debian's package) through Playwright's Python
package; no browser is ever downloaded. ``tests/web/conftest.py`` offers the fixtures to every web
test; a test using ``browser`` or ``page`` skips when there is no Chromium or no Playwright.
Screenshots land in ``artifacts/screenshots/`` at the repository root as test artefacts.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def private_copy(corpus_db: Path, folder: Path) -> Path:
    """A copy of a corpus file (its write-ahead log folded in first) that a test may write to."""
    conn = sqlite3.connect(corpus_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db = folder / "corpus.db"
    shutil.copy(corpus_db, db)
    return db


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` with the real server (uvicorn) on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # the port is ours from here on: no race with another test run
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert uv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=5)
        sock.close()


@pytest.fixture(scope="module")
def server(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on a free loopback port, over a private copy of the corpus."""
    from onrecord.web.app import create_app

    with serving(create_app(private_copy(corpus_db, tmp_path_factory.mktemp("browser")))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; the test skips when it or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip("no system Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page that records every dialog (none may ever open) and is screenshotted at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(5_000)
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    shot(tab, request.node.name)
    context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
