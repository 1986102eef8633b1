"""Lexicons: load the word lists and pattern tables in ``extract/lexicon/`` (data, not code)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``lexicon/<name>``."""
    text = resources.files("onrecord.extract").joinpath("lexicon", name).read_text(encoding="utf-8")
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated lexicon file, comment lines skipped."""
    rows = []
    text = resources.files("onrecord.extract").joinpath("lexicon", name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            rows.append(tuple(cell.strip() for cell in raw.split("\t")))
    return tuple(rows)


@cache
def folded_set(name: str) -> frozenset[str]:
    """The lines of a lexicon as a case-folded set, for membership tests."""
    return frozenset(line.casefold() for line in lines(name))
