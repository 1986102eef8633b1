"""Result cards: a page of statement rows -> each with the sentence around it and the search's hits marked.

A row from ``queries`` has the statement's offsets in its article (``content_start``,
``content_end``). The card shows the article's own characters: the start of the sentence before the
statement, the statement, and the rest of its sentence after, cut from the stored text by offset
(``context.start``, ``context.end`` say where, so anyone can check), with the words and phrases the
search looked for marked. Pieces are plain text for the template to escape; nothing here is HTML.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from onrecord.search_syntax import Term, highlights

CONTEXT_CHARS = 240  # at most this many characters of the article on each side of a statement
# Where a sentence ends: a full stop, question or exclamation mark (a closing quotation mark may
# follow) then a space, or a line break.
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+|\n\s*")
ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")

WINDOWS = (
    "SELECT q.id, max(q.content_start - ?, 0) AS at, substr(a.text, max(q.content_start - ?, 0) + 1,"
    " q.content_end - max(q.content_start - ?, 0) + ?) AS window FROM quotes q"
    " JOIN articles a ON a.id = q.article_id WHERE q.id IN (SELECT value FROM json_each(?))"
)


def _before(text: str, whole: bool) -> tuple[str, bool]:
    """The part of ``text`` (what precedes a statement) from its last sentence's start; whether cut."""
    ends = list(SENTENCE_END.finditer(text))
    if ends:
        return text[ends[-1].end() :], False
    return text, not whole


def _after(text: str) -> tuple[str, bool]:
    """The part of ``text`` (what follows a statement) up to its sentence's end; whether cut."""
    found = SENTENCE_END.search(text)
    if found:
        return text[: found.start() + len(found.group().rstrip())], False
    return text, len(text) >= CONTEXT_CHARS  # the window ended, not the article


def add_cards(conn: sqlite3.Connection, rows: list[dict[str, Any]], terms: list[Term]) -> None:
    """Give each row its card: ``context`` (before, after, offsets) and ``pieces`` (the statement cut
    into (text, is a hit) pieces). A row whose article text is gone keeps its stored statement."""
    ids = [row["id"] for row in rows if row.get("content_start") is not None]
    windows: dict[int, tuple[int, str]] = {}
    if ids:
        params = (CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, json.dumps(ids))
        for quote_id, at, window in conn.execute(WINDOWS, params):
            if window is not None:
                windows[int(quote_id)] = (int(at), str(window))
    for row in rows:
        said = str(row.get("statement") or "")
        context: dict[str, Any] | None = None
        if row["id"] in windows:
            at, window = windows[row["id"]]
            start, end = int(row["content_start"]) - at, int(row["content_end"]) - at
            said = window[start:end]
            before, cut_before = _before(window[:start], whole=at == 0)
            after, cut_after = ("", False) if ENDS_SENTENCE.search(said) else _after(window[end:])
            context = {
                "before": before,
                "after": after,
                "start": int(row["content_start"]) - len(before),
                "end": int(row["content_end"]) + len(after),
                "cut_before": cut_before,
                "cut_after": cut_after,
            }
        row["context"] = context
        row["pieces"] = [{"text": text, "hit": hit} for text, hit in highlights(said, terms)]
