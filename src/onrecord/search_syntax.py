"""What a person types in the search box -> an FTS5 query, and the terms to highlight in results.

The syntax is the one search engines taught everybody, and each piece maps onto an FTS5 operator:

- ``peskov treaty``: both words (every word must occur, in any order);
- ``"good fight"``: the phrase, its words next to each other in this order;
- ``negotiat*``: any word starting so (at least two letters before the star);
- ``treaty OR accord``: either; ``treaty NOT russia`` and ``treaty -russia``: the first without the
  second; ``AND`` may be written but is what a space means; ``( )`` group.

Operators count only in capitals ("or" is a word). Whatever is left is read as words, never as
FTS5 syntax: a user's text reaches SQLite only as quoted strings and the four operators, so no input
makes the query fail or reach a column or function it should not. A search that cannot be read
("NOT treaty" alone: FTS5 needs something to keep) raises ``SearchSyntaxError`` saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_TERMS = 32  # a search of more words than this reads as one by one words is no longer a search
MAX_DEPTH = 8
MIN_PREFIX = 2  # "a*" would list most of the index: a prefix needs this many letters

_TOKEN = re.compile(r'\s*(?:(?P<phrase>-?"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')


class SearchSyntaxError(ValueError):
    """A search that cannot be turned into a query; the message says why, in words."""


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word, a prefix (``word*``) or a phrase of several words."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        text = " ".join(self.words)
        return '"' + text.replace('"', '""') + '"' + ("*" if self.prefix else "")


@dataclass(slots=True)
class Search:
    """A parsed search: its FTS5 query, and the terms that must or may occur (not those excluded)."""

    match: str
    terms: list[Term] = field(default_factory=list)
    operators: bool = False  # an OR, NOT, '-' or group was read: more than "every word"


def _words(text: str) -> tuple[str, ...]:
    """The words FTS5's tokenizer would see in ``text`` (letters and digits; the rest separates)."""
    return tuple(w for w in re.split(r"[^\w]+|_", text) if w)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = self._tokens(text.replace("\x00", " "))
        self.at = 0
        self.terms: list[Term] = []  # those to keep, in order
        self.count = 0  # every term read, kept or excluded
        self.excluding = 0  # inside a NOT: terms read are not highlighted
        self.operators = False

    @staticmethod
    def _tokens(text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup or "word"
            tokens.append((kind, m.group(kind)))
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def parse(self) -> str:
        query = self.any_of(0)
        while self.peek() is not None:  # a stray ")": skipped, then read on
            self.at += 1
            rest = self.any_of(0)
            query = f"({query}) AND ({rest})" if query and rest else query or rest
        if self.count > MAX_TERMS:
            raise SearchSyntaxError(f"too many words: a search takes at most {MAX_TERMS}")
        return query

    def any_of(self, depth: int) -> str:
        parts = [self.all_of(depth)]
        while (token := self.peek()) is not None and token == ("word", "OR"):
            self.at += 1
            self.operators = True
            parts.append(self.all_of(depth))
        return " OR ".join(p for p in parts if p)  # FTS5 binds OR loosest: no brackets needed

    def all_of(self, depth: int) -> str:
        keep: list[str] = []
        drop: list[str] = []
        while (token := self.peek()) is not None and token[0] != "close" and token != ("word", "OR"):
            kind, text = token
            self.at += 1
            negated = False
            if (kind, text) == ("word", "AND"):
                continue
            if (kind, text) == ("word", "NOT"):
                self.operators = negated = True
                if (token := self.peek()) is None or token[0] == "close" or token == ("word", "OR"):
                    break
                kind, text = token
                self.at += 1
            elif kind in ("word", "phrase") and text.startswith("-") and len(text) > 1:
                self.operators = negated = True
                text = text[1:]
            item = self.item(kind, text, depth, negated)
            # A word given twice asks nothing more, but FTS5 would read its hits twice (1M-quote
            # bench: a common word twice 74 ms, once 38 ms); the index folds case, so "Iran iran" too.
            if item and item.casefold() not in {i.casefold() for i in keep + drop}:
                (drop if negated else keep).append(item)
        if drop and not keep:
            raise SearchSyntaxError(
                "NOT (or '-') needs words to keep: 'treaty NOT russia' finds treaty without russia"
            )
        query = " AND ".join(keep)
        if len(keep) > 1 and drop:
            query = f"({query})"
        if drop:
            query += " NOT " + (drop[0] if len(drop) == 1 else "(" + " OR ".join(drop) + ")")
        return query

    def item(self, kind: str, text: str, depth: int, negated: bool) -> str:
        if kind == "open":
            if depth >= MAX_DEPTH:
                raise SearchSyntaxError(f"too many brackets: at most {MAX_DEPTH} inside each other")
            self.operators = True
            self.excluding += negated
            inner = self.any_of(depth + 1)
            self.excluding -= negated
            if (token := self.peek()) is not None and token[0] == "close":
                self.at += 1
            return f"({inner})" if " " in inner else inner
        if kind == "phrase":
            words = _words(text.strip('"'))
            term = Term(words) if words else None
        else:
            prefix = text.endswith("*")
            words = _words(text.rstrip("*"))
            if prefix and words and len(words[-1]) < MIN_PREFIX:
                raise SearchSyntaxError(
                    f"{text!r}: a prefix needs at least {MIN_PREFIX} letters before the *"
                )
            term = Term(words, prefix=prefix) if words else None
        if term is None:
            return ""
        self.count += 1
        if not negated and not self.excluding:
            self.terms.append(term)
        return term.fts()


def parse_search(text: str) -> Search:
    """A person's search as an FTS5 query and the terms to highlight.

    Raises:
        SearchSyntaxError: the search cannot be read (the message says why).
    """
    parser = _Parser(text)
    match = parser.parse()
    return Search(match, parser.terms, parser.operators)


def plain_words(text: str) -> Search:
    """Every word of ``text`` must occur, no operator read (what a search that cannot be read becomes)."""
    unique: dict[str, tuple[str, ...]] = {}
    for word in text.replace("\x00", " ").split():
        words = _words(word)
        if words:
            unique.setdefault(" ".join(words).casefold(), words)
    terms = [Term(words) for words in list(unique.values())[:MAX_TERMS]]
    return Search(" AND ".join(t.fts() for t in terms), terms)


def fold(text: str) -> str:
    """Text as the index compares it: case folded, accents dropped (FTS5's unicode61 tokenizer)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def highlights(text: str, terms: list[Term]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is a hit) pieces: the words and phrases a search looked for marked.

    Pieces are plain slices of ``text`` (joined they give it back), for a template to escape.
    """
    if not terms or not text:
        return [(text, False)] if text else []
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    folded = [fold(text[s:e]) for s, e in spans]
    marked = [False] * len(spans)
    for term in terms:
        wanted = [fold(w) for w in term.words]
        size = len(wanted)
        for i in range(len(spans) - size + 1):
            window = folded[i : i + size]
            last_ok = window[-1].startswith(wanted[-1]) if term.prefix else window[-1] == wanted[-1]
            if last_ok and window[:-1] == wanted[:-1]:
                for j in range(i, i + size):
                    marked[j] = True
    pieces: list[tuple[str, bool]] = []
    at = 0
    for index, (start, end) in enumerate(spans):
        if not marked[index]:
            continue
        # A phrase's words and the space between them form one mark.
        if pieces and pieces[-1][1] and not text[at:start].strip():
            pieces[-1] = (pieces[-1][0] + text[at:end], True)
        else:
            if start > at:
                pieces.append((text[at:start], False))
            pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
