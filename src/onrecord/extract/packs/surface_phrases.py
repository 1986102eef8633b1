"""The surface patterns' cues and noun phrases: which word is a cue verb, and whom a phrase names.

A cue is a verb of the pack's list (by lemma, with a separable particle, or with the word that
completes it: "ließ … wissen"), or a preposition ("laut X"). A phrase is a pronoun (the last person
of its gender), a name, or a description: a role given to a person before ("die Ministerin"), a
person named in apposition, an organisation ("das Landwirtschaftsministerium"), else an unnamed
source of its own.
"""

from __future__ import annotations

from onrecord.extract.packs.common import _Actor
from onrecord.extract.packs.surface_names import _MARKS, _NOUNISH, _Names, _Phrase
from onrecord.model import Cue, Gender, Mention, Span


class _Phrases(_Names):
    # -- cues -------------------------------------------------------------------------------------

    def _is_cue_verb(self, i: int) -> bool:
        t = self.doc[i]
        if t.pos_ not in ("VERB", "AUX") or self._inside_quote(t.idx):
            return False
        lemma = t.lemma_.casefold()
        if lemma in self.words.cues:
            return True
        particle = self._particle(i)
        if particle is not None and f"{particle}{lemma}" in self.words.cues:
            return True
        return any(self._later(i, first) for first in self.words.companions.get(lemma, ()))

    def _later(self, i: int, word: str) -> bool:
        """Whether ``word`` comes later in the verb's clause ("ließ sie … wissen")."""
        end = self.sents[self.sent_of[i]][1]
        for k in range(i + 1, end):
            t = self.doc[k]
            if t.text in (",", ":") or self._inside_quote(t.idx):
                return False
            if t.lower_ == word:
                return True
        return False

    def _particle(self, i: int) -> str | None:
        """A separable verb's particle later in its clause ("teilte … mit")."""
        end = self.sents[self.sent_of[i]][1]
        for k in range(i + 1, end):
            t = self.doc[k]
            if t.text in (",", ":") or self._inside_quote(t.idx):
                return None
            if t.tag_ == "PTKVZ":
                return str(t.lower_)
        return None

    def _multiword_cue(self, i: int) -> int:
        """ "nach Angaben", "nach Informationen": a cue of two words, its length (0 when none)."""
        if i + 1 < len(self.doc):
            two = f"{self.doc[i].lower_} {self.doc[i + 1].lower_}"
            if self.words.prepositions.get(two) == "before":
                k = i + 2
                if k < len(self.doc) and self.doc[k].lower_ in self.words.g("source_prepositions"):
                    return 3
                return 2
        return 0

    def _cue(self, i: int) -> Cue:
        t = self.doc[i]
        multi = self._multiword_cue(i)
        if multi:
            last = self.doc[i + 1]
            return Cue(Span(t.idx, last.idx + len(last.text)), f"{t.lower_} {last.lower_}", "neutral")
        lemma = t.lemma_.casefold() if t.pos_ in ("VERB", "AUX") else t.lower_
        particle = self._particle(i) if t.pos_ in ("VERB", "AUX") else None
        if particle and f"{particle}{lemma}" in self.words.cues:
            lemma = f"{particle}{lemma}"
        attitude = self.words.cues.get(lemma, "neutral")
        return Cue(Span(t.idx, t.idx + len(t.text)), lemma, attitude)

    # -- phrases ----------------------------------------------------------------------------------

    def _subject(self, verb: int, start: int) -> _Phrase | None:
        """The speaker of a cue verb: the words before it when they are one noun phrase ("Der
        Kanzler sagte"), else the first noun phrase after it ("Dazu sagte der Kanzler")."""
        first = start
        while first < verb and (self.doc[first].is_space or self.doc[first].text in _MARKS):
            first += 1
        if self.doc[first].lower_ in self.words.g("clause_openers"):
            first += 1
        before = self._phrase_after(first, skip=False)
        if before is not None and self._ends_at(before.end, verb):
            return before
        finite = next(
            (
                k
                for k in range(first, verb + 1)
                if self.doc[k].tag_.endswith("FIN") and not self._inside_quote(self.doc[k].idx)
            ),
            None,
        )
        if finite is None:
            return self._phrase_after(verb + 1)
        if before is not None and not any(
            self.doc[k].text in (",", ":", "–", "-") or self._inside_quote(self.doc[k].idx)
            for k in range(before.end, finite)
        ):  # the first constituent, before the finite verb: "Der Forscher X vom KIT erwartet, dass"
            return before
        if finite < verb and not any(self.doc[k].text == "," for k in range(first, finite)):
            after_aux = self._phrase_after(finite + 1)  # "hatte er … betont", "hatten Forschende vermutet"
            if after_aux is not None and after_aux.mention is not None:
                return after_aux
        after = self._phrase_after(verb + 1)
        if after is None and self.words.g("pro_drop"):  # "explica que …": the subject is in the verb
            return _Phrase(verb, verb, None, None)  # whom it stands for is settled by ``_carried``
        return after

    def _ends_at(self, end: int, verb: int) -> bool:
        """Whether only an apposition or a party in brackets lies between a phrase and the verb."""
        if end == verb:
            return True
        between = self.text[self.doc[end].idx : self.doc[verb].idx].strip()
        if between == ",":  # the comma closing an apposition: "Der Vorsitzende, Markus Brandt, sagte"
            return True
        return (between.startswith("(") and between.endswith(")")) or (
            between.startswith(",") and between.endswith(",") and between.count(",") == 2
        )

    def _phrase_before(self, i: int, start: int) -> _Phrase | None:
        """The noun phrase ending just before ``i`` ("der Polizei zufolge")."""
        for k in range(max(start, i - 6), i):
            phrase = self._phrase_after(k, skip=False)
            if phrase is not None and phrase.end == i:
                return phrase
        return None

    def _phrase_after(self, i: int, *, skip: bool = True) -> _Phrase | None:
        """The noun phrase starting at ``i`` (after fillers such as "auch", "dazu", "am Montag"
        when ``skip``): a pronoun, a name, or a description, with the actor it names."""
        n = len(self.doc)
        if skip:
            while i < n and (
                self.doc[i].lower_ in self.words.fillers
                or self.doc[i].is_space
                or (self.doc[i].pos_ == "ADV" and self.doc[i].tag_ != "PAV")
            ):
                if self.doc[i].lower_ in self.words.g("filler_phrases") and i + 1 < n:
                    i += 1  # "am Montag", "gegenüber der Zeitung": skip the noun after it too
                    while i < n and self.doc[i].pos_ in ("DET", "ADJ"):
                        i += 1
                i += 1
        if i >= n or self._inside_quote(self.doc[i].idx):
            return None
        t = self.doc[i]
        if t.lower_ in self.words.pronouns and t.pos_ == "PRON":
            return self._pronoun(i)
        if i in self.name_at:
            j, actor = self.name_at[i]
            if (
                t.text.endswith("s")
                and j < n
                and self.doc[j].pos_ == "NOUN"
                and self.doc[j].text[:1].isupper()
            ):
                return self._description(j)  # "Hessens Arbeitsministerin Heike Hofmann"
            span = Span(t.idx, self.doc[j - 1].idx + len(self.doc[j - 1].text))
            return _Phrase(i, j, Mention(span, "name", actor.id), actor)
        if t.pos_ == "DET" and i + 1 in self.name_at:  # "la Policía Local": a name after its article
            j, actor = self.name_at[i + 1]
            name = self.doc[i + 1]
            span = Span(name.idx, self.doc[j - 1].idx + len(self.doc[j - 1].text))
            return _Phrase(i, j, Mention(span, "name", actor.id), actor)
        if t.pos_ in ("DET", "ADJ", "NUM", "NOUN") and t.text not in _MARKS:
            return self._description(i)
        return None

    def _pronoun(self, i: int) -> _Phrase:
        t = self.doc[i]
        gender, _ = self.words.pronouns[t.lower_]
        span = Span(t.idx, t.idx + len(t.text))
        verb = self.doc[i - 1] if i > 0 else None
        if (
            t.lower_ in self.words.g("plural_pronouns")
            and verb is not None
            and verb.pos_ in ("VERB", "AUX")
            and verb.text.endswith(self.words.g("plural_verb_endings"))
        ):
            return _Phrase(i, i + 1, Mention(span, "pronoun"), None)  # "sagten sie": a plural
        person = self._last_person(t.idx, gender)
        if person is None:
            return _Phrase(i, i + 1, Mention(span, "pronoun"), None)
        mention = Mention(span, "pronoun", person.id)
        person.mentions.append(mention)
        return _Phrase(i, i + 1, mention, person)

    def _description(self, i: int) -> _Phrase | None:
        n = len(self.doc)
        j = i
        while j < n and self.doc[j].pos_ in ("DET", "ADJ", "NUM") and not self.doc[j].is_punct:
            j += 1
        nominalised = j > i and (j >= n or self.doc[j].pos_ != "NOUN") and self.doc[j - 1].pos_ == "ADJ"
        if nominalised and self.doc[j - 1].text.lstrip("0123456789.-")[:1].isupper() and j - 1 > i:
            j -= 1  # a nominalised adjective: "der 48-Jährige", "die Vorsitzende"
        if j >= n or self.doc[j].pos_ not in ("NOUN", "ADJ"):
            return None
        if self.words.g("capitalised_nouns") and not self.doc[j].text[:1].isupper():
            return None  # German writes every noun capitalised: a lower-case word is none
        if j == i and self._bare_name(j):  # "„…“, erklärt Fink.": a surname the tagger took for a noun
            t = self.doc[j]
            actor = self._actor(t.text, "person")
            mention = Mention(Span(t.idx, t.idx + len(t.text)), "name", actor.id)
            actor.mentions.append(mention)
            return _Phrase(j, j + 1, mention, actor)
        head = j
        j += 1
        if j < n and j in self.name_at:  # "der Sprecher Max Müller", "Ministerin Hofmann"
            end, actor = self.name_at[j]
            return self._described(i, end, actor)
        while j + 1 < n and self.doc[j].pos_ == "DET" and self.doc[j].lower_ in self.words.g("genitive"):
            k = j + 1  # the genitive: "der Sprecher der Polizei"
            while k < n and self.doc[k].pos_ == "ADJ":
                k += 1
            if k < n and self.doc[k].pos_ in _NOUNISH:
                j = self.name_at[k][0] if k in self.name_at else k + 1
                while j in self.name_at:
                    j = self.name_at[j][0]
            else:
                break
        if (
            self._org_like(self.doc[head].text)
            and j + 1 < n
            and self.doc[j].lower_ in self.words.g("org_prepositions")
            and self.doc[j + 1].pos_ in _NOUNISH
            and self.doc[j + 1].text[:1].isupper()
        ):
            j += 2  # "die Bundesagentur für Arbeit"
        if j + 1 < n and self.doc[j].text == "," and j + 1 in self.name_at:  # "der Chef, Max Müller,"
            end, actor = self.name_at[j + 1]
            return self._described(i, end, actor)
        word = self.doc[head].lower_
        det = self.doc[i].lower_
        if word.endswith(self.words.g("age_nouns")):  # "die 35-Jährige": the determiner alone says
            gender = self._gender_by(det, word + (self.words.g("female_endings") or ("",))[0])
            person = self._last_person(self.doc[i].idx, gender)
            if person is not None:
                return self._described(i, head + 1, person)
        named = [a for at, role, a in self.roles if at < self.doc[i].idx and role.endswith(word)]
        if named and self._personal(word):
            return self._described(i, head + 1, named[-1])
        gender = self._gender_by(det, word)
        if self._personal(word) and j == head + 1 and gender != "unknown":
            person = self._last_person(self.doc[i].idx, gender)
            if person is not None:  # "der Wissenschaftler", "die Forscherin": the person last named
                return self._described(i, head + 1, person)
        span = Span(self.doc[i].idx, self.doc[j - 1].idx + len(self.doc[j - 1].text))
        words = span.text(self.text).split()
        while words and words[0].casefold() in self.words.determiners:
            words = words[1:]
        name = " ".join(words)
        if self._org_like(self.doc[head].text):
            while len(words) > 1 and words[0][:1].islower():
                words = words[1:]  # "das zuständige Thüringer Gesundheitsministerium"
            name = " ".join(words)
            if det in self.words.g("genitive_s") and words and len(words[-1]) > 5:  # "des Landesamtes"
                words[-1] = (
                    words[-1].removesuffix("es") if words[-1].endswith("es") else words[-1].removesuffix("s")
                )
                name = " ".join(words)
            actor = self._actor(name, "organization")
        else:
            actor = self._actor(name.casefold(), "group")
        mention = Mention(span, "description", actor.id)
        actor.mentions.append(mention)
        return _Phrase(i, j, mention, actor)

    def _bare_name(self, j: int) -> bool:
        """A capitalised noun with no article that ends its clause and does not look plural."""
        t = self.doc[j]
        after = self.doc[j + 1] if j + 1 < len(self.doc) else None
        return (
            t.pos_ == "NOUN"
            and not self._org_like(t.text)
            and not t.lower_.endswith(self.words.g("plural_endings"))
            and (after is None or after.is_punct or after.is_space)
        )

    def _gender_by(self, det: str, noun: str) -> Gender:
        """A person's gender from the determiner (and, for an ambiguous one, the noun's ending)."""
        if det in self.words.g("male_determiners"):
            return "male"
        if det in self.words.g("female_determiners") and noun.endswith(self.words.g("female_endings")):
            return "female"
        return "unknown"

    def _described(self, i: int, end: int, actor: _Actor) -> _Phrase:
        last = self.doc[end - 1]
        span = Span(self.doc[i].idx, last.idx + len(last.text))
        mention = Mention(span, "description", actor.id)
        actor.mentions.append(mention)
        return _Phrase(i, end, mention, actor)

    def _last_person(self, before: int, gender: str) -> _Actor | None:
        """The last person named before ``before`` of ``gender``, else of unknown gender."""
        exact = unknown = None
        for at, person in self.people:
            if at >= before:
                break
            if gender == "unknown" or person.gender == gender:
                exact = person
            elif person.gender == "unknown":
                unknown = person
        return exact or unknown
