"""Statements across outlets: fingerprints in, the stored statement a lightly edited copy belongs to out.

The same quote carried by several outlets is one statement with many reports. Exact copies share a
fingerprint (case, punctuation and spacing ignored); lightly edited ones are found through keys on
either end of the statement and confirmed by word overlap.
"""

from __future__ import annotations

import sqlite3

_KEY_WORDS = 6  # words at each end of a statement that find its near-copies
_MIN_KEYED = 10  # shorter statements are matched exactly only
SAME_STATEMENT = 0.8  # word-set Jaccard at or above which two reports are one statement


def statement_keys(fingerprint_text: str) -> tuple[str | None, str | None]:
    """Lookup keys for near-copies: the first and the last words of a statement's fingerprint.

    An outlet that edits a quote ("will" -> "would", a dropped clause) usually keeps one end intact,
    so a copy shares at least one key; the candidates found by key are then confirmed by similarity.
    """
    words = fingerprint_text.split()
    if len(words) < _MIN_KEYED:
        return None, None
    return " ".join(words[:_KEY_WORDS]), " ".join(words[-_KEY_WORDS:])


def same_statement(a: str, b: str) -> bool:
    """Whether two fingerprints report one statement: nearly the same words, nearly the same length."""
    words_a, words_b = a.split(), b.split()
    if min(len(words_a), len(words_b)) < 0.8 * max(len(words_a), len(words_b)):
        return False
    set_a, set_b = set(words_a), set(words_b)
    return len(set_a & set_b) / len(set_a | set_b) >= SAME_STATEMENT


def near_copy_of(conn: sqlite3.Connection, fingerprint: str) -> str | None:
    """The fingerprint of a stored statement this one is a lightly edited copy of, if any."""
    if conn.execute("SELECT 1 FROM statements WHERE fingerprint = ?", (fingerprint,)).fetchone():
        return None
    head, tail = statement_keys(fingerprint)
    if head is None:
        return None
    rows = conn.execute(
        "SELECT fingerprint FROM statements WHERE head_key = ? UNION SELECT fingerprint FROM statements"
        " WHERE tail_key = ? LIMIT 50",
        (head, tail),
    ).fetchall()
    return next((str(row[0]) for row in rows if same_statement(fingerprint, str(row[0]))), None)
