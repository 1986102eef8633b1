"""Structure: Article text -> paragraphs, section, headline, byline, dateline and boilerplate spans.

Boilerplate (section labels, photo and wire credits, interface links) is recorded as spans and
masked out of later analysis; the text itself is never cut, so every offset stays true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from onrecord.extract.lexicons import folded_set, table
from onrecord.model import Article, Boilerplate, BoilerplateKind, Paragraph, Span

_BYLINE = re.compile(r"^(by|written by|von|par|por)\s+[A-Z][\w'’.-]+(\s+[\w'’.-]+){0,6}$", re.IGNORECASE)
# "MOSCOW, October 23 (TASS) –", "WASHINGTON (Reuters) -", "LONDON —": an upper-case place, an
# optional date and agency, then a dash. Measured on the seed and wire copy; a lower-case place
# ("Moscow —") is too often a sentence start to take.
_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z.]*\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"(?:\s*\([A-Za-z. ]{2,30}\))?\s*[-–—]{1,2})\s"
)
_MAX_SHORT_WORDS = 12


def iter_lines(text: str) -> Iterator[Span]:
    """Spans of the non-blank lines of ``text``, stripped of surrounding whitespace."""
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            yield Span(start, start + len(stripped))


def _words(line: str) -> int:
    return len(line.split())


def _boilerplate_kind(line: str) -> BoilerplateKind | None:
    if _words(line) > _MAX_SHORT_WORDS:
        return None
    for kind, pattern in _patterns():
        if pattern.fullmatch(line):
            return kind
    if line.strip(" .,").casefold() in folded_set("agencies.txt"):
        return "credit"
    return None


@cache
def _patterns() -> tuple[tuple[BoilerplateKind, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in table("boilerplate.tsv"))  # type: ignore[misc]


def _looks_like_headline(line: str) -> bool:
    words = _words(line)
    if line.endswith((".", "…")) and words > 12:
        return False  # a lead sentence, not a headline
    return 2 <= words <= 30 and not line.endswith((":", ",")) and not line.startswith(('"', "“"))


def _looks_like_section(line: str, next_line: str | None) -> bool:
    if line.casefold() in folded_set("sections.txt"):
        return next_line is not None
    # An unknown label: one or two capitalised words, no sentence punctuation, above a headline.
    words = line.split()
    return (
        next_line is not None
        and _looks_like_headline(next_line)
        and not next_line.endswith(".")
        and 1 <= len(words) <= 2
        and len(line) <= 30
        and all(w[:1].isupper() for w in words)
        and not re.search(r"[.!?:;,\"“”]", line)
        and _words(next_line) >= 4
    )


class StructureParser:
    """Component: finds section, headline, byline, dateline, paragraphs and boilerplate."""

    requires: tuple[str, ...] = ()
    provides = ("paragraphs", "boilerplate", "section", "headline")

    def __call__(self, article: Article) -> Article:
        text = article.text
        lines = list(iter_lines(text))
        boiler: list[Boilerplate] = []
        section = headline = byline = None
        index = 0
        if article.format == "text" and lines:
            first = lines[0].text(text)
            nxt = lines[1].text(text) if len(lines) > 1 else None
            if _looks_like_section(first, nxt):
                section = lines[0]
                boiler.append(Boilerplate(section, "section"))
                index = 1
        if index < len(lines) and _looks_like_headline(lines[index].text(text)) and len(lines) > index + 1:
            headline = lines[index]
            index += 1
        elif article.format == "html" and lines and lines[0].text(text) == article.headline_text:
            headline, index = lines[0], 1
        if index < len(lines) and _BYLINE.match(lines[index].text(text)):
            byline = lines[index]
            boiler.append(Boilerplate(byline, "byline"))
            index += 1
        paragraphs, more = self._body(text, lines[index:], headline)
        boiler.extend(more)
        dateline = self._dateline(text, paragraphs)
        boiler.sort(key=lambda b: b.span.start)
        return article.evolve(
            section=section,
            headline=headline,
            byline=byline,
            dateline=dateline,
            paragraphs=tuple(sorted(paragraphs, key=lambda p: p.span.start)),
            boilerplate=tuple(boiler),
        )

    def _body(
        self, text: str, lines: list[Span], headline: Span | None
    ) -> tuple[list[Paragraph], list[Boilerplate]]:
        paragraphs: list[Paragraph] = []
        boiler: list[Boilerplate] = []
        if headline is not None:
            paragraphs.append(Paragraph(headline, "headline"))
        for span in lines:
            kind = _boilerplate_kind(span.text(text))
            if kind is not None:
                boiler.append(Boilerplate(span, kind))
                paragraphs.append(Paragraph(span, "boilerplate"))
            else:
                paragraphs.append(Paragraph(span, "body"))
        return paragraphs, boiler

    @staticmethod
    def _dateline(text: str, paragraphs: list[Paragraph]) -> Span | None:
        body = [p for p in paragraphs if p.role == "body"]
        if not body:
            return None
        first = body[0].span
        match = _DATELINE.match(text[first.start : first.end])
        if match is None:
            return None
        return Span(first.start, first.start + len(match.group("dl")))


def analysable_text(article: Article) -> str:
    """The article text with boilerplate blanked out (same length, so offsets do not move)."""
    chars = list(article.text)
    for item in article.boilerplate:
        if item.kind == "dateline":
            continue
        for i in range(item.span.start, item.span.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
