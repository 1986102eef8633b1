"""Speaker drafts: the actors of one article while they are built, and which of them a name means.

Data flows names in, drafts out: the speakers component builds a :class:`Draft` per actor the
article names, then matches every later name, surname, initial or acronym to one of them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from onrecord.extract.lexicons import folded_set, table
from onrecord.extract.quotes import TokenIndex
from onrecord.extract.speaker_names import acronym, fold, one_edit_apart
from onrecord.model import ActorType, Mention, Span

_QUOTE_CHARS = "\"'“”‘’«»„`"
SUFFIXES = ("jr", "sr", "ii", "iii", "iv")
OTHER_GENDER = {"male": "female", "female": "male"}


@dataclass
class Draft:
    """An actor while it is being built."""

    type: ActorType
    names: list[str]
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: str = "unknown"
    outside: set[str] = field(default_factory=set)  # name forms used outside quotations
    subjects: list[int] = field(default_factory=list)  # where a name of it is a clause's subject

    @property
    def canonical(self) -> str:
        # A name only ever used inside a quotation ("Crooked Hillary Clinton") is the speaker's
        # wording, not the article's; prefer the forms the article uses in its own voice.
        forms = [n for n in self.names if n in self.outside] or self.names
        return max(forms, key=lambda n: (len(n.split()), len(n)))

    @property
    def surname(self) -> str:
        words = [w for w in fold(self.canonical).split() if w.strip(".,") not in SUFFIXES]
        return words[-1] if words else fold(self.canonical)


@dataclass
class Context:
    """What resolution needs about one article."""

    text: str
    index: TokenIndex
    drafts: list[Draft]
    by_mention: list[tuple[Span, Draft]]
    quoted: list[Span]
    salience: dict[Span, float] = field(default_factory=dict)
    sentence_starts: list[int] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)  # the body's
    made: list[Any] = field(default_factory=list)  # documents and their makers (speaker_documents)

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.sentence_starts, char) - 1

    def in_quote(self, span: Span) -> bool:
        return any(q.contains(span) for q in self.quoted)


@cache
def given_names() -> dict[str, str]:
    """Given name -> gender ("male", "female", "unknown"): the hand-made list of names common in
    news over the 1990 US Census lists (public domain, everyday words and places left out)."""
    census = {row[0]: row[1] for row in table("given_names_census.tsv") if len(row) > 1}
    return census | {row[0]: row[1] for row in table("given_names.tsv") if len(row) > 1}


@cache
def gendered() -> dict[str, str]:
    return {row[0]: row[1] for row in table("gendered.tsv") if len(row) > 1}


@cache
def pronouns() -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table("pronouns.tsv")}


def honorific_gender(ent: Any, before: int = 2) -> str:
    """The gender an honorific or gendered title just before a name gives ("Mr. Obama", "spokeswoman
    Maria Zakharova"); "Mr." may also open the entity itself."""
    words = gendered()
    for token in ent.doc[max(ent.start - before, 0) : ent.start + 1]:
        if token.lower_ in words:
            return words[token.lower_]
    return "unknown"


def gender_of(ent: Any, name: str) -> str:
    """Gender from the article's own words: an honorific or a gendered role, else a given name."""
    told = honorific_gender(ent, before=3)  # a role word may stand further off ("spokeswoman for X")
    if told != "unknown":
        return told
    first = name.split()[0].casefold() if name.split() else ""
    return given_names().get(first, "unknown")


@cache
def metonyms() -> dict[str, str]:
    return {row[0].casefold(): row[1] for row in table("metonyms.tsv") if len(row) > 1}


@cache
def role_classes() -> dict[str, str]:
    return {row[0].casefold(): row[1] for row in table("roles.tsv")}


def clean_name(text: str) -> str:
    """Drop honorifics, titles, possessives and stray quotation marks from a name
    ("Sen. Ted Cruz's" -> "Ted Cruz", "Donald Trump ''" -> "Donald Trump")."""
    text = unmangle(text.strip().strip(_QUOTE_CHARS + " "))
    text = re.sub(r"['’]s$", "", text).strip(_QUOTE_CHARS + " ")
    words = [w for w in text.split() if w.strip(_QUOTE_CHARS)]
    honorifics = folded_set("honorifics.txt")
    while len(words) > 1 and words[0].casefold().rstrip(".") in {h.rstrip(".") for h in honorifics}:
        words = words[1:]
    if words and words[0].casefold() == "the":
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


def unmangle(name: str) -> str:
    """A name whose UTF-8 was read as Latin-1, once or twice ("FranÃ§ois"), spelt right: only the
    name is repaired, never the text, so every offset stays as it was. The text may spell "Ã" as
    "A" and a combining tilde, so the name is composed (NFC) first."""
    if not any(c in unicodedata.normalize("NFC", name) for c in "ÃÂ"):
        return name
    name = unicodedata.normalize("NFC", name)
    for _ in range(3):
        if "Ã" not in name and "Â" not in name:
            break
        try:
            name = name.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            try:
                name = name.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                break
    return name


def match_name(
    drafts: list[Draft], name: str, kind: ActorType, at: int | None = None, gender: str = "unknown"
) -> Draft | None:
    """The actor a name refers to; of several, the one in focus at `at` (see `_in_focus`)."""
    folded = fold(name)
    words = folded.split()
    found: list[Draft] = []
    for draft in drafts:
        if draft.type == "person" and kind != "person" and len(words) == 1 and words[0] == draft.surname:
            found.append(draft)  # "Trump" tagged ORG after "Donald Trump": the person
        elif draft.type != kind:
            continue
        elif folded in (fold(n) for n in draft.names):
            if gender in ("male", "female") and draft.gender not in (gender, "unknown"):
                continue  # "Mr. Obama" after "Obama" was taken for Michelle Obama
            return draft
        elif kind in _SHORT_FORMS and _SHORT_FORMS[kind](words, draft):
            found.append(draft)
    if gender in ("male", "female"):
        found = [d for d in found if d.gender in (gender, "unknown")]  # "Mr. Obama" is not Michelle Obama
    if kind != "person" and any(d.type == "person" for d in found):
        # A person's surname tagged ORG is that person, not an organisation it begins
        # ("Trump" after "the Trump Foundation").
        found = [d for d in found if d.type == "person"]
    if not found and kind == "person" and len(words) == 1 and len(words[0]) >= 5:
        # A surname spelt two ways in one article ("McClenney", then "McLenney").
        found = [
            d
            for d in drafts
            if d.type == "person" and len(d.canonical.split()) > 1 and one_edit_apart(words[0], d.surname)
        ]
        if len(found) > 1:
            return None
    if len(found) <= 1 or at is None:
        return found[0] if found else None
    return max(found, key=lambda d: _in_focus(d, at))


def _person_form(words: list[str], draft: Draft) -> bool:
    """Whether name words are a shorter form of a person's name: the surname, a known given name,
    initials ("D. Trump"), or the last words ("Suu Kyi")."""
    full = [w for w in fold(draft.canonical).split() if w.strip(".,") not in SUFFIXES]
    words = [w for w in words if w.strip(".,") not in SUFFIXES]
    if not full or not words:
        return False  # a "name" that is only "Jr." or "III"
    given = full[0] in given_names() and len(full) > 1
    single = len(words) == 1 and (words[0] == full[-1] or (given and words[0] == full[0]))
    initial = len(words) > 1 and words[-1] == full[-1] and words[0][:1] == full[0][:1]
    suffix = 1 < len(words) < len(full) and full[-len(words) :] == words  # "Suu Kyi"
    return single or initial or suffix


def _organisation_form(words: list[str], draft: Draft) -> bool:
    """Whether name words are a shorter form of an organisation's name: its last or first words
    ("Times" for "The New York Times", "Peabody" for "Peabody Energy") or its initials ("IMF")."""
    full = [w for w in fold(draft.canonical).split() if w != "the"]
    words = [w for w in words if w != "the"]
    if not words:
        return False
    if len(words) < len(full) and (full[-len(words) :] == words or full[: len(words)] == words):
        return True
    return len(words) == 1 and len(words[0]) > 1 and words[0].strip(".") == acronym(draft.canonical)


_SHORT_FORMS = {"person": _person_form, "organization": _organisation_form}


def _in_focus(draft: Draft, at: int) -> tuple[int, int]:
    """How much an actor is in focus at `at`, for telling apart two people a surname may mean.

    The one last named as a clause's subject wins ("Bill Clinton criticized …" beats a later "his
    wife Hillary Clinton" for "Clinton said"); when neither was a subject yet, the one the article
    introduced first, its topic.
    """
    subject = max((s for s in draft.subjects if s < at), default=-1)
    first = min((m.span.start for m in draft.mentions), default=at)
    return subject, -first


def left_edge(ent: Any) -> int:
    """Where a person's name starts: a capitalised given name the tagger left out of the entity
    ("Amelize Joseph" tagged as "Joseph") joins it; a title, an abbreviation ("Del.") or a word
    capitalised only because it opens a sentence ("Rival Hillary Clinton") does not."""
    if ent.start == 0:
        return int(ent.start_char)
    before = ent.doc[ent.start - 1]
    words = role_classes().keys() | folded_set("honorifics.txt") | gendered().keys()
    if (
        before.pos_ == "PROPN"
        and before.is_title
        and before.is_alpha
        and not before.ent_type_
        and before.dep_ == "compound"
        and before.head.i in range(ent.start, ent.end)
        and before.lower_ not in {w.rstrip(".") for w in words}
        and (len(ent) == 1 or before.lower_ in given_names())
    ):
        return int(before.idx)
    return int(ent.start_char)
