"""CLI inputs: paths, folders and globs -> (source, loader) pairs, in a stable order."""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from onrecord.errors import InputError
from onrecord.ingest.document import load_bytes, load_path
from onrecord.model import RawDocument

Loader = tuple[str, Callable[[], RawDocument]]


def expand(paths: tuple[str, ...]) -> Iterator[Loader]:
    """Each input as a (source, loader); folders recurse, globs expand, '-' reads stdin."""
    for given in paths:
        if given == "-":
            yield "<stdin>", _stdin
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield given, _fail(given, "folder holds no files")
            for file in files:
                yield str(file), _loader(file)
        elif not path.exists() and glob.has_magic(given):
            matches = sorted(str(p) for p in _glob(given))
            if not matches:
                yield given, _fail(given, "no file matches this pattern")
            for match in matches:
                if Path(match).is_file():
                    yield match, _loader(Path(match))
        else:
            yield given, _loader(path)


def _glob(pattern: str) -> list[Path]:
    """Expand a shell-style pattern, absolute or relative, ``**`` included."""
    anchor = Path(pattern).anchor
    root = Path(anchor) if anchor else Path()
    relative = pattern[len(anchor) :] if anchor else pattern
    return list(root.glob(relative))


def _loader(path: Path) -> Callable[[], RawDocument]:
    return lambda: load_path(path)


def _fail(source: str, reason: str) -> Callable[[], RawDocument]:
    def load() -> RawDocument:
        raise InputError(source, reason)

    return load


def _stdin() -> RawDocument:
    return load_bytes(sys.stdin.buffer.read(), "<stdin>")


def article_timeout_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--article-timeout SECONDS``: one article's analysis budget (0: none)."""
    from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT

    return click.option(
        "--article-timeout",
        type=click.FloatRange(min=0),
        default=DEFAULT_ARTICLE_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="Seconds one article's analysis may take; one over it is recorded as failed (naming the"
        " limit) and the run goes on. 0: no limit.",
    )(command)
