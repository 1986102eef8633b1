"""The surface patterns' reading of an article: its words, sentences, quotations and names.

The base of ``packs.surface``: what a pack with no parser gives (``SurfaceWords``), and the names an
article's tagged tokens hold, typed as people, organisations and places, with the roles given to
people ("Arbeitsministerin Hofmann", "Kevin Holland-Moritz, Chef des Betriebs").
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from onrecord.extract.packs.common import Places, _Actor
from onrecord.extract.quotemarks import find_quotations
from onrecord.model import ActorType, Article, Gender, Mention, Span

_MARKS = frozenset("„“”‚‘’»«\"'")
_NOUNISH = ("NOUN", "PROPN")


@dataclass(frozen=True, slots=True)
class SurfaceWords:
    """A language's words for surface attribution."""

    cues: dict[str, str]  # verb lemma -> attitude
    prepositions: dict[str, str]  # "laut" -> "before" (speaker after it), "zufolge" -> "after", "so" -> "so"
    pronouns: dict[str, tuple[str, str]]
    determiners: frozenset[str]
    honorifics: frozenset[str]
    given_names: dict[str, str]  # lower-cased given name -> gender
    org_words: tuple[str, ...]
    reported_forms: frozenset[str]  # finite verb forms of reported speech ("sei", "habe", "werde")
    fillers: frozenset[str]  # words between a cue verb and its subject ("auch", "dazu", "am")
    grammar: dict[str, tuple[str, ...]] = field(default_factory=dict)  # grammar.tsv: key -> words
    # Read once from the lists above (the patterns ask them of every token):
    companions: dict[str, tuple[str, ...]] = field(init=False)  # "lassen" -> ("wissen",): "wissen lassen"
    mood_endings: tuple[str, ...] = field(init=False)  # reported_forms' "-e"
    indicative_endings: tuple[str, ...] = field(init=False)  # reported_forms' "!-te"

    def __post_init__(self) -> None:
        found: dict[str, list[str]] = {}
        for cue in self.cues:  # cues of two words: the verb's lemma -> the words that must follow it
            if " " in cue:
                first, verb = cue.rsplit(" ", 1)
                found.setdefault(verb, []).append(first)
        object.__setattr__(self, "companions", {verb: tuple(words) for verb, words in found.items()})
        forms = self.reported_forms
        object.__setattr__(self, "mood_endings", tuple(f[1:] for f in forms if f.startswith("-")))
        object.__setattr__(self, "indicative_endings", tuple(f[2:] for f in forms if f.startswith("!-")))

    def g(self, key: str) -> tuple[str, ...]:
        """The words of one grammar.tsv key (none when the pack does not give it)."""
        return self.grammar.get(key, ())


@dataclass(slots=True)
class _Phrase:
    """A noun phrase: its tokens' index range, its kind and the actor it names."""

    start: int
    end: int  # exclusive token index
    mention: Mention | None
    actor: _Actor | None


class _Names(Places):
    """An article's tokens, sentences, quotations and named actors."""

    def __init__(self, article: Article, words: SurfaceWords) -> None:
        self.article = article
        self.words = words
        self.doc: Any = article.doc
        self.text: str = self.doc.text
        self.starts = [t.idx for t in self.doc]
        body = [p.span for p in article.paragraphs if p.role != "boilerplate"] or [Span(0, len(self.text))]
        self.paragraphs = sorted(body, key=lambda s: s.start)
        self.paragraph_starts = [p.start for p in self.paragraphs]
        self.quoted = find_quotations(self.text, self.paragraphs)
        self.quote_starts = [q.start for q in self.quoted]
        self.sent_of: list[int] = []
        self.sents: list[tuple[int, int]] = []
        for n, sent in enumerate(self.doc.sents):
            self.sents.append((sent.start, sent.end))
            self.sent_of.extend([n] * (sent.end - sent.start))
        self.actors: dict[str, _Actor] = {}
        self.name_at: dict[int, tuple[int, _Actor]] = {}  # token index -> (end token, actor named)
        self.people: list[tuple[int, _Actor]] = []  # (char offset, person) outside quotations
        self.named_people: list[tuple[int, _Actor]] = []  # every person's name, in text order
        self.roles: list[tuple[int, str, _Actor]] = []  # (char offset, role noun, person)
        self._names()

    # -- names ------------------------------------------------------------------------------------

    def _is_name_token(self, i: int) -> bool:
        t = self.doc[i]
        if not t.text[:1].isupper() or t.is_punct:
            return False
        return t.tag_ == "NE" or (
            t.lower_ in self.words.given_names
            and i + 1 < len(self.doc)
            and self.doc[i + 1].text[:1].isupper()
            and self.doc[i + 1].pos_ in _NOUNISH
        )

    def _names(self) -> None:
        runs: list[tuple[int, int]] = []
        given = self.words.given_names
        i = 0
        while i < len(self.doc):
            if self._is_name_token(i):
                j = i + 1
                connectors = self.words.g("name_connectors")
                while j < len(self.doc) and j - i < 6:
                    if self._is_name_token(j):
                        j += 1
                    elif (
                        self.doc[j].lower_ in connectors
                        and j + 1 < len(self.doc)
                        and self._is_name_token(j + 1)
                    ):
                        j += 2  # "Ayuntamiento de Madrid", "Ursula von der Leyen"
                    else:
                        break
                if j < len(self.doc) and self.doc[j - 1].lower_ in given and _capitalised(self.doc[j]):
                    j += 1  # a given name's surname, whatever its tag ("Ricarda Lang", "Karsten Haustein")
                first = next((k for k in range(i, j - 1) if self.doc[k].lower_ in given), i)
                runs.append((first, j))  # "Copernicus Samantha Burgess": the person starts at her given name
                i = j
            else:
                i += 1
        surnames = {self.doc[j - 1].text for i, j in runs if j - i > 1}
        taken = {k for i, j in runs for k in range(i, j)}
        runs.extend(  # a surname alone, tagged as a noun ("erklärt Fink")
            (k, k + 1) for k, t in enumerate(self.doc) if k not in taken and t.text in surnames and k > 0
        )
        runs.sort()
        full: dict[str, str] = {}
        typed: list[tuple[int, int, str, ActorType]] = []
        for i, j in runs:
            name = " ".join(t.text for t in self.doc[i:j])
            while " " in name and name.split()[0].casefold() in self.words.honorifics:
                name = name.split(" ", 1)[1]
            kind = self._name_type(i, j)
            typed.append((i, j, name, kind))
            if kind == "person" and j - i > 1:
                full.setdefault(self.doc[j - 1].text.casefold(), name)
        for i, j, name, kind in typed:
            if j - i == 1 and name.casefold() in full:
                name, kind = full[name.casefold()], "person"
            actor = self._actor(name, kind)
            if actor.gender == "unknown" and kind == "person":
                actor.gender = self._gender_of(i, j)
            span = Span(self.doc[i].idx, self.doc[j - 1].idx + len(self.doc[j - 1].text))
            actor.mentions.append(Mention(span, "name", actor.id))
            self.name_at[i] = (j, actor)
            # a person a pronoun may stand for: known by a given name, a role or a gender
            evident = self._role_before(i) or actor.gender != "unknown"
            if kind == "person" and evident and not self._inside_quote(span.start):
                self.people.append((span.start, actor))
                role = self._role_before(i) or self._role_after(j)
                if role:
                    self.roles.append((span.start, role, actor))
        self.people.sort(key=lambda p: p[0])
        self.named_people = sorted(
            (m.span.start, a) for a in self.actors.values() if a.type == "person" for m in a.mentions
        )

    def _name_type(self, i: int, j: int) -> ActorType:
        first = self.doc[i]
        if any(self._org_like(t.text) for t in self.doc[i:j]) or (j - i == 1 and _acronym(first.text)):
            return "organization"
        if first.lower_ in self.words.given_names or self._role_before(i):
            return "person"
        return "person" if j - i > 1 else "place" if self._after_place_word(i) else "person"

    def _after_place_word(self, i: int) -> bool:
        return i > 0 and self.doc[i - 1].lower_ in self.words.g("place_prepositions")

    def _org_like(self, word: str) -> bool:
        low = word.casefold()
        return any(low.endswith((w, f"{w}s", f"{w}es")) for w in self.words.org_words)

    def _role_before(self, i: int) -> str | None:
        """The role noun just before a name ("Arbeitsministerin Hofmann", "FDP-Generalsekretär X")."""
        if i == 0:
            return None
        t = self.doc[i - 1]
        if (
            t.pos_ == "NOUN"
            and t.text[:1].isupper()
            and not self._org_like(t.text)
            and self._personal(t.lower_)
        ):
            return str(t.lower_)
        return None

    def _role_after(self, j: int) -> str | None:
        """The role in apposition after a name ("Kevin Holland-Moritz, Chef des Betriebs")."""
        if j + 1 < len(self.doc) and self.doc[j].text == ",":
            t = self.doc[j + 1]
            if t.pos_ == "NOUN" and self._personal(t.lower_) and not self._org_like(t.text):
                return str(t.lower_)
        return None

    def _personal(self, word: str) -> bool:
        """A noun that may name a person's role ("ministerin", "sprecher", "chef", "48-jährige")."""
        return bool(self.words.g("person_endings")) and word.endswith(self.words.g("person_endings"))

    def _gender_of(self, i: int, j: int) -> Gender:
        gender = self.words.given_names.get(self.doc[i].lower_)
        if gender in ("male", "female"):
            return gender  # type: ignore[return-value]
        role = self._role_before(i) or self._role_after(j)
        if role:
            return "female" if role.endswith("in") else "male"
        return "unknown"

    def _actor(self, name: str, kind: ActorType) -> _Actor:
        key = f"{kind}:{name.casefold()}"
        if key not in self.actors and kind == "organization":  # "Landwirtschaftsministerium" after
            low = name.casefold()
            longer = [
                a
                for k, a in self.actors.items()
                if k.startswith(kind) and (k.endswith(f" {low}") or k.startswith(f"{kind}:{low} "))
            ]
            if longer:  # "das Thüringer Landwirtschaftsministerium"
                return longer[0]
        if key not in self.actors:
            self.actors[key] = _Actor(name, kind)
        return self.actors[key]

    # -- positions --------------------------------------------------------------------------------

    def _token_at(self, char: int) -> int:
        i = bisect.bisect_left(self.starts, char)
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return i

    def _sent(self, char: int) -> int:
        i = min(bisect.bisect_right(self.starts, char) - 1, len(self.doc) - 1)
        return self.sent_of[max(i, 0)] if self.sent_of else 0


def _capitalised(token: Any) -> bool:
    return token.text[:1].isupper() and not token.is_punct and token.pos_ not in ("DET", "PRON", "ADP")


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and word[:1].isupper()
