"""Statement dates: Article with quotes and timex -> each quote's ``said_on``.

A statement is dated by the temporal expression that governs its cue ("On Thursday, ... Peskov
said", "Peskov said on Thursday"), else by the publication date, and says which. A scene-setting
expression opening a sentence ("Earlier in the day, ...", "On Thursday, ...") also governs the
statements of the following sentences of its paragraph, until another expression takes over.

A statement the article recalls from the past carries the date, month or year the text gives
("in 2017, Trump said", "as Merkel put it last year": "2017", "2019"), when that expression is
a modifier of the cue's own clause (not "the 2017 rally"). One recalled without a date ("had
said", "once said", "has long said") stays undated: ``said_on`` None, ``said_on_source``
"recalled", rather than the day the article appeared.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from onrecord.extract.quotes import TokenIndex
from onrecord.model import Article, Quote, Span, TimeExpression

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2})?$")  # a year or a month: "2017", "2019-10"
# Adverbs that put a statement in the past without dating it ("once said", "has long said").
_RECALLING = frozenset(("once", "previously", "long", "repeatedly", "formerly"))
# Between a cue and a following date only a few words may stand ("said on Thursday", "told
# reporters Thursday", "said in a statement on Thursday"); a complementizer starts the content.
_CUE_TO_DATE = re.compile(r"^[\s,]*(?:(?!that\b)[\w’'.-]+[\s,]+){0,4}?(?:on\s+)?$", re.IGNORECASE)
# How a time expression hangs on a verb; a UD subtype counts as its type (French "obl:mod": "obl").
_GOVERNED = ("prep", "pobj", "npadvmod", "nmod", "obl", "advmod", "tmod")
_OPENING = re.compile(r"^[\s\"“”„«»'‘(]*$")


class StatementDater:
    """Component: fills ``said_on`` and ``said_on_source`` of every quote."""

    requires = ("quotes", "timex")
    provides = ("said_on",)

    def __call__(self, article: Article) -> Article:
        index = TokenIndex.of(article.doc) if article.doc is not None else None
        dates = candidate_dates(article)  # once per article, not once per quote
        dated = []
        for quote in article.quotes:
            value = governing_date(article, index, quote, dates) if index is not None else None
            if value is None and index is not None:
                value = recalled_date(article, index, quote)
            if value is not None:
                dated.append(_dated(quote, value, "timex"))
            elif index is not None and recalled(index, quote):
                dated.append(replace(quote, said_on=None, said_on_source="recalled"))
            elif article.published:
                dated.append(_dated(quote, article.published[:10], "published"))
            else:
                dated.append(quote)
        return article.evolve(quotes=tuple(dated))


def candidate_dates(article: Article) -> list[TimeExpression]:
    """Full dates no later than publication and outside quotation marks: what may date a statement."""
    quoted = [q.span for q in article.quotes if q.kind != "indirect"]
    latest = (article.published or "9999")[:10]
    return [
        x
        for x in article.timex
        if _FULL_DATE.match(x.value)
        and x.value[:10] <= latest
        and not any(s.contains(x.span) for s in quoted)
    ]


def governing_date(
    article: Article, index: TokenIndex, quote: Quote, dates: list[TimeExpression] | None = None
) -> str | None:
    """The day of the expression governing the quote's cue, or None.

    Candidates are full dates ("2020-10-22", "2020-10-22TMO") no later than publication, outside
    quotation marks and outside the statement itself (what was said is not when it was said).
    """
    if quote.cue is None:
        return None
    cue = quote.cue.span
    sent = index.at(cue.start).sent
    candidates = candidate_dates(article) if dates is None else dates
    usable = [x for x in candidates if not quote.statement.contains(x.span)]
    for x in usable:
        if not sent.start_char <= x.span.start < sent.end_char:
            continue
        if x.span.end <= cue.start or _CUE_TO_DATE.match(article.text[cue.end : x.span.start]):
            return x.value[:10]
    return _scene_setting(article, index, usable, sent.start_char)


def recalled_date(article: Article, index: TokenIndex, quote: Quote) -> str | None:
    """The year or month ("2017", "2019-10", "this month") of an expression modifying the cue's
    clause, no later than publication: as precise as the text is, no more."""
    if quote.cue is None:
        return None
    cue = index.at(quote.cue.span.start)
    verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
    latest = (article.published or "9999")[:10]
    for x in article.timex:
        if not _PARTIAL_DATE.match(x.value) or quote.statement.contains(x.span):
            continue
        if x.value > latest[: len(x.value)]:
            continue  # a later year or month is not when a reported statement was made
        tokens = index.inside(x.span)
        if tokens and _governs(tokens, verb):
            return x.value
    return None


def _governs(tokens: list[Any], verb: Any) -> bool:
    """Whether an expression modifies the verb's clause: its head hangs on the verb, directly or
    through a preposition ("in 2017", "last year", "in October 2016")."""
    ids = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in ids), None)
    if head is None or head.dep_.split(":")[0] not in _GOVERNED:
        return False
    up = head.head  # "In September" hangs on the verb by its preposition
    if head.dep_ == "pobj" and up.dep_ == "prep":
        up = up.head
    return bool(up.i == verb.i)


def recalled(index: TokenIndex, quote: Quote) -> bool:
    """A statement the article places in the past without a date: the cue in the past perfect
    ("had said") or with a recalling adverb ("once said", "has long argued")."""
    if quote.cue is None:
        return False
    cue = index.at(quote.cue.span.start)
    verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
    if verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
        return True
    return any(c.dep_ == "advmod" and c.lower_ in _RECALLING for c in verb.children)


def _scene_setting(
    article: Article, index: TokenIndex, usable: list[TimeExpression], start: int
) -> str | None:
    """A sentence-opening expression earlier in the same paragraph, none other in between."""
    paragraph = next((p.span for p in article.paragraphs if p.span.start <= start < p.span.end), None)
    if paragraph is None:
        return None
    between = [x for x in article.timex if paragraph.start <= x.span.start < start]
    if not between:
        return None
    last = between[-1]
    if last not in usable or not _opens_sentence(article.text, index, last.span):
        return None
    return last.value[:10]


def _opens_sentence(text: str, index: TokenIndex, span: Span) -> bool:
    sent: Any = index.at(span.start).sent
    return bool(_OPENING.match(text[sent.start_char : span.start]))


def _dated(quote: Quote, value: str, source: Literal["timex", "published"]) -> Quote:
    return replace(quote, said_on=value, said_on_source=source)
