"""Statement dates: Article with quotes and timex -> each quote's ``said_on``.

A statement is dated by the temporal expression that governs its cue ("On Thursday, ... Peskov
said", "Peskov said on Thursday"), else by the publication date, and says which. A scene-setting
expression opening a sentence ("Earlier in the day, ...", "On Thursday, ...") also governs the
statements of the following sentences of its paragraph, until another expression takes over.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from onrecord.extract.quotes import TokenIndex
from onrecord.model import Article, Quote, Span, TimeExpression

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Between a cue and a following date only a few words may stand ("said on Thursday", "told
# reporters Thursday", "said in a statement on Thursday"); a complementizer starts the content.
_CUE_TO_DATE = re.compile(r"^[\s,]*(?:(?!that\b)[\w’'.-]+[\s,]+){0,4}?(?:on\s+)?$", re.IGNORECASE)
_OPENING = re.compile(r"^[\s\"“”'‘(]*$")


class StatementDater:
    """Component: fills ``said_on`` and ``said_on_source`` of every quote."""

    requires = ("quotes", "timex")
    provides = ("said_on",)

    def __call__(self, article: Article) -> Article:
        index = TokenIndex(article.doc) if article.doc is not None else None
        dates = candidate_dates(article)  # once per article, not once per quote
        dated = []
        for quote in article.quotes:
            value = governing_date(article, index, quote, dates) if index is not None else None
            if value is not None:
                dated.append(_dated(quote, value, "timex"))
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
