"""Web test fixtures: the tiny corpus ingested once, and in-process clients of the app over it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from web.browsing import browser, page, private_copy, server  # noqa: F401  (fixtures for the browser tests)
from web.sample import STORY_ARTICLES, build

with warnings.catch_warnings():
    # Starlette now prefers a renamed HTTP client for its TestClient; httpx still works the same.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

BASE_URL = "http://127.0.0.1"


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny corpus, ingested once for the whole session (read-only tests share it)."""
    return build(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def client(corpus_db: Path) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(corpus_db), base_url=BASE_URL)


@pytest.fixture(scope="session")
def story_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A client over a second tiny corpus: three copies of one wire story, one of them edited."""
    from onrecord.web.app import create_app

    db = build(tmp_path_factory.mktemp("stories"), STORY_ARTICLES)
    return TestClient(create_app(db), base_url=BASE_URL)


@pytest.fixture()
def writable_db(corpus_db: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus, for tests that make judgements."""
    return private_copy(corpus_db, tmp_path)


@pytest.fixture()
def writer(writable_db: Path) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(writable_db), base_url=BASE_URL, follow_redirects=False)
