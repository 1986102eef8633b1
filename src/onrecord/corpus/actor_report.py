"""Actor report: a corpus store -> how clean its actor graph is (junk actors, near-duplicates, top speakers).

A diagnostic, run before and after a change to the analysis: it counts actors whose names are not
names, by kind (another script than their English articles', only numbers or dates, a "person" in
lower case, a common noun, an entity type to doubt), the countries stored under several names, the
actors that share a normalised name, and the ten most quoted speakers. It reads the store directly
and only reads: it is not one of the questions the front ends ask (``queries.py``).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.store.schema import CONFIDENT_SQL

JUNK_KINDS = ("non_latin_script", "numbers_or_dates", "lowercase_person", "common_noun", "type_suspect")
TOP_SPEAKERS = 10
# "Most quoted" counts statements as the read side does: confident attributions, questions aside.

_CONFIDENT = CONFIDENT_SQL.format(row="q")
_ACTORS = f"""SELECT ac.id, ac.name, ac.type, ac.mentions,
 (SELECT count(*) FROM quotes q WHERE q.actor_id = ac.id AND q.piece = 0 AND q.kind != 'question'
  AND {_CONFIDENT}) AS quotes,
 (SELECT count(*) FROM article_actors aa JOIN articles a ON a.id = aa.article_id
  WHERE aa.actor_id = ac.id AND coalesce(a.language, 'en') = 'en') AS english
FROM actors ac ORDER BY ac.id"""  # noqa: S608 - fixed SQL: the one interpolation is a constant
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "some",
        "many",
        "several",
        "other",
        "others",
        "one",
        "two",
        "three",
        "his",
        "her",
        "their",
        "its",
        "our",
    ]
)
# Words after a description's head: a preposition or the start of a clause ("officials who said").
_PREPOSITIONS = frozenset(
    [
        "of",
        "from",
        "in",
        "at",
        "for",
        "on",
        "with",
        "within",
        "to",
        "by",
        "near",
        "about",
        "here",
        "there",
        "who",
        "which",
        "that",
        "whom",
        "whose",
        "named",
        "such",
        "like",
    ]
)
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True, slots=True)
class ReportedActor:
    """One corpus actor as the report lists it."""

    id: str
    name: str
    type: str
    mentions: int
    quotes: int


@dataclass(slots=True)
class ActorReport:
    """What :func:`actor_report` found in a store."""

    actors: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    junk: dict[str, list[ReportedActor]] = field(default_factory=dict)
    countries: dict[str, list[ReportedActor]] = field(default_factory=dict)  # country -> its actors
    duplicates: list[list[ReportedActor]] = field(default_factory=list)
    top_speakers: list[ReportedActor] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Junk actors per kind, and their total (an actor is counted once, under its first kind)."""
        found = {kind: len(self.junk.get(kind, [])) for kind in JUNK_KINDS}
        found["total"] = sum(found.values())
        return found

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "actors": self.actors,
            "by_type": self.by_type,
            "junk_counts": self.counts(),
            "junk": {kind: [asdict(a) for a in self.junk.get(kind, [])] for kind in JUNK_KINDS},
            "countries": {c: [asdict(a) for a in actors] for c, actors in self.countries.items()},
            "duplicates": [[asdict(a) for a in group] for group in self.duplicates],
            "top_speakers": [asdict(a) for a in self.top_speakers],
        }


def actor_report(db: str | Path) -> ActorReport:
    """Report on the actors of the store at ``db``.

    Args:
        db: A corpus database written by ``onrecord ingest``.

    Returns:
        The junk actors by kind, every country stored under more than one actor, the groups of
        actors (not unnamed sources, which belong to one article each) sharing a normalised name
        (case, punctuation and a leading "the" ignored), and the ten most quoted speakers.
    """
    path = Path(db)
    if not path.is_file():
        raise OnrecordError(
            f"no corpus database at {path}: ingest articles first (onrecord ingest --db {path})"
        )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [(ReportedActor(*row[:5]), int(row[5])) for row in conn.execute(_ACTORS)]
    except sqlite3.Error as exc:
        raise OnrecordError(f"{path} is not an onrecord corpus database ({exc})") from None
    finally:
        conn.close()
    report = ActorReport(actors=len(rows))
    for actor, _ in rows:
        report.by_type[actor.type] = report.by_type.get(actor.type, 0) + 1
    names = {(normalised(a.name), a.type) for a, _ in rows}
    for actor, english in rows:
        kind = junk_kind(actor.name, actor.type, english > 0, names)
        if kind is not None:
            report.junk.setdefault(kind, []).append(actor)
    for kind in report.junk:
        report.junk[kind].sort(key=lambda a: (-a.mentions, a.name))
    report.countries = _countries([a for a, _ in rows])
    report.duplicates = _duplicates([a for a, _ in rows])
    speakers = sorted((a for a, _ in rows if a.quotes), key=lambda a: (-a.quotes, a.name))
    report.top_speakers = speakers[:TOP_SPEAKERS]
    return report


def normalised(name: str) -> str:
    """A name's key for near-duplicates: NFKC, case-folded, punctuation and a leading "the" dropped."""
    words = _PUNCT.sub("", unicodedata.normalize("NFKC", name).casefold()).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def junk_kind(name: str, type_: str, english: bool, names: set[tuple[str, str]] | None = None) -> str | None:
    """The first junk kind an actor's name falls under (``JUNK_KINDS``), or None.

    Args:
        name: The actor's name.
        type_: Its type (person, organization, place, group).
        english: Whether an English article names it (for the script test).
        names: (normalised name, type) of every actor of the store, to find a "person" that is
            elsewhere an organisation or a place.
    """
    from onrecord.extract.name_evidence import known_kinds, only_numbers_or_dates, source_word

    letters = [c for c in name if c.isalpha()]
    if english and any(_foreign(c) for c in letters):
        return "non_latin_script"
    cased = [w.strip("\"'“”‘’()[],;:.") for w in name.split()]
    cased = [w for w in cased if w]
    # The same test the vetting step applies (timex.tsv's time and number words, as data).
    if not letters or only_numbers_or_dates(name, person=type_ == "person"):
        return "numbers_or_dates"
    if type_ == "person" and not any(c.isupper() for c in name):
        return "lowercase_person"
    if type_ != "group" and not any(c.isupper() for c in name):
        return "common_noun"
    if type_ == "group":
        head = _head(cased)
        if head and not any(c.isupper() for c in head) and not source_word(head):
            return "common_noun"
    known = known_kinds().get(name.casefold())
    if type_ == "person" and (
        any(c.isdigit() for c in name)
        or (known is not None and known != "person")
        or (names is not None and any((normalised(name), t) in names for t in ("organization", "place")))
    ):
        return "type_suspect"
    return None


def _foreign(char: str) -> bool:
    from onrecord.extract.name_evidence import script_of

    return script_of(char) not in ("", "LATIN")


def _head(words: list[str]) -> str:
    """The head noun of a description written as words: the last word before a preposition."""
    body = [w for w in words if w.casefold() not in _DETERMINERS]
    for i, word in enumerate(body):
        # a preposition, a clause or a participle ("a statement released by ...") follows the head
        if i and (word.casefold() in _PREPOSITIONS or word.endswith(("ed", "ing"))):
            body = body[:i]
            break
    return body[-1].removesuffix("'s").removesuffix("’s") if body else ""


def _countries(actors: list[ReportedActor]) -> dict[str, list[ReportedActor]]:
    """Every country (``gazetteer``) that more than one actor stands for, with those actors."""
    from onrecord.extract.gazetteer import country

    found: dict[str, list[ReportedActor]] = defaultdict(list)
    for actor in actors:
        if actor.type == "person" and "." not in actor.name and not actor.name.isupper():
            continue
        place = country(actor.name)
        if place is not None:
            found[place].append(actor)
    return {c: sorted(a, key=lambda x: -x.mentions) for c, a in sorted(found.items()) if len(a) > 1}


def _duplicates(actors: list[ReportedActor]) -> list[list[ReportedActor]]:
    """Groups of actors (not unnamed sources) that share a normalised name, largest first."""
    groups: dict[str, list[ReportedActor]] = defaultdict(list)
    for actor in actors:
        if actor.type != "group":
            groups[normalised(actor.name)].append(actor)
    found = [sorted(g, key=lambda a: -a.mentions) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (-sum(a.mentions for a in g), g[0].name))
