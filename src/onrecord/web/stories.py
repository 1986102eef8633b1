"""Story comparison: the stored copies of one story -> their paragraphs -> what each copy changes.

Each copy is compared with the story's first copy (earliest published), paragraph by paragraph with
``difflib``, and a changed paragraph word by word. A diff is a list of plain-text pieces tagged
``same``, ``inserted`` or ``deleted``; the template wraps them in ``<ins>``/``<del>`` and escapes
each piece's text, so nothing a copy contains can become markup.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from typing import Any

WORDS = re.compile(r"\s+|\S+")  # words and the space between them: joined back, the exact text
BLANK_LINES = re.compile(r"\n\s*\n")


def paragraphs(row: dict[str, Any]) -> list[str]:
    """An article's body paragraphs (its headline left out), from the stored analysis when it has them."""
    text = str(row["text"])
    analysis = json.loads(row["analysis"]) if row.get("analysis") else {}
    spans = [
        (int(p["start"]), int(p["end"]))
        for p in analysis.get("paragraphs", [])
        if p.get("role") != "headline"
    ]
    if spans:
        return [text[start:end] for start, end in spans if 0 <= start < end <= len(text)]
    return [part.strip() for part in BLANK_LINES.split(text) if part.strip()]


def piece(op: str, text: str) -> dict[str, str]:
    return {"op": op, "text": text}


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """``new`` against ``old`` as pieces: unchanged stretches, deleted words, inserted words."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    pieces: list[dict[str, str]] = []
    deleted, inserted = "", ""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        gap = "".join(after[j1:j2])
        between = 0 < index < len(opcodes) - 1 and not gap.strip()
        if op == "equal" and not between:  # a lone space between two changes joins them
            pieces += [*_change(deleted, inserted), piece("same", gap)]
            deleted, inserted = "", ""
        else:
            deleted, inserted = deleted + "".join(before[i1:i2]), inserted + "".join(after[j1:j2])
    return pieces + _change(deleted, inserted)


def _change(deleted: str, inserted: str) -> list[dict[str, str]]:
    return [piece(op, text) for op, text in (("deleted", deleted), ("inserted", inserted)) if text]


def block(op: str, pieces: list[dict[str, str]]) -> dict[str, Any]:
    return {"op": op, "pieces": pieces}


def _replaced(olds: list[str], news: list[str]) -> list[dict[str, Any]]:
    """Paragraphs replaced by others: paired ones word-diffed, the rest deleted or inserted whole."""
    blocks = [block("changed", word_diff(old, new)) for old, new in zip(olds, news, strict=False)]
    blocks += [block("deleted", [piece("deleted", p)]) for p in olds[len(news) :]]
    blocks += [block("inserted", [piece("inserted", p)]) for p in news[len(olds) :]]
    return blocks


def compare(base: list[str], copy: list[str]) -> dict[str, Any]:
    """A copy's paragraphs against the base's: blocks in reading order, counts of each kind, and
    the share of paragraphs the two have in common (difflib's ratio)."""
    matcher = SequenceMatcher(None, base, copy, autojunk=False)
    blocks: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks += [block("same", [piece("same", p)]) for p in copy[j1:j2]]
        else:
            blocks += _replaced(base[i1:i2], copy[j1:j2])
    counts = dict.fromkeys(("same", "changed", "inserted", "deleted"), 0)
    for b in blocks:
        counts[b["op"]] += 1
    return {"similarity": round(matcher.ratio(), 3), "changes": counts, "blocks": blocks}


def side_by_side(base: dict[str, Any], copies: list[dict[str, Any]]) -> dict[str, Any]:
    """The first copy as it is and every other copy with what it changes (headline included)."""
    base_paragraphs = paragraphs(base)
    compared = []
    for row in copies:
        fields = _fields(row)
        fields["headline_diff"] = word_diff(base.get("headline") or "", row.get("headline") or "")
        compared.append({**fields, **compare(base_paragraphs, paragraphs(row))})
    first = _fields(base)
    first["paragraphs"] = base_paragraphs
    return {"base": first, "copies": compared}


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("text", "analysis")}
