"""Statement dates: Article with quotes and timex -> each quote's ``said_on``.

A statement is dated by the temporal expression that governs its cue ("On Thursday, ... Peskov
said") when one does, else by the publication date, and says which.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from onrecord.extract.quotes import TokenIndex
from onrecord.model import Article, Quote

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class StatementDater:
    """Component: fills ``said_on`` and ``said_on_source`` of every quote."""

    requires = ("quotes", "timex")
    provides = ("said_on",)

    def __call__(self, article: Article) -> Article:
        index = TokenIndex(article.doc) if article.doc is not None else None
        dated = []
        for quote in article.quotes:
            value = self._governing(article, index, quote) if index is not None else None
            if value is not None:
                dated.append(_dated(quote, value, "timex"))
            elif article.published:
                dated.append(_dated(quote, article.published, "published"))
            else:
                dated.append(quote)
        return article.evolve(quotes=tuple(dated))

    @staticmethod
    def _governing(article: Article, index: TokenIndex, quote: Quote) -> str | None:
        """A full date in the cue's own sentence, outside any quotation, on the cue's side."""
        if quote.cue is None:
            return None
        sent = index.at(quote.cue.span.start).sent
        for timex in article.timex:
            if not (sent.start_char <= timex.span.start < sent.end_char):
                continue
            if any(q.kind != "indirect" and q.span.contains(timex.span) for q in article.quotes):
                continue
            if _FULL_DATE.match(timex.value) and timex.value[:10] <= (article.published or "9999"):
                return timex.value[:10]
        return None


def _dated(quote: Quote, value: str, source: Literal["timex", "published"]) -> Quote:
    return replace(quote, said_on=value, said_on_source=source)
