"""Accounts in the store: users with hashed passwords, sessions kept as hashes and ended with their
user, idle and expired sessions, failed sign-ins counted and refused past the limit."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from onrecord.corpus import users
from onrecord.corpus.users import SignInRefused
from onrecord.errors import OnrecordError
from onrecord.store.schema import MIGRATIONS
from onrecord.store.sqlite import connect, migrate

PASSWORD = "correct horse"  # noqa: S105  (a test user's password)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Argon2id at its lowest cost: the same code, without 60 ms of one CPU per hash (2 shared cores).
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    store = connect(tmp_path / "s.db")
    yield store
    store.close()


def test_an_older_store_gains_the_account_tables(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    before = [name for name, _ in MIGRATIONS].index("m008_users")
    for name, migration in MIGRATIONS[:before]:  # a store made before accounts
        migration(old)
        old.execute("INSERT INTO migrations VALUES (?, 'then')", (name,))
    assert migrate(old)[0] == "m008_users"
    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "sessions", "login_failures"} <= tables


def test_add_list_and_remove(conn: sqlite3.Connection) -> None:
    ana = users.add_user(conn, "  Ana   Lima ", PASSWORD)
    users.add_user(conn, "bo", PASSWORD, role="reader")
    assert (ana.name, ana.role) == ("Ana Lima", "editor")
    assert [(u.name, u.role) for u in users.list_users(conn)] == [("Ana Lima", "editor"), ("bo", "reader")]
    stored = conn.execute("SELECT password_hash FROM users WHERE name = 'bo'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(OnrecordError, match="already a user named"):
        users.add_user(conn, "ANA lima", PASSWORD)  # names are one whatever their case
    assert users.remove_user(conn, "ana LIMA") == 0
    assert [u.name for u in users.list_users(conn)] == ["bo"]
    with pytest.raises(OnrecordError, match="no user named"):
        users.remove_user(conn, "nobody")


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("", PASSWORD, "editor", "needs a name"),
        ("x" * 65, PASSWORD, "editor", "at most 64"),
        ("a\x00b", PASSWORD, "editor", "control characters"),
        ("ana", "", "editor", "empty"),
        ("ana", "short", "editor", "too short"),
        ("ana", PASSWORD, "admin", "not one of editor, reader"),
    ],
)
def test_bad_users_are_refused(
    conn: sqlite3.Connection, name: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(OnrecordError, match=message):
        users.add_user(conn, name, password, role)
    assert users.list_users(conn) == []


def test_a_session_is_kept_as_a_hash_and_ends_with_its_user(conn: sqlite3.Connection) -> None:
    users.add_user(conn, "ana", PASSWORD)
    assert users.sign_in(conn, "ana", "wrong password", "10.0.0.1") is None
    started = users.sign_in(conn, "ANA", PASSWORD, "10.0.0.1")
    assert started is not None
    session, token = started
    assert session.user.name == "ana" and session.user.editor and len(session.csrf) >= 32
    kept = conn.execute("SELECT token_hash FROM sessions").fetchall()
    assert [r[0] for r in kept] == [users.token_hash(token)] and token not in kept[0][0]
    found = users.find_session(conn, token)
    assert found is not None and (found.user.name, found.csrf) == ("ana", session.csrf)
    assert users.find_session(conn, token + "x") is None
    assert users.remove_user(conn, "ana") == 1
    assert users.find_session(conn, token) is None


def test_sessions_end_when_idle_expired_or_signed_out(conn: sqlite3.Connection) -> None:
    users.add_user(conn, "ana", PASSWORD)
    tokens = []
    for _ in range(3):
        started = users.sign_in(conn, "ana", PASSWORD, "10.0.0.1")
        assert started is not None
        tokens.append(started[1])
    now = int(time.time())
    idle, expired, signed_out = tokens
    conn.execute(
        "UPDATE sessions SET seen_at = ? WHERE token_hash = ?",
        (now - users.SESSION_IDLE - 1, users.token_hash(idle)),
    )
    conn.execute(
        "UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (now - 1, users.token_hash(expired))
    )
    users.sign_out(conn, signed_out)
    assert [users.find_session(conn, t) for t in tokens] == [None, None, None]


def test_touch_keeps_an_idle_session(conn: sqlite3.Connection) -> None:
    users.add_user(conn, "ana", PASSWORD)
    started = users.sign_in(conn, "ana", PASSWORD, "10.0.0.1")
    assert started is not None
    token = started[1]
    long_ago = int(time.time()) - users.SEEN_EVERY - 10
    conn.execute("UPDATE sessions SET seen_at = ?", (long_ago,))
    found = users.find_session(conn, token)
    assert found is not None and users.stale(found)
    users.touch(conn, token)
    again = users.find_session(conn, token)
    assert again is not None and not users.stale(again)


def test_failed_sign_ins_are_limited_per_name(conn: sqlite3.Connection) -> None:
    users.add_user(conn, "ana", PASSWORD)
    users.add_user(conn, "bo", PASSWORD)
    for attempt in range(users.MAX_FAILURES_PER_NAME):
        assert users.sign_in(conn, "ana", f"guess {attempt}", f"10.0.0.{attempt}") is None
    with pytest.raises(SignInRefused, match="too many failed sign-ins") as refused:
        users.sign_in(conn, "ana", PASSWORD, "10.0.0.99")  # the right password is not even checked
    assert 0 < refused.value.retry_after <= users.FAILURE_WINDOW
    assert users.sign_in(conn, "bo", PASSWORD, "10.0.0.1") is not None  # another name is not locked
    # once the failures age out of the window, the name may sign in again
    conn.execute("UPDATE login_failures SET at = at - ?", (users.FAILURE_WINDOW,))
    assert users.sign_in(conn, "ana", PASSWORD, "10.0.0.99") is not None


def test_failed_sign_ins_are_limited_per_address(conn: sqlite3.Connection) -> None:
    users.add_user(conn, "ana", PASSWORD)
    for attempt in range(users.MAX_FAILURES_PER_ADDRESS):
        assert users.sign_in(conn, f"name {attempt}", PASSWORD, "10.0.0.7") is None  # unknown names count
    with pytest.raises(SignInRefused):
        users.sign_in(conn, "ana", PASSWORD, "10.0.0.7")
    assert users.sign_in(conn, "ana", PASSWORD, "10.0.0.8") is not None
