"""Corpus identities: per-article actors -> one corpus-wide actor each, and quotes -> statements.

"Putin", "Vladimir Putin" and "Vladimir Vladimirovich Putin" share a surname and compatible first
names, so they are one actor; "Donald Trump" and "Ivanka Trump" share a surname only, so they stay
apart. A bare surname joins the most-mentioned actor of that surname. Organisations, places and
groups are matched by their whole name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from onrecord.model import Actor, Article, Quote
from onrecord.store.sqlite import ActorIdentity

Lookup = Callable[[str, str], list[ActorIdentity]]

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def split_name(name: str, type_: str = "person") -> tuple[str, str]:
    """(given names, surname key) of a canonical name; non-persons keep their whole name as the key."""
    folded = " ".join(name.split()).casefold()
    if type_ != "person":
        return "", folded
    tokens = [t for t in folded.split() if t not in _SUFFIXES]
    if not tokens:
        return "", folded
    return " ".join(tokens[:-1]), tokens[-1]


def compatible(given_a: str, given_b: str) -> bool:
    """True when two given-name strings can belong to one person (missing, equal or initial)."""
    if not given_a or not given_b:
        return True
    first_a, first_b = given_a.split()[0].rstrip("."), given_b.split()[0].rstrip(".")
    if first_a == first_b:
        return True
    if len(first_a) == 1 or len(first_b) == 1:
        return first_a[0] == first_b[0]
    return False


def _rank(given: str, candidate: ActorIdentity) -> tuple[int, int, int]:
    exact = int(bool(given) and candidate.given_names == given)
    return (exact, int(bool(candidate.given_names)), candidate.mentions)


class IdentityResolver:
    """Maps each article's actors to corpus-wide identities, given a look-up of the known ones."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup

    def resolve(self, article: Article) -> tuple[dict[str, str], list[ActorIdentity]]:
        """Return (local actor id -> corpus actor id, identities to create or rename)."""
        mapping: dict[str, str] = {}
        pending: dict[str, ActorIdentity] = {}
        # Full names first, so a bare surname in the same article finds its person.
        for actor in sorted(article.actors, key=lambda a: (-len(a.name.split()), a.id)):
            identity = self._one(actor, pending)
            pending[identity.id] = identity
            mapping[actor.id] = identity.id
        return mapping, list(pending.values())

    def _one(self, actor: Actor, pending: dict[str, ActorIdentity]) -> ActorIdentity:
        given, surname = split_name(actor.name, actor.type)
        known = {c.id: c for c in self._lookup(actor.type, surname)}
        known.update({p.id: p for p in pending.values() if p.type == actor.type and p.surname == surname})
        fits = [c for c in known.values() if compatible(given, c.given_names)]
        if not fits:
            return ActorIdentity(
                Actor.make_id(actor.name, actor.type), actor.name, actor.type, surname, given
            )
        best = max(fits, key=lambda c: (*_rank(given, c), c.id))
        fuller = len(given) > len(best.given_names) and given.startswith(best.given_names.rstrip("."))
        if (given and not best.given_names) or fuller:
            # A fuller name names the actor from now on ("Putin" -> "Vladimir Putin").
            return ActorIdentity(best.id, actor.name, actor.type, surname, given, best.mentions)
        return best


_NOT_WORD = re.compile(r"[^\w\s]")


def fingerprint(text: str) -> str | None:
    """A statement's identity across outlets: case, punctuation, quote marks and spacing ignored."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    words = _NOT_WORD.sub(" ", normalized).split()
    if len(words) < 4:
        # Too short to be one statement rather than a common phrase ("no comment").
        return None
    return " ".join(words)


def quote_fingerprint(article: Article, quote: Quote) -> str | None:
    """The quoted words for a direct or partial quote, the whole statement for reported speech."""
    span = quote.span if quote.kind != "indirect" else quote.statement
    return fingerprint(article.slice(span))
