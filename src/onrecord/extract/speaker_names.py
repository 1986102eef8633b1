"""Speaker names: the name forms an article gives one actor (text in, name forms and matches out).

Used by the speakers component: nicknames set in a full name (Robert C. "Bobby" Scott), acronyms
of organisation names ("IMF"), a surname spelt two ways in one article ("McClenney", "McLenney").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.model import Span

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_NICKNAME = re.compile(
    r"\b(?P<given>[A-Z][a-z]+(?:\s+[A-Z]\.)*)\s+[\"“'‘](?P<nick>[A-Z][a-z]+)[\"”'’]"
    r"\s+(?P<surname>[A-Z][\w'’-]+)"
)
_ACRONYM_STOPWORDS = frozenset({"of", "the", "and", "for", "on", "in", "&", "at", "to"})


def fold(name: str) -> str:
    """A name folded for comparison: case-folded, typographic apostrophes made plain."""
    return name.casefold().translate(_APOSTROPHES)


@dataclass(frozen=True, slots=True)
class Nickname:
    """A full name with a quoted nickname inside it: Robert C. "Bobby" Scott."""

    span: Span
    full: str  # "Robert C. Scott"
    alias: str  # "Bobby Scott"
    given: str  # "Robert"
    nick: str  # "Bobby"


def nicknames(text: str) -> list[Nickname]:
    """The full names with a quoted nickname the text gives ('Robert C. "Bobby" Scott').

    Such a person is named by the nickname ("Bobby Scott") as often as by the full name; both are
    one actor, whose canonical name is the full one without the nickname.
    """
    found = []
    for match in _NICKNAME.finditer(text):
        given, nick = " ".join(match["given"].split()), match["nick"]
        surname = match["surname"].rstrip("'’")
        if surname.endswith(("'s", "’s")):
            surname = surname[:-2]
        found.append(
            Nickname(
                Span(match.start(), match.end()),
                f"{given} {surname}",
                f"{nick} {surname}",
                given.split()[0],
                nick,
            )
        )
    return found


def acronym(name: str) -> str:
    """The initials of a multi-word name ("International Monetary Fund" -> "imf"), or ""."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _ACRONYM_STOPWORDS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).casefold()


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two words differ by one inserted, deleted or substituted letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


_BIO = re.compile(r"\s+(?:is|was|has been)\s+|,\s+(?:a|an|the)\s+")
_BYLINE = re.compile(r"(?i)by\s+")


def authors(text: str, paragraphs: list[Span], persons: list[Span]) -> tuple[list[Span], Span | None]:
    """Who writes an opinion piece or a letter, for its first-person narrator ("I said").

    Args:
        text: The article text.
        paragraphs: The body paragraphs, in order.
        persons: The spans of the person names the tagger found.

    Returns:
        The signature lines (a paragraph that is only a person's name, under each reader's
        letter), and the author named by a closing bio ("Jane Roe is a playwright …") or a
        byline ("By Jane Roe"), if any.
    """
    starts = {p.start: p for p in persons}
    signatures: list[Span] = []
    author: Span | None = None
    for para in paragraphs:
        body = para.text(text).strip()
        lead = para.start + len(para.text(text)) - len(para.text(text).lstrip())
        byline = _BYLINE.match(body)
        name = starts.get(lead + (byline.end() if byline else 0))
        if name is None:
            continue
        rest = text[name.end : para.end].strip()
        if not byline and rest in ("", ".") and len(body.split()) <= 4:
            signatures.append(name)
        elif byline and rest in ("", "."):
            author = author or name
        elif not byline and _BIO.match(text, name.end) and para.start > len(text) * 0.6:
            author = name  # a closing bio; the last one wins
    return signatures, author
