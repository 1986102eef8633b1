"""Dated roles: the titles articles give people -> a role index -> unnamed role-holders resolved.

"Kremlin spokesman Dmitry Peskov" tells the corpus that Peskov held the office "Kremlin
spokesman" on the article's date. A later article that quotes only "the Kremlin spokesman", and
names no holder, is resolved here to the one person who held that office nearest its date; when
two people held it around then ("the president" of several countries), the speaker stays the role.
Offices, not descriptions: "an official" or "the analyst" have many holders at once and are never
resolved. The same pure functions serve the SQLite ingest and the Spark job (``spark/corpus.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from onrecord.model import Actor

# Role classes (extract/lexicon/roles.tsv) that name an office one person holds at a time for a
# given qualifier ("Russian president", "Kremlin spokesman"); descriptions with many holders at
# once ("official", "analyst", "lawyer", "mother") are left out, so they are never resolved.
OFFICES = frozenset(
    [
        "president",
        "spokesperson",
        "minister",
        "prime minister",
        "secretary",
        "governor",
        "mayor",
        "chancellor",
        "chair",
        "ambassador",
        "envoy",
        "king",
        "queen",
        "pope",
        "speaker",
        "prosecutor",
        "sheriff",
        "commissioner",
    ]
)
# Qualifiers that make another office: "the president" is not the vice president, nor a former one.
RANKS = frozenset(["vice", "deputy", "former", "acting", "assistant", "ex", "late", "interim", "junior"])
# A qualifier that says the speaker is one of several: never a single holder.
_INDEFINITE = frozenset(["a", "an", "another", "one", "some", "any", "two", "three", "several"])
_SKIP = frozenset(["the", "of", "and", "for", "'s", "’s"])
# An office holder this near a date holds it then; a rival must be this much further off to lose.
# Judgements, not tuned: the demo corpus has a single unnamed office holder, with no one to match.
MAX_GAP_DAYS = 365
CLEAR_MARGIN_DAYS = 180
_WORD = re.compile(r"[\w.'’-]+")


@cache
def _classes() -> dict[str, str]:
    from onrecord.extract.speaker_drafts import role_classes

    return role_classes()


@dataclass(frozen=True, slots=True, order=True)
class Office:
    """An office: its role class and the qualifiers around it ("kremlin", "spokesperson")."""

    role: str
    qualifiers: frozenset[str] = frozenset()

    def covers(self, held: Office) -> bool:
        """Whether a holder of ``held`` is one this office names: the same class, every qualifier
        we give among theirs, and no rank of theirs ("vice", "former") that we do not give."""
        if self.role != held.role or not self.qualifiers <= held.qualifiers:
            return False
        return held.qualifiers & RANKS <= self.qualifiers

    def label(self) -> str:
        return " ".join([*sorted(self.qualifiers), self.role])


def _word(token: str) -> str:
    word = token.casefold().replace("’", "'")
    word = re.sub(r"'s$", "", word)
    return word.replace(".", "") if word not in _classes() else word


def office(phrase: str) -> Office | None:
    """The office a role phrase names ("the Russian president", "Secretary of State"), or None
    when it names no single-holder office (a plural, an indefinite, a description)."""
    words = [w for w in (_word(t) for t in _WORD.findall(phrase)) if w]
    if not words or words[0] in _INDEFINITE:
        return None
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    if head < 0:
        return None
    role = _classes().get(words[head])
    if role is None or role not in OFFICES or _plural(words[head]):
        return None
    qualifiers = frozenset(w for i, w in enumerate(words) if i != head and w not in _SKIP)
    return Office(role, qualifiers)


def _plural(word: str) -> bool:
    return word.endswith("men") or (word.endswith("s") and word[:-1] in _classes())


# Lower-case words that may qualify an office in a title before a name ("foreign minister Sergei
# Lavrov", "press secretary Kayleigh McEnany"); capitalised words (Kremlin, Russian, U.S.) always may.
QUALIFIERS = frozenset(
    ["foreign", "defence", "defense", "finance", "press", "prime", "health", "interior", "justice", "state",
     "chief", "general", "national", "federal", "regional", "opposition", "party", "security", "trade"]
)  # fmt: skip
# How far before a name its title may start: more than any title of a few words.
BEFORE = 80


def title_before(before: str) -> Office | None:
    """The office of a title standing right before a person's name ("... Kremlin spokesman" before
    "Dmitry Peskov", "Secretary of State" before "Mike Pompeo"); ``before`` is the text preceding
    the name (the last ``BEFORE`` characters are enough). None when no title stands there."""
    if not before or not before[-1].isspace():
        return None
    tokens = before[before.rfind("\n") + 1 :].split()  # a title is on the name's own line
    taken: list[str] = []
    for token in reversed(tokens[-6:]):
        word = token.casefold()
        if token[-1] in ",;:.!?\"“”'‘’()" and not _is_abbreviation(word):
            break
        if not (
            token[0].isupper() or word in RANKS or word in QUALIFIERS or word in _classes() or word == "of"
        ):
            break
        if word == "the":
            break
        taken.insert(0, token)
    while taken and taken[0].casefold() == "of":
        taken.pop(0)
    if not taken or (_word(taken[-1]) not in _classes() and "of" not in [t.casefold() for t in taken]):
        return None
    return office(" ".join(taken))


def _is_abbreviation(word: str) -> bool:
    return word in _classes() or bool(re.fullmatch(r"(?:\w\.)+", word))


@dataclass(slots=True)
class Tenure:
    """When one actor was seen holding one office."""

    first: str
    last: str
    seen: int = 0

    def gap(self, date: str) -> int:
        """Days from ``date`` to this tenure (0 inside it)."""
        if self.first <= date <= self.last:
            return 0
        day = dt.date.fromisoformat(date)
        edge = self.first if date < self.first else self.last
        return abs((dt.date.fromisoformat(edge) - day).days)


@dataclass(slots=True)
class RoleIndex:
    """Who held which office when: (office, actor id) -> tenure, filled in article order."""

    tenures: dict[str, dict[tuple[Office, str], Tenure]] = field(default_factory=dict)

    def add(self, held: Office, actor_id: str, date: str | None) -> None:
        """One article dated ``date`` gave ``actor_id`` the title ``held``."""
        if not _is_date(date):
            return
        assert date is not None
        tenure = self.tenures.setdefault(held.role, {}).setdefault((held, actor_id), Tenure(date, date))
        tenure.first, tenure.last = min(tenure.first, date), max(tenure.last, date)
        tenure.seen += 1

    def holder(self, wanted: Office, date: str | None) -> tuple[str, str] | None:
        """(actor id, why) of the one actor clearly holding ``wanted`` nearest ``date``, else None."""
        if not _is_date(date):
            return None
        assert date is not None
        nearest: dict[str, tuple[int, int]] = {}
        for (held, actor_id), tenure in self.tenures.get(wanted.role, {}).items():
            if not wanted.covers(held):
                continue
            gap = tenure.gap(date)
            best = nearest.get(actor_id, (gap, 0))
            nearest[actor_id] = (min(best[0], gap), best[1] + tenure.seen)
        ranked = sorted((gap, -seen, actor_id) for actor_id, (gap, seen) in nearest.items())
        if not ranked or ranked[0][0] > MAX_GAP_DAYS:
            return None
        if len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CLEAR_MARGIN_DAYS:
            return None
        gap, seen, actor_id = ranked[0]
        when = "that date" if gap == 0 else f"{gap} days from it"
        return actor_id, f"{wanted.label()}: held by this actor in {-seen} mention(s), {when}"


def _is_date(value: str | None) -> bool:
    if not value or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def unnamed_offices(actors: Iterable[Actor]) -> dict[str, Office]:
    """An article's speakers known only by an office ("the Kremlin spokesman"): local id -> office.

    The article's own resolution made them groups because it names no one holding that office.
    """
    found = {}
    for actor in actors:
        if actor.type == "group" and (held := office(actor.name)) is not None:
            found[actor.id] = held
    return found


def titles(actors: Iterable[Actor], text: str, mapping: Mapping[str, str]) -> list[tuple[Office, str]]:
    """(office, corpus id) for each name mention of a person with a title right before it
    ("Russian President Vladimir Putin"): who the article says held which office."""
    found = []
    for actor in actors:
        if actor.type != "person" or actor.id not in mapping:
            continue
        for mention in actor.mentions:
            start = mention.span.start
            if mention.kind == "name" and (held := title_before(text[max(0, start - BEFORE) : start])):
                found.append((held, mapping[actor.id]))
    return found


def resolve_offices(
    actors: Iterable[Actor],
    mapping: dict[str, str],
    published: str | None,
    index: RoleIndex,
    keep: Container[str] = (),
) -> dict[str, str]:
    """``mapping`` with each unnamed office holder sent to the one actor clearly holding that office
    near ``published``; local ids whose corpus id is in ``keep`` (a person judged it) stay."""
    resolved = dict(mapping)
    for local, wanted in unnamed_offices(actors).items():
        if mapping.get(local) in keep:
            continue
        hit = index.holder(wanted, published)
        if hit is not None:
            resolved[local] = hit[0]
    return resolved
