"""``onrecord users add|remove|list``: the people who may sign in to a served corpus -> the store.

Each command opens the store, calls one function of ``onrecord.corpus.users`` and prints one line
per user or change; a password is read from a hidden prompt (asked twice) or, for scripts, from
standard input with ``--password-stdin``. Hashes are never printed.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from onrecord.cli.corpus import EXIT_INPUT, db_option
from onrecord.errors import OnrecordError


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INPUT)


@contextmanager
def existing_store(db: Path) -> Iterator[sqlite3.Connection]:
    """A writable connection to the store at ``db``, which must exist; a problem ends the command
    with one line."""
    from onrecord.store.sqlite import connect

    if not db.exists():  # connect() would make an empty store: a typo must not give a new corpus
        _fail(f"{db}: no such database (create it with `onrecord ingest`)")
    try:
        conn = connect(db)
    except OnrecordError as exc:
        _fail(str(exc))
    try:
        yield conn
    except OnrecordError as exc:
        _fail(str(exc))
    finally:
        conn.close()


def _at_a_terminal() -> bool:
    return sys.stdin.isatty()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not _at_a_terminal():
        _fail("no terminal to ask for a password on: pipe it in with --password-stdin")
    value: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, default="", show_default=False
    )
    return value


@click.group()
def users() -> None:
    """Who may sign in when the corpus is served beyond this machine (`onrecord serve --host`).

    Editors may correct speakers and merge or split actors (each judgement is recorded as theirs);
    readers may read, and only when the desk is served with --private need an account at all.
    """


@users.command()
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["editor", "reader"]),
    default="editor",
    show_default=True,
    help="editor: may make corrections; reader: may only read.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
@db_option
def add(name: str, role: str, password_stdin: bool, db: Path) -> None:
    """Add a user NAME (a password is asked for twice; at least 8 characters)."""
    from onrecord.corpus.users import add_user, check_name, check_password

    with existing_store(db) as conn:
        check_name(name)  # a bad name fails before the password is asked for
        user = add_user(conn, name, check_password(_password(password_stdin)), role)
    click.echo(f"added {user.role} {user.name}")


@users.command()
@click.argument("name")
@db_option
def remove(name: str, db: Path) -> None:
    """Remove user NAME; their sessions end at once (a signed-in browser is signed out)."""
    from onrecord.corpus.users import remove_user

    with existing_store(db) as conn:
        ended = remove_user(conn, name)
    click.echo(f"removed {name} ({ended} session{'s' if ended != 1 else ''} ended)")


@users.command(name="list")
@db_option
def list_(db: Path) -> None:
    """The users: name, role and when each was added."""
    from onrecord.corpus.users import list_users

    with existing_store(db) as conn:
        found = list_users(conn)
    if not found:
        click.echo("no users yet (add one with `onrecord users add NAME`)", err=True)
    for user in found:
        click.echo(f"{user.name}\t{user.role}\t{user.created_at}")
