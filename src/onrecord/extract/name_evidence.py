"""Name evidence: a word or phrase of an article -> whether it names an actor, and what kind.

The tagger labels fragments of another script, numbers and common nouns as names ("चला रहे हैं",
"36", "a fire"), and products or diseases as persons ("Twitter", "COVID-19"). Here each candidate
is judged by the article's own evidence: its script, its capitalisation and part of speech, the
label the article gives the same words elsewhere; ``lexicon/known_entities.tsv`` is only a
fallback. Unnamed sources ("officials", "a spokesperson", "critics") are actors; "a fire" is not:
a description must be headed by a word for people, an organisation or a document.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from onrecord.extract.gazetteer import country
from onrecord.extract.lexicons import folded_set, table
from onrecord.extract.speaker_drafts import given_names, honorific_gender
from onrecord.model import ActorType

_NUMBER = re.compile(r"[\d.,:/%-]*\d[\d.,:/%-]*(?:st|nd|rd|th|s|am|pm|h)?", re.IGNORECASE)
# Words that, beside numbers and the time words of ``timex.tsv``, make a date or period, not a name.
_DATE_WORDS = frozenset(
    [
        "today",
        "tomorrow",
        "yesterday",
        "tonight",
        "coming",
        "next",
        "last",
        "past",
        "previous",
        "recent",
        "early",
        "late",
        "mid",
        "the",
        "a",
        "an",
        "this",
        "these",
        "those",
        "of",
        "in",
        "on",
        "at",
        "ago",
    ]
)
_TIME_KINDS = ("month", "month_abbr", "weekday", "unit", "partofday", "season", "timezone")
# Spelled-out numbers count only beside a time word ("two days"): alone they may be people ("one
# said", "hundreds marched"), which is what an unnamed source is.
_NUMBER_KINDS = ("number", "tens", "ordinal")
# Suffixes of words for people (agent nouns: "critic", "official", "resident", "researcher").
_AGENTIVE = (
    "er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "an", "ans", "ant", "ants", "ent", "ents",
    "ee", "ees", "ive", "ives", "ate", "ates", "crat", "crats", "ic", "ics", "al", "als", "eur", "eurs",
)  # fmt: skip
_QUANTIFIERS = frozenset(
    [
        "one",
        "some",
        "many",
        "several",
        "others",
        "other",
        "most",
        "all",
        "both",
        "few",
        "hundreds",
        "thousands",
        "millions",
    ]
)


def script_of(char: str) -> str:
    """The script a letter is written in ("LATIN", "DEVANAGARI", "ARABIC"); "" for other characters."""
    if not char.isalpha():
        return ""
    return _script(char)


@cache
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if "LATIN" in name:
        return "LATIN"
    return name.split()[0] if name else ""


def main_script(text: str) -> str:
    """The script most of a text's letters are written in ("LATIN" for an English article)."""
    counts = Counter(script_of(c) for c in text if c.isalpha())
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else "LATIN"


def foreign_script(name: str, script: str) -> bool:
    """Whether a name has letters of another script than the article's (Devanagari in English)."""
    return any(script_of(c) not in ("", script) for c in name)


@cache
def _time_words() -> frozenset[str]:
    words = {row[1] for row in table("timex.tsv") if len(row) > 1 and row[0] in _TIME_KINDS}
    return frozenset(words | {w + "s" for w in words})


@cache
def _number_words() -> frozenset[str]:
    words = {row[1] for row in table("timex.tsv") if len(row) > 1 and row[0] in _NUMBER_KINDS}
    return frozenset(words | {w + "s" for w in words})


@cache
def _timezones() -> frozenset[str]:
    return frozenset(row[1] for row in table("timex.tsv") if len(row) > 1 and row[0] == "timezone")


def only_numbers_or_dates(name: str, person: bool = False) -> bool:
    """Whether a "name" is only numbers, dates and time words ("36", "coming days", "14th", "UTC").

    A person may be named like a month ("May", "April"): for a person a month or weekday alone is
    a name, a number never is.
    """
    words = [w.strip("\"'“”‘’()[],;:") for w in name.casefold().split()]
    words = [w for w in words if w]
    if not words:
        return True
    if len(words) == 1 and words[0] in _timezones():
        return True
    numbers = [w for w in words if _NUMBER.fullmatch(w)]
    timed = [w for w in words if w in _time_words()]
    if person and not numbers:
        return False
    usual = _DATE_WORDS | _number_words()
    return bool(numbers or timed) and all(w in usual or w in numbers or w in timed for w in words)


def looks_like_a_name(tokens: list[Any]) -> bool:
    """Whether the article writes these words as a name: a capital letter not owed to the start of
    a sentence, or a proper noun the parse tagged as such at the start of one."""
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    for token in words:
        if not any(c.isupper() for c in token.text):
            continue
        if not token.is_sent_start or token.pos_ == "PROPN":
            return True
    return False


@cache
def known_kinds() -> dict[str, str]:
    """Fallback types of names the tagger often gets wrong (``known_entities.tsv``): name -> kind."""
    return {row[0].casefold(): row[1] for row in table("known_entities.tsv") if len(row) > 1}


@dataclass(frozen=True, slots=True)
class _Entities:
    """What the evidence checks read of a document's entities, gathered once per document (an
    article of 80,000 quotes has as many entities: scanning them all for each was quadratic)."""

    labels: dict[str, Counter[str]]  # folded entity text -> its labels
    person_surnames: frozenset[str]  # last words of the multi-word PERSON entities


_LAST: list[tuple[Any, _Entities]] = []


def _entities(doc: Any) -> _Entities:
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    labels: dict[str, Counter[str]] = {}
    surnames = set()
    for e in doc.ents:
        labels.setdefault(e.text.strip().casefold(), Counter())[e.label_] += 1
        words = e.text.split()
        if e.label_ == "PERSON" and len(words) > 1:
            surnames.add(words[-1].casefold().strip(".,"))
    found = _Entities(labels, frozenset(surnames))
    _LAST[:] = [(doc, found)]
    return found


def label_elsewhere(doc: Any, name: str, label: str) -> str | None:
    """The label the article gives the same words more often than ``label``, if any (a "Wikinews"
    tagged PERSON once and ORG three times is an organisation)."""
    counts = _entities(doc).labels.get(name.casefold(), Counter())
    if not counts:
        return None
    best, most = counts.most_common(1)[0]
    return best if best != label and most > counts.get(label, 0) else None


@cache
def _source_words() -> frozenset[str]:
    words = set(folded_set("source_nouns.txt")) | set(folded_set("org_nouns.txt"))
    words |= set(folded_set("documents.txt"))
    words |= {row[0].casefold() for row in table("nominal_cues.tsv")}
    words |= {row[0].casefold() for row in table("roles.tsv")}
    words |= {row[0].casefold() for row in table("gendered.tsv")}
    return frozenset(words)


def can_speak(head: Any) -> bool:
    """Whether a description's head word may stand for a source: a proper noun or a nationality
    ("Democrats", "Armenians"), a word for people, an organisation or a document (``source_nouns``,
    ``roles``, ``org_nouns``, ``documents``), an agent noun ("critics", "residents"), or a quantity
    of them ("some", "hundreds"). "a fire", "a vaccine", "medical tourism" are none of these."""
    if head.pos_ in ("PROPN", "PRON") or head.ent_type_ in ("NORP", "ORG", "PERSON", "GPE"):
        return True
    if head.text[:1].isupper() and not head.is_sent_start:
        return True
    return any(source_word(w) for w in (head.lower_, head.lemma_.casefold()))


def source_word(word: str) -> bool:
    """Whether a (lower-case) noun may name a source: a word for people, an organisation or a
    document, an agent noun, a quantity of people, or a compound ending in one ("eyewitnesses")."""
    forms = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ies") + "y"}
    if forms & _source_words() or word in _QUANTIFIERS:
        return True
    if word.endswith(_AGENTIVE) and len(word) > 4:
        return True
    return any(f.endswith(s) for f in forms for s in _source_words() if len(s) > 4)


# Entity labels as actor kinds; a label not here (PRODUCT, EVENT, LAW) names no actor.
LABEL_KINDS: dict[str, ActorType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_KINDS: dict[str, ActorType] = {k: k for k in ("person", "organization", "place", "group")}
_ABBREVIATION = re.compile(r"[A-Z]{2,4}")


def vet_entity(ent: Any, name: str, kind: ActorType, script: str) -> tuple[str, ActorType] | None:
    """The (name, kind) of the actor a tagged entity names, or None when it names none.

    Args:
        ent: The spaCy entity.
        name: Its name as cleaned (``clean_name``: honorifics and possessives dropped).
        kind: The kind its label says.
        script: The article's script (``main_script``).

    Not an actor: a name in another script, only numbers or dates, or words the article does not
    write as a name. A country under any of its names is the place of its canonical name. A
    "person" with no given name, honorific or full name in the article takes the label the
    article gives the same words elsewhere, else the fallback lexicon's ("Twitter": organisation).
    """
    if foreign_script(name, script) or only_numbers_or_dates(name, person=kind == "person"):
        return None
    if not looks_like_a_name(list(ent)):
        return None
    if kind != "person" or "." in name or name.isupper() or len(name.split()) > 1:
        place = country(name)
        if place is not None:
            return place, "place"
    if kind == "person" and _person_evidence(ent, name):
        return name, kind
    if kind == "organization" and _titled_person(ent, name):
        return name, "person"  # "video game developer Perttu Ahola" tagged ORG
    known = known_kinds().get(name.casefold())
    if known is not None:
        as_kind = _KINDS.get(known)
        return (name, as_kind) if as_kind is not None else None  # "none": a disease, a product
    if kind == "person":
        other = label_elsewhere(ent.doc, ent.text.strip(), ent.label_)
        if other is not None and other != "PERSON":
            return (name, LABEL_KINDS[other]) if other in LABEL_KINDS else None
        if any(c.isdigit() for c in name):
            return None  # "B-52", "COVID-19": no person's name holds a digit
    return name, kind


def _person_evidence(ent: Any, name: str) -> bool:
    """Signs a name is a person's: a known given name, an honorific or gendered title before it,
    or a full name in the article that ends with it ("Smith" after "John Smith")."""
    words = name.split()
    if not words or any(c.isdigit() for c in name):
        return False
    if words[0].casefold() in given_names() or honorific_gender(ent) != "unknown":
        return True
    if len(words) > 1:
        return True
    return words[-1].casefold() in _entities(ent.doc).person_surnames


def _titled_person(ent: Any, name: str) -> bool:
    """An "organisation" of two or three capitalised proper nouns right after a role or an honorific
    ("developer Perttu Ahola"), none of them a word for an organisation, is a person."""
    words = name.split()
    if not 1 < len(words) < 4 or ent.start == 0 or not all(t.pos_ == "PROPN" for t in ent):
        return False
    if any(w.casefold() in folded_set("org_nouns.txt") or not w[:1].isupper() for w in words):
        return False
    before = ent.doc[ent.start - 1].lower_
    return (
        before in {row[0].casefold() for row in table("roles.tsv")} or honorific_gender(ent, 1) != "unknown"
    )


def without_rank(text: str) -> int:
    """Where a person's name starts in an entity the tagger let begin with a rank, a position or a
    title ("Browns DL Sheldon Richardson", "FBI Director Christopher Wray"): after the last such word
    followed by two words or more; 0 when there is none."""
    words = list(re.finditer(r"\S+", text))
    roles = {row[0].casefold() for row in table("roles.tsv")}
    cut = 0
    for i, word in enumerate(words[:-2]):
        token = word.group()
        if (_ABBREVIATION.fullmatch(token) and token.casefold() not in given_names()) or (
            token.casefold() in roles and i + 1 < len(words) - 1
        ):
            cut = words[i + 1].start()
    return cut


def title_words(words: list[str]) -> bool:
    """Whether words before a full name are a title or a position ("Historian", "Browns DL"), not
    more of the name ("Vladimir" of "Vladimir Vladimirovich Putin"): each a role, an abbreviation
    or a word for people, and none a known given name."""
    roles = {row[0].casefold() for row in table("roles.tsv")}
    return bool(words) and all(
        w.casefold() not in given_names()
        and (_ABBREVIATION.fullmatch(w) is not None or w.casefold() in roles or source_word(w.casefold()))
        for w in words
    )
