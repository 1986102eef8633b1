"""Accounts for a shared desk: names and passwords -> users, sessions and failed sign-ins in the store.

The people who may sign in to a served corpus (``onrecord users``), each an ``editor`` (may make
judgements) or a ``reader``. Passwords are kept as Argon2id hashes (argon2-cffi), never as given.
A session is a random token the browser keeps in a cookie; the store keeps only its SHA-256, so a
copy of the store signs nobody in, and a session is found only through its user's row, so removing
a user ends every session they had. Failed sign-ins are counted per name and per address, and past
a limit a sign-in is refused before its password is checked. Every statement is parameterized.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from onrecord.errors import OnrecordError
from onrecord.store.sqlite import transaction

ROLES = ("editor", "reader")
MIN_PASSWORD = 8  # NIST SP 800-63B's floor for a password a person chooses
MAX_PASSWORD = 1024  # hashing a megabyte on every sign-in attempt would be a way to load the server
MAX_NAME = 64

SESSION_IDLE = 12 * 3600  # a session unused this long has ended (seconds)
SESSION_MAX = 7 * 24 * 3600  # and none lasts longer than this, used or not
SEEN_EVERY = 300  # a session's last use is written at most this often, not on every page read

FAILURE_WINDOW = 15 * 60  # failed sign-ins counted over this many seconds
MAX_FAILURES_PER_NAME = 5
# An office or a newsroom may share one address: a name is locked sooner than an address.
MAX_FAILURES_PER_ADDRESS = 20

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106's low-memory profile
# Checked when a name is unknown, so an unknown name takes as long to refuse as a wrong password.
_NOBODY = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class User:
    """A person who may sign in (never with their password's hash)."""

    id: int
    name: str
    role: str
    created_at: str

    @property
    def editor(self) -> bool:
        return self.role == "editor"


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user and the token their forms carry against cross-site requests."""

    user: User
    csrf: str
    seen_at: int


class SignInRefused(OnrecordError):
    """Too many failed sign-ins: ``retry_after`` seconds until the next attempt is checked."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_name(name: str) -> str:
    """A user name as kept: trimmed, 1 to 64 printable characters."""
    name = " ".join(name.split())
    if not name:
        raise OnrecordError("a user needs a name")
    if len(name) > MAX_NAME:
        raise OnrecordError(f"a user name has at most {MAX_NAME} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise OnrecordError("a user name cannot hold control characters")
    return name


def check_password(password: str) -> str:
    if not password:
        raise OnrecordError("the password is empty; give one of at least 8 characters")
    if len(password) < MIN_PASSWORD:
        raise OnrecordError(f"the password is too short; give at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise OnrecordError(f"the password is too long (at most {MAX_PASSWORD} characters)")
    return password


def add_user(conn: sqlite3.Connection, name: str, password: str, role: str = "editor") -> User:
    """Add a person who may sign in; a name taken (in any case) is an error."""
    name, password = check_name(name), check_password(password)
    if role not in ROLES:
        raise OnrecordError(f"role {role!r} is not one of {', '.join(ROLES)}")
    hashed = _hasher.hash(password)
    created = _now_iso()
    with transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise OnrecordError(f"there is already a user named {name!r} (see `onrecord users list`)")
        cur = conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, hashed, created),
        )
    return User(int(cur.lastrowid or 0), name, role, created)


def remove_user(conn: sqlite3.Connection, name: str) -> int:
    """Remove a user and end their sessions; return how many sessions ended."""
    with transaction(conn):
        row = conn.execute("SELECT id FROM users WHERE name = ?", (check_name(name),)).fetchone()
        if row is None:
            raise OnrecordError(f"no user named {name!r} (see `onrecord users list`)")
        ended = conn.execute("DELETE FROM sessions WHERE user_id = ?", (row[0],)).rowcount
        conn.execute("DELETE FROM users WHERE id = ?", (row[0],))
    return int(ended)


def list_users(conn: sqlite3.Connection) -> list[User]:
    """Every user, by name."""
    rows = conn.execute("SELECT id, name, role, created_at FROM users ORDER BY name COLLATE NOCASE")
    return [User(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def has_editor(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE role = 'editor' LIMIT 1").fetchone() is not None


def _failures_wait(conn: sqlite3.Connection, name: str, address: str, now: int) -> int:
    """Seconds until a sign-in for ``name`` from ``address`` may be checked again (0: now)."""
    since = now - FAILURE_WINDOW
    wait = 0
    for column, limit, value in (
        ("name", MAX_FAILURES_PER_NAME, name),
        ("address", MAX_FAILURES_PER_ADDRESS, address),
    ):
        rows = conn.execute(
            f"SELECT at FROM login_failures WHERE {column} = ? AND at > ? ORDER BY at DESC LIMIT ?",  # noqa: S608
            (value, since, limit),
        ).fetchall()
        if len(rows) >= limit:  # the limit-th most recent failure must age out of the window first
            wait = max(wait, int(rows[-1][0]) + FAILURE_WINDOW - now)
    return wait


def sign_in(conn: sqlite3.Connection, name: str, password: str, address: str) -> tuple[Session, str] | None:
    """Check a name and password; on success start a session and return it with its token (the
    cookie's value, kept nowhere else). None when the name or password is wrong.

    Raises:
        SignInRefused: too many failures lately for this name or from this address (not checked).
    """
    now = int(time.time())
    name = " ".join(name.split())[:MAX_NAME]
    wait = _failures_wait(conn, name, address, now)
    if wait:
        minutes = max(1, round(wait / 60))
        raise SignInRefused(f"too many failed sign-ins; try again in about {minutes} minutes", wait)
    password = password[:MAX_PASSWORD]
    row = conn.execute(
        "SELECT id, name, role, password_hash, created_at FROM users WHERE name = ?", (name,)
    ).fetchone()
    matches = _password_matches(str(row[3]) if row else _NOBODY, password)  # checked either way: timing
    if row is None or not matches:
        with transaction(conn):
            conn.execute("DELETE FROM login_failures WHERE at <= ?", (now - FAILURE_WINDOW,))
            conn.execute(
                "INSERT INTO login_failures (name, address, at) VALUES (?, ?, ?)", (name, address, now)
            )
        return None
    user = User(int(row[0]), str(row[1]), str(row[2]), str(row[4]))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction(conn):
        if _hasher.check_needs_rehash(str(row[3])):  # the hasher's cost went up since it was set
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), user.id))
        conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
        conn.execute("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", (user.id, now))
        conn.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash(token), user.id, csrf, now, now, now + SESSION_MAX),
        )
    return Session(user, csrf, now), token


def _password_matches(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def find_session(conn: sqlite3.Connection, token: str) -> Session | None:
    """The live session a cookie's token names: None when unknown, ended, idle too long, expired,
    or its user removed. Works on a read-only connection."""
    now = int(time.time())
    row = conn.execute(
        "SELECT u.id, u.name, u.role, u.created_at, s.csrf, s.seen_at FROM sessions s"
        " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND s.seen_at > ?",
        (token_hash(token), now, now - SESSION_IDLE),
    ).fetchone()
    if row is None:
        return None
    return Session(User(int(row[0]), str(row[1]), str(row[2]), str(row[3])), str(row[4]), int(row[5]))


def stale(session: Session) -> bool:
    """Whether a session's last use should be written again (see ``touch``)."""
    return time.time() - session.seen_at > SEEN_EVERY


def touch(conn: sqlite3.Connection, token: str) -> None:
    """Record that a session was used now (keeps it from ending idle)."""
    conn.execute(
        "UPDATE sessions SET seen_at = ? WHERE token_hash = ?", (int(time.time()), token_hash(token))
    )


def sign_out(conn: sqlite3.Connection, token: str) -> None:
    """End a session."""
    conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))
