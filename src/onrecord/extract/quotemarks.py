"""Quotation marks: text and paragraph spans -> the spans of top-level quotations, marks included.

Handles “…”, "…", ‘…’, «…» (French and Russian, spaces inside or not), »…« (German), „…“ and
‚…‘ (German), ‹…› and ›…‹, ``…'' and ''…'', nesting, and quotations that run over several
paragraphs (a paragraph that opens a quote and does not close it continues into the next one that
reopens it). A stray or unbalanced mark is dropped; it never affects the next paragraph.
Runs in linear time whatever the number of marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.model import Span

_DOUBLE, _SINGLE, _GUILLEMET, _ANGLE = "double", "single", "guillemet", "angle"


@dataclass(frozen=True, slots=True)
class Mark:
    """One quotation mark: where it is, its family, and whether it opens or closes."""

    start: int
    end: int
    family: str
    opens: bool
    low: bool = False  # „ — closed by “ as well as ”


def _is_word(ch: str) -> bool:
    return ch.isalnum()


# The characters that can be a mark: the scan below visits only these (a loop over every character
# of the text took about 3% of the whole analysis of PolNeAR dev, bench/NOTES.md).
_CANDIDATES = re.compile("[`'\"“”„‚«»‹›‘’]")


def _marks(text: str, start: int, end: int) -> list[Mark]:
    out: list[Mark] = []
    done = start  # a two-character mark ('' or ``) consumes its second character
    for found in _CANDIDATES.finditer(text, start, end):
        i = found.start()
        if i < done:
            continue
        done = i + 1
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        at_open = not _is_word(prev) and prev not in ".,;!?" and not nxt.isspace()
        if ch in "`'" and nxt == ch and ch == "`":
            out.append(Mark(i, i + 2, _DOUBLE, True))
            done = i + 2
            continue
        if ch == "'" and nxt == "'":
            after = text[i + 2] if i + 2 < end else " "
            out.append(Mark(i, i + 2, _DOUBLE, (not _is_word(prev) and _is_word(after)) or after in "‘`"))
            done = i + 2
            continue
        if ch == "“":
            out.append(Mark(i, i + 1, _DOUBLE, True))
        elif ch == "”":
            out.append(Mark(i, i + 1, _DOUBLE, at_open and prev.isspace() and _is_word(nxt)))
        elif ch == "„":
            out.append(Mark(i, i + 1, _DOUBLE, True, low=True))
        elif ch == '"':
            out.append(Mark(i, i + 1, _DOUBLE, at_open))
        elif ch in "«»":
            out.append(Mark(i, i + 1, _GUILLEMET, _guillemet_opens(ch == "«", prev, nxt)))
        elif ch in "‹›":
            out.append(Mark(i, i + 1, _ANGLE, _guillemet_opens(ch == "‹", prev, nxt)))
        elif ch == "‚":
            out.append(Mark(i, i + 1, _SINGLE, True, low=True))
        elif ch == "‘" or (ch == "'" and at_open):
            if not _is_word(prev):
                out.append(Mark(i, i + 1, _SINGLE, True))
            elif ch == "‘" and not _is_word(nxt):
                out.append(Mark(i, i + 1, _SINGLE, False))  # German ‚…‘ closes with ‘ after a word
        elif ch in "’'" and not (_is_word(prev) and _is_word(nxt)) and not prev.isspace():
            out.append(Mark(i, i + 1, _SINGLE, False))
    return out


def _guillemet_opens(pointing_left: bool, prev: str, nxt: str) -> bool:
    """Whether a guillemet opens: by its place where that decides (German »Zitat« opens with »
    before a word, French «citation» with « before one), else by its shape (« and ‹ open, as in
    French « citation » with spaces inside)."""
    before_word = _is_word(nxt) and not _is_word(prev)
    after_word = (_is_word(prev) or prev in ".,;:!?…") and not _is_word(nxt)
    if before_word != after_word:
        return before_word
    return pointing_left


def _closes(mark: Mark, opener: Mark) -> bool:
    if mark.family != opener.family:
        return False
    return not mark.opens or (opener.low and mark.family in (_DOUBLE, _SINGLE))


def find_quotations(text: str, paragraphs: list[Span]) -> list[Span]:
    """Top-level quotation spans (marks included) in ``text``, given its paragraph spans."""
    found: list[Span] = []
    carried: int | None = None  # start of a quotation continuing from the previous paragraph
    for para in paragraphs:
        stack: list[Mark] = []
        marks = _marks(text, para.start, para.end)
        continuing = (
            carried is not None and bool(marks) and marks[0].opens and marks[0].start - para.start <= 1
        )
        carried_start = carried if continuing else None
        carried = None
        for mark in marks:
            if stack and _closes(mark, stack[-1]):
                opener = stack.pop()
                if not stack:
                    begin = carried_start if carried_start is not None else opener.start
                    carried_start = None
                    found.append(Span(begin, mark.end))
            elif stack and not mark.opens and any(_closes(mark, m) for m in stack):
                while stack and not _closes(mark, stack[-1]):
                    stack.pop()  # inner marks left open inside a closed quotation: drop them
                opener = stack.pop()
                if not stack:
                    begin = carried_start if carried_start is not None else opener.start
                    carried_start = None
                    found.append(Span(begin, mark.end))
            elif mark.opens:
                if (
                    mark.family == _SINGLE
                    and not stack
                    and not mark.low
                    and _likely_apostrophe(text, mark, para)
                ):
                    continue
                stack.append(mark)
        if stack and stack[0].family in (_DOUBLE, _GUILLEMET):
            carried = carried_start if carried_start is not None else stack[0].start
    return found


def _likely_apostrophe(text: str, mark: Mark, para: Span) -> bool:
    """An opening single mark at top level with no closing mark later in the paragraph."""
    rest = text[mark.end : para.end]
    return "’" not in rest and "'" not in rest
