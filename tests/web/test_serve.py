"""``onrecord serve``: options, the local default address, a missing database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.cli.serve import allowed_hosts


def test_serve_has_help() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output and "127.0.0.1" in result.output


def test_serve_runs_the_app_on_localhost(corpus_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = CliRunner().invoke(main, ["serve", "--db", str(corpus_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)


def test_serve_without_a_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no such database" in result.output


def test_hosts_served() -> None:
    assert "localhost" in allowed_hosts("127.0.0.1") and "*" not in allowed_hosts("127.0.0.1")
    assert allowed_hosts("0.0.0.0") == ("*",)  # noqa: S104
    assert "[::1]" in allowed_hosts("::1")
