"""Fixtures of the watch tests: a local HTTP server, so that nothing here touches the network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .localserver import LocalServer


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A started LocalServer on 127.0.0.1 (``.url(path)``, ``.route(...)``, ``.requests``)."""
    with LocalServer() as server:
        yield server
