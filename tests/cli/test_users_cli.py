"""``onrecord users add|remove|list`` and the accounts of ``onrecord serve``: one line per user or
change, never a hash; bad input is one line and exit 2, no traceback; beyond loopback, accounts on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.corpus import users
from onrecord.store.sqlite import connect

PASSWORD = "a long enough secret\n"  # noqa: S105  (what a script pipes in)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    connect(path).close()
    return path


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["users", *args], input=stdin)


def test_add_list_remove(db: Path) -> None:
    added = run("add", "ana", "--db", str(db), "--password-stdin", stdin=PASSWORD)
    assert added.exit_code == 0, added.output
    assert "added editor ana" in added.output
    assert (
        run("add", "rui", "--role", "reader", "--db", str(db), "--password-stdin", stdin=PASSWORD).exit_code
        == 0
    )
    listed = run("list", "--db", str(db))
    assert listed.exit_code == 0
    lines = [line.split("\t")[:2] for line in listed.output.splitlines()]
    assert lines == [["ana", "editor"], ["rui", "reader"]]
    assert "argon2" not in listed.output and "secret" not in listed.output
    removed = run("remove", "ANA", "--db", str(db))
    assert removed.exit_code == 0 and "removed ANA (0 sessions ended)" in removed.output
    assert "ana" not in run("list", "--db", str(db)).output


def test_the_password_is_asked_twice_at_a_terminal(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import onrecord.cli.users as command

    monkeypatch.setattr(command, "_at_a_terminal", lambda: True)
    done = run("add", "ana", "--db", str(db), stdin="a long enough secret\na long enough secret\n")
    assert done.exit_code == 0, done.output
    assert "Repeat for confirmation" in done.output and "secret" not in done.output
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT password_hash FROM users").fetchone()[0]
    conn.close()
    assert stored.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "ana", "--password-stdin"), "\n", "the password is empty"),
        (("add", "ana", "--password-stdin"), "short\n", "too short"),
        (("add", "ana"), None, "--password-stdin"),  # no terminal to ask on
        (("remove", "nobody"), None, "no user named 'nobody'"),
    ],
)
def test_bad_input_is_one_line(db: Path, args: tuple[str, ...], stdin: str | None, message: str) -> None:
    result = run(*args, "--db", str(db), stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_name_taken_is_refused(db: Path) -> None:
    run("add", "ana", "--db", str(db), "--password-stdin", stdin=PASSWORD)
    again = run("add", "Ana", "--db", str(db), "--password-stdin", stdin=PASSWORD)
    assert again.exit_code == 2 and "already a user named 'Ana'" in again.output


def test_a_missing_store_is_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run("list", "--db", str(missing))
    assert result.exit_code == 2 and "no such database" in result.output
    assert not missing.exists()


def test_every_users_command_has_help() -> None:
    for args in (("--help",), ("add", "--help"), ("remove", "--help"), ("list", "--help")):
        result = run(*args)
        assert result.exit_code == 0 and result.output.strip()


def _served(db: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, Any]:
    import uvicorn

    calls: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(app))
    result = CliRunner().invoke(main, ["serve", "--db", str(db), *args])
    return result, calls[0] if calls else None


def test_serve_beyond_loopback_turns_accounts_on(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, app = _served(db, monkeypatch)
    assert result.exit_code == 0 and app.state.accounts is False  # loopback: as before
    result, app = _served(db, monkeypatch, "--host", "0.0.0.0")  # noqa: S104
    assert result.exit_code == 0 and app.state.accounts is True
    assert "no editor yet: add one with `onrecord users add NAME" in result.output
    result, app = _served(db, monkeypatch, "--accounts")
    assert app.state.accounts is True
    result, app = _served(db, monkeypatch, "--private", "--host", "::1")
    assert app.state.accounts is True
    assert "reading and corrections need a signed-in user" in result.output
