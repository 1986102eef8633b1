"""Temporal tagger: text + publication date -> TimeExpression spans and TimeML values (Article -> Article)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from onrecord.extract import timex_dates, timex_periods
from onrecord.extract import timex_normalize as tn
from onrecord.extract.timex_grammar import RULES, TRIGGERS, Context, Found
from onrecord.model import Article, Span, TimeExpression

# Tense cues decide which way "Thursday", "in February" or "Feb. 5" points from the publication date.
# Intentions read forward even in the past tense: "planned to leave on Thursday", "was supposed to
# conclude by May".
_FUTURE = re.compile(
    r"\b(?i:will|shall|won't|'ll|going\s+to|is\s+to|are\s+to|expects?\s+to|expected|scheduled|due|plans?\s+to"
    r"|planning|set\s+to|expires?|would|upcoming|intends?\s+to|hopes?\s+to|aims?\s+to|next(?!\s+to\b)|effective"
    r"|starting|begins?|opens?|ahead|soon|planned\s+(?:to|for)|supposed\s+to|slated)\b"
)
_PAST = re.compile(
    r"\b(?i:said|was|were|had|did|ago|last|told|met|went|came|took|gave|made|left|began|fell|rose|won|lost|held"
    r"|found|got|saw|sent|spent|paid|sold|bought|struck|ran|led|kept|brought|thought|became|wrote|spoke|broke"
    r"|chose|flew|grew|knew|threw|fought|caught|sought|meant|felt|heard|built|shot|earlier|since)\b|\b[a-z]{3,}ed\b"
)
# A participle after these is no past tense: a passive ("will be named", "is heard") or an adjective
# ("a still unspecified date", "the U.N.-ordered sanctions"); the tense is the auxiliary's.
_NOT_FINITE = re.compile(
    r"(?i:\b(?:be|been|being|is|are|am|a|an|the|its|his|her|their|our|this|these|those)"
    r"\s+(?:\w+ly\s+|still\s+|just\s+|not\s+)?|-)$"
)
# Past cues that are never participles: the check above does not apply to them.
_FINITE_ONLY = re.compile(
    r"said|was|were|had|did|ago|last|went|came|took|gave|began|became|fell|rose|saw|grew|knew|threw|flew"
    r"|spoke|broke|chose|wrote|earlier|since"
)
# A plan reported as overtaken: "it had been due to expire Friday", "had previously been scheduled to
# expire at midnight Friday" (both past in TimeBank).
_PAST_PLAN = re.compile(r"(?i:\bhad\s+(?:\w+\s+)?been\s+)$")
# A deadline or a start points ahead whatever the verb's tense: "must be returned by Jan. 14",
# "postponed until Tuesday morning", "payable Dec. 7 to stock of record Nov. 22", "takes effect Nov. 13".
_DEADLINE = re.compile(
    r"(?i:\b(?:by|until|till|payable|record|effective|deadline(?:\s+(?:is|of))?)"
    r"\s+(?:on\s+|at\s+)?(?:early\s+|mid-?|late\s+)?)$"
)
# ... unless it opens its clause or follows "not"/"up" ("By Monday, officials hardened", "not until
# Tuesday that"), or a past perfect puts it behind ("had filed reports by Wednesday").
_NOT_DEADLINE = re.compile(r"(?i:(?:^|[,;:]|\b(?:not|up|but|and|'d))\s*)$")
_PERFECT = re.compile(r"(?i)\bhad\b")


def _deadline(text: str, left: int, start: int) -> re.Match[str] | None:
    """The deadline word right before the expression at ``start``, if it reads forward."""
    m = _DEADLINE.search(text, max(left, start - 40), start)
    if m is None:
        return None
    before = text[left : m.start()]
    return m if _NOT_DEADLINE.search(before) is None and _PERFECT.search(before) is None else None


# The rule modules register their patterns on import, dates first (they win ties).
_RULE_MODULES = (timex_dates, timex_periods)
_QUOTE = re.compile(r"[\"“”]|''|``")
_QUARTER = re.compile(r"(?i)\bquarter")
_SENTENCE_END = re.compile(r"[.!?][\"”')]*\s+(?=[\"“(]*[A-Z])|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), cut at quotation marks so a quote's tense stays its own."""
    left = 0
    # The search runs a little past ``start``: the end of the sentence before needs to see the capital
    # that opens the expression's own ("... Chantal. On Tuesday, they reported").
    for m in _SENTENCE_END.finditer(text, max(0, start - 400), min(len(text), start + 4)):
        if m.end() <= start:
            left = m.end()
    right_match = _SENTENCE_END.search(text, end, end + 400)
    right = right_match.start() if right_match else min(len(text), end + 400)
    for m in _QUOTE.finditer(text, left, start):
        left = m.end()
    quote_after = _QUOTE.search(text, end, right)
    return left, quote_after.start() if quote_after else right


def _cues(text: str, left: int, right: int, start: int, end: int) -> list[tuple[int, int, tn.Direction]]:
    """Tense cues in [left, right) outside the expression: (start, end, the way each points)."""
    cues: list[tuple[int, int, tn.Direction]] = []
    for m in _FUTURE.finditer(text, left, right):
        if m.start() >= end or m.end() <= start:
            plan = m.group(0).lower().startswith(("due", "scheduled", "set"))
            past_plan = plan and _PAST_PLAN.search(text, max(left, m.start() - 20), m.start()) is not None
            cues.append((m.start(), m.end(), "past" if past_plan else "future"))
    if deadline := _deadline(text, left, start):  # next to the expression: the nearest cue
        cues.append((deadline.start(), deadline.end(), "future"))
    future_spans = [(s, e) for s, e, way in cues if way == "future"]
    for m in _PAST.finditer(text, left, right):
        if (m.start() < end and m.end() > start) or any(s <= m.start() < e for s, e in future_spans):
            continue
        word = m.group(0).lower()
        if not _FINITE_ONLY.fullmatch(word) and _NOT_FINITE.search(
            text, max(left, m.start() - 24), m.start()
        ):
            continue
        cues.append((m.start(), m.end(), "past"))
    return cues


def direction(text: str, start: int, end: int) -> tn.Direction:
    """Whether an expression at [start, end) points back ("said on Friday") or ahead ("will ... Friday"):
    the way of the nearest tense cue in its sentence, future winning ties; past when there is none."""
    left, right = _sentence(text, start, end)
    best: tuple[int, int, tn.Direction] = (10**9, 1, "past")
    for s, e, way in _cues(text, left, right, start, end):
        gap = start - e if e <= start else s - end
        best = min(best, (gap, 0 if way == "future" else 1, way))
    return best[2]


# How far before and after its keyword a triggered rule's match may reach (characters); the longest
# prefix is a modifier, a spelled-out number and an adjective ("more than twenty-four straight").
_BEFORE, _AFTER = 80, 40


def _matches(pattern: re.Pattern[str], text: str, trigger: re.Pattern[str] | None) -> list[re.Match[str]]:
    """All matches of ``pattern``; with a trigger, only those in windows around its occurrences."""
    if trigger is None:
        return list(pattern.finditer(text))
    found: dict[tuple[int, int], re.Match[str]] = {}
    for k in trigger.finditer(text):
        start = text.rfind(" ", 0, max(0, k.start() - _BEFORE)) + 1
        for m in pattern.finditer(text, start, min(len(text), k.end() + _AFTER)):
            if m.start() <= k.start() and k.end() <= m.end():
                found.setdefault(m.span(), m)
    return sorted(found.values(), key=lambda m: m.start())


Candidate = tuple[int, int, int, int, re.Match[str]]
_OPEN_QUOTE = re.compile(r"(?:[\"“]|``|'')$")
_CLOSE_QUOTE = re.compile(r"[,.]?(?:[\"”]|'')")


def _is_title(text: str, start: int, end: int) -> bool:
    """A capitalized expression quoted on its own is a title: ABC's "This Week," CBS's ''60 Minutes.''"""
    return (
        (text[start].isupper() or text[start].isdigit())
        and _OPEN_QUOTE.search(text, max(0, start - 2), start) is not None
        and _CLOSE_QUOTE.match(text, end) is not None
        and " " in text[start:end]
    )


@functools.lru_cache(maxsize=4)
def _scan(text: str) -> list[Candidate]:
    """Every rule's matches, longest first: they do not depend on the anchor, so the publication
    dater's anchorless pass and the tagger's anchored pass over one article share them."""
    candidates: list[Candidate] = []
    for index, (pattern, _handler) in enumerate(RULES):
        for m in _matches(pattern, text, TRIGGERS.get(index)):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            if end > start:
                candidates.append((start, end, index, len(candidates), m))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    return candidates


def find_timex(text: str, anchor: str | None, *, exclude: Sequence[Span] = ()) -> list[TimeExpression]:
    """Find temporal expressions in ``text`` and normalize them against ``anchor``.

    Args:
        text: the text to tag; spans are offsets into it.
        anchor: the publication date "YYYY-MM-DD", or None (relative expressions then get
            underspecified values such as "XXXX-10-16", "XXXX-WXX-4" or "PAST_REF").
        exclude: spans (boilerplate) where nothing is tagged.

    Returns:
        Non-overlapping expressions sorted by start.
    """
    candidates = _scan(text)
    # Longest match first; a match its rule rejects ("6.43, on Friday" is no clock time) blocks nothing.
    # Values are then computed in reading order, so discourse state ("the quarter") follows the text.
    date = tn.parse_anchor(anchor)
    quarter_talk = len(_QUARTER.findall(text)) >= 2

    def context() -> Context:
        return Context(text, date, lambda s, e: direction(text, s, e), quarter_talk)

    trial = context()
    taken: list[tuple[int, int, int, re.Match[str]]] = []
    # Characters already taken, as a bytearray: the overlap test costs the candidate's length, not
    # the number taken so far (a list made a 2,000-quote article spend seconds here).
    blocked = bytearray(len(text))
    for s in exclude:
        blocked[s.start : s.end] = b"\x01" * (s.end - s.start)
    for start, end, index, _, m in candidates:
        if blocked.find(1, start, end) != -1 or _is_title(text, start, end):
            continue
        trial.last_year = trial.last_year or 2000  # discourse rules must not fail for want of a referent
        trial.last_month = trial.last_month or (2000, 1)
        if _apply(index, m, trial) is None:
            continue
        blocked[start:end] = b"\x01" * (end - start)
        taken.append((start, end, index, m))
    taken.sort(key=lambda t: t[0])
    ctx = context()
    found: list[TimeExpression] = []
    for start, end, index, m in taken:
        result = _apply(index, m, ctx)
        if result is not None:
            ctx.remember(result[0], end)
            found.append(TimeExpression(Span(start, end), result[0], result[1]))
    return found


def _apply(index: int, m: re.Match[str], ctx: Context) -> Found | None:
    """A rule's value, or None when date arithmetic leaves the calendar ("last week" from 0001-01-01;
    found by the property tests in tests/reliability)."""
    try:
        return RULES[index][1](m, ctx)
    except (OverflowError, ValueError):
        return None


class TimexTagger:
    """Pipeline component: adds ``timex`` anchored on ``published``, skipping boilerplate."""

    requires = ("published", "boilerplate")
    provides = ("timex",)

    def __call__(self, article: Article) -> Article:
        exclude = [b.span for b in article.boilerplate]
        found = find_timex(article.text, article.published, exclude=exclude)
        return article.evolve(timex=tuple(found))
