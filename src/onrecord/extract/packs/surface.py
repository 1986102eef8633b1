"""Attribution by surface patterns over tagged tokens: the speaker finder of a pack with no parser.

Where no dependency parser can be installed (German), statements and speakers are read from the
order of words, parts of speech and lemmas, as Europe Media Monitor reads its seventy languages:

* **direct quotations** (``quotemarks``: „…“, »…«, "…") with the cue after them ("„…“, sagte
  Scholz", "„…“, so die Ministerin") or before them ("Scholz sagte: „…“"); a quotation inside a
  sentence whose cue comes before it without a colon is partial ("Er nannte das „Unsinn“");
* **indirect statements**: the clause after a cue verb and its comma ("Scholz sagte, die Regierung
  werde …"), the clause before ", sagte X" or ", so X", the sentence a preposition attributes
  ("Laut Polizei …", "… der Polizei zufolge", "Nach Angaben des Amtes …"), and a sentence in the
  reported-speech mood (German Konjunktiv I: "Das sei nicht seine Absicht gewesen") after a
  statement, which continues its speaker;
* **speakers**: the words before the cue verb when they are all the subject ("Der Kanzler sagte"),
  else the first noun phrase after it ("Dazu sagte der Kanzler"); a name is a person when a given
  name or a role noun comes with it ("Arbeitsministerin Hofmann"), an organisation when it is an
  acronym or its noun is an organisation's ("Landwirtschaftsministerium"); a surname alone joins the
  full name it ends; a pronoun is the last person of its gender; a role ("die Ministerin", "der
  48-Jährige") the person it was given to; any other description an unnamed source of its own.

The pack's words are data (``cues.tsv`` with a third column for prepositions, ``given_names.tsv``,
``org_words.txt``, ``reported_forms.txt``); ``onrecord eval multilingual`` measures the result.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any

from onrecord.extract.packs.attribution import MIN_CUELESS_WORDS, _Actor, carry_speakers
from onrecord.extract.quotemarks import find_quotations
from onrecord.model import Actor, ActorType, Article, Cue, Gender, Mention, Quote, Span

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

    def g(self, key: str) -> tuple[str, ...]:
        """The words of one grammar.tsv key (none when the pack does not give it)."""
        return self.grammar.get(key, ())

    @property
    def companions(self) -> dict[str, tuple[str, ...]]:
        """Cues of two words ("wissen lassen"): the verb's lemma -> the words that must follow it."""
        found: dict[str, list[str]] = {}
        for cue in self.cues:
            if " " in cue:
                first, verb = cue.rsplit(" ", 1)
                found.setdefault(verb, []).append(first)
        return {verb: tuple(words) for verb, words in found.items()}


@dataclass(slots=True)
class _Phrase:
    """A noun phrase: its tokens' index range, its kind and the actor it names."""

    start: int
    end: int  # exclusive token index
    mention: Mention | None
    actor: _Actor | None


class SurfaceAttributor:
    """Component: quotations, indirect statements and their speakers from tagged tokens."""

    requires = ("doc", "paragraphs")
    provides = ("quotes", "actors")

    def __init__(self, words: SurfaceWords) -> None:
        self.words = words

    def __call__(self, article: Article) -> Article:
        return _Reading(article, self.words).run()


class _Reading:
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

    # -- statements -------------------------------------------------------------------------------

    def run(self) -> Article:
        quotes: list[Quote] = []
        last: tuple[int, Quote] | None = None
        cue_sents: set[int] = set()
        for span in self.quoted:
            quote = self._direct(span)
            para = self._paragraph(span.start)
            if quote.actor_id is None and quote.cue is None:
                opens = para >= 0 and not self.text[self.paragraphs[para].start : span.start].strip()
                follows = last is not None and (last[0] == para or (last[0] == para - 1 and opens))
                if last is not None and follows:
                    prev = last[1]
                    quote = replace(
                        quote,
                        speaker=prev.speaker,
                        actor_id=prev.actor_id,
                        evidence=("continues the previous speaker",),
                    )
                elif (before := self._previous_speaker(span)) is not None:
                    quote = replace(
                        quote,
                        speaker=before.mention,
                        actor_id=before.actor.id if before.actor else None,
                        evidence=("the speaker of the sentence before",),
                    )
                elif len(span.text(self.text).split()) < MIN_CUELESS_WORDS:
                    continue  # a name, a title or a scare-quoted word
            if quote.cue is not None:
                cue_sents.add(self._sent(quote.cue.span.start))
            if quote.actor_id is not None:
                last = (para, quote)
            quotes.append(quote)
        indirect = self._indirect(quotes)
        quotes = [self._inside_reported(q, indirect) for q in quotes] + indirect
        quotes.sort(key=lambda q: (q.span.start, q.span.end))
        quotes = self._carried(quotes)
        speaking = {q.actor_id for q in quotes}
        actors = tuple(
            Actor(a.id, a.name, a.type, tuple(sorted(a.mentions, key=lambda m: m.span.start)), (), a.gender)
            for a in self.actors.values()
            if a.id in speaking or any(m.kind == "name" for m in a.mentions)
        )
        return self.article.evolve(quotes=tuple(quotes), actors=actors)

    def _direct(self, span: Span) -> Quote:
        after = self._cue_after(span)
        if after is not None:
            cue, phrase = after
            return self._quote("direct", span, cue, phrase, "after")
        before = self._cue_before(span)
        if before is not None:
            cue, phrase, colon = before
            return self._quote("direct" if colon else "partial", span, cue, phrase, "before")
        subject = self._sentence_subject(span)
        if subject is not None and subject.actor is not None and subject.actor.type == "person":
            return Quote(
                "partial",
                span,
                subject.mention,
                subject.actor.id,
                content=span,
                evidence=("the sentence's subject, no cue",),
            )
        return Quote("direct", span, content=span)

    def _quote(self, kind: str, span: Span, cue: int, phrase: _Phrase | None, where: str) -> Quote:
        return Quote(
            kind,  # type: ignore[arg-type]
            span,
            phrase.mention if phrase else None,
            phrase.actor.id if phrase and phrase.actor else None,
            self._cue(cue),
            content=span,
            evidence=(f"cue '{self.doc[cue].text}' {where} the quotation",),
        )

    def _cue_after(self, span: Span) -> tuple[int, _Phrase | None] | None:
        """ "„…“, sagte X", "„…“, so X", "„…?“ fragte sie": the cue in the words after the quotation."""
        i = self._token_at(span.end)
        if i < len(self.doc) and self.doc[i].text == ",":
            i += 1
        elif not self.text[span.start : span.end].rstrip("“”\"»«’' ").endswith((",", "?", "!")):
            return None
        if i >= len(self.doc) or self._inside_quote(self.doc[i].idx):
            return None
        t = self.doc[i]
        if self._is_cue_verb(i):
            return i, self._phrase_after(i + 1)
        if self.words.prepositions.get(t.lower_) == "so":
            return i, self._phrase_after(i + 1)
        return None

    def _cue_before(self, span: Span) -> tuple[int, _Phrase | None, bool] | None:
        """ "Scholz sagte: „…“" (colon: direct) or "Er nannte das „Unsinn“" (partial): the last cue
        verb of the sentence before the quotation, or of the paragraph before when it ends in ":"."""
        q = self._token_at(span.start)
        if q >= len(self.doc):
            return None
        start = self.sents[self.sent_of[q]][0]
        lead = self.text[self.doc[start].idx : span.start].strip()
        if not lead:
            para = self._paragraph(span.start)
            if para > 0 and self.text[
                self.paragraphs[para - 1].start : self.paragraphs[para - 1].end
            ].rstrip().endswith(":"):
                q = self._token_at(self.paragraphs[para - 1].end) - 1
                while q > 0 and (self.doc[q].is_space or self.doc[q].text == ":"):
                    q -= 1
                start = self.sents[self.sent_of[q]][0]
                q += 1
                lead = ":"
            else:
                return None
        for i in range(q - 1, start - 1, -1):
            if self._inside_quote(self.doc[i].idx):
                continue
            if self._is_cue_verb(i):
                colon = lead.endswith(":")
                return i, self._subject(i, start), colon
        if lead.endswith(":"):  # "Lindner: „…“" (a headline's speaker)
            phrase = self._phrase_after(start)
            if phrase is not None and phrase.end < len(self.doc) and self.doc[phrase.end].text == ":":
                return start, phrase, True
        return None

    def _carried(self, quotes: list[Quote]) -> list[Quote]:
        """Speakers carried over from the statement before (``attribution.carry_speakers``); where
        the language drops its subjects and nothing is carried, the person named last."""
        pro_drop = bool(self.words.g("pro_drop"))

        def named_last(q: Quote) -> Quote:
            named = [a for at, a in self.named_people if q.cue is not None and at < q.cue.span.start]
            if not pro_drop or not named:
                return q
            return replace(q, actor_id=named[-1].id, evidence=("the person named last, no subject",))

        anaphoric = frozenset(self.words.g("anaphoric"))
        return carry_speakers(
            quotes,
            self.text,
            self.paragraphs,
            self._paragraph,
            anaphoric,
            pro_drop=pro_drop,
            fallback=named_last,
        )

    @staticmethod
    def _inside_reported(quote: Quote, indirect: list[Quote]) -> Quote:
        """Quoted words with no speaker inside a reported clause are that clause's speaker's words
        ("Der Atlantik habe das Potenzial – „so wie wir es gesehen haben“")."""
        if quote.actor_id is not None or quote.cue is not None:
            return quote
        around = next((q for q in indirect if q.span.contains(quote.span) and q.actor_id), None)
        if around is None:
            return quote
        return replace(
            quote,
            kind="partial",
            speaker=around.speaker,
            actor_id=around.actor_id,
            cue=around.cue,
            evidence=("inside a reported clause",),
        )

    def _previous_speaker(self, span: Span) -> _Phrase | None:
        """A quotation opening its sentence after a sentence of the same paragraph whose cue verb
        has a person for its subject ("X kritisierte Y scharf. „…“")."""
        q = self._token_at(span.start)
        if q >= len(self.doc) or self.sents[self.sent_of[q]][0] != q or self.sent_of[q] == 0:
            return None
        start, end = self.sents[self.sent_of[q] - 1]
        if self._paragraph(self.doc[start].idx) != self._paragraph(span.start):
            return None
        for i in range(start, end):
            if self._is_cue_verb(i):
                phrase = self._subject(i, start)
                if phrase is not None and phrase.actor is not None and phrase.actor.type == "person":
                    return phrase
        return None

    def _sentence_subject(self, span: Span) -> _Phrase | None:
        q = self._token_at(span.start)
        if q >= len(self.doc):
            return None
        start = self.sents[self.sent_of[q]][0]
        phrase = self._phrase_after(start, skip=False)
        if (
            phrase is None
            or phrase.end >= q
            or phrase.mention is None
            or phrase.mention.kind == "description"
        ):
            return None
        verb = self.doc[phrase.end]
        return phrase if verb.pos_ in ("VERB", "AUX") and verb.tag_.endswith("FIN") else None

    def _indirect(self, direct: list[Quote]) -> list[Quote]:
        out: list[Quote] = []
        spoken: dict[int, Quote] = {}  # sentence -> a statement made in it
        for q in direct:
            if q.actor_id is not None:
                spoken[self._sent(q.span.end - 1)] = q
        for n, (start, end) in enumerate(self.sents):
            found = self._reported(n, start, end)
            if found is None:
                before = next((spoken[k] for k in (n - 1, n - 2) if k in spoken), None)
                if before is None:
                    before = self._subject_before(n)
                if before is not None:
                    found = self._continued(start, end, before)
            if found is None:
                continue
            if any(found.span.start >= d.span.start and found.span.end <= d.span.end for d in direct):
                continue  # the clause is a quotation already
            out.append(found)
            if found.actor_id is not None:
                spoken[n] = found
        return out

    def _reported(self, n: int, start: int, end: int) -> Quote | None:
        tokens = [i for i in range(start, end) if not self.doc[i].is_space]
        if not tokens or self._inside_quote(self.doc[tokens[0]].idx):
            return None
        last = tokens[-1]
        while last > start and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        for i in tokens:
            if self._inside_quote(self.doc[i].idx):
                continue
            kind = self.words.prepositions.get(self.doc[i].lower_)
            multi = self._multiword_cue(i)
            if kind == "before" or multi:
                phrase = self._phrase_after(i + (multi or 1), skip=False)
                if phrase is not None and phrase.actor is not None:
                    return self._indirect_quote(start, last, i, phrase)
            if kind == "after" and i > start:
                phrase = self._phrase_before(i, start)
                if phrase is not None and phrase.actor is not None:
                    return self._indirect_quote(start, last, i, phrase)
            if kind == "so" and i > start and self.doc[i - 1].text == ",":
                phrase = self._phrase_after(i + 1, skip=False)
                if phrase is not None and phrase.actor is not None and phrase.end >= last:
                    return self._indirect_quote(start, i - 2, i, phrase)
            if not self._is_cue_verb(i):
                continue
            comp = next(
                (
                    k
                    for k in range(i + 1, min(end, i + 5))
                    if self.doc[k].lower_ in self.words.g("complementizers")
                ),
                None,
            )
            if (
                comp is not None
                and comp < last
                and not any(
                    self.doc[k].pos_ in ("VERB", "AUX")
                    or self.doc[k].text in ",:;"
                    or self._inside_quote(self.doc[k].idx)
                    for k in range(i + 1, comp)
                )
            ):  # "X dijo que la ciudad ...": the clause after the complementizer
                phrase = self._subject(i, start)
                if phrase is not None and (phrase.actor is not None or phrase.mention is None):
                    return self._indirect_quote(comp + 1, last, i, phrase)
            comma = next(
                (
                    k
                    for k in range(i + 1, min(end, i + 10))
                    if self.doc[k].text in (",", ":") or self._inside_quote(self.doc[k].idx)
                ),
                None,
            )
            if (
                comma is not None
                and not self._inside_quote(self.doc[comma].idx)
                and comma < last
                and self.doc[comma].text == ","
                and not any(self.doc[k].pos_ in ("VERB", "AUX") for k in range(i + 1, comma))
            ):  # "X sagte, die Regierung werde …"
                phrase = self._subject(i, start)
                if phrase is not None and phrase.actor is not None and self._clause(comma + 1, last):
                    return self._indirect_quote(comma + 1, last, i, phrase)
            if i > start and self.doc[i - 1].text == ",":  # "…, sagte X."
                phrase = self._phrase_after(i + 1)
                if phrase is not None and phrase.actor is not None and phrase.end >= last:
                    lead = start + 1 if self.doc[start].lower_ in self.words.g("as_clause") else start
                    if lead < i - 1:
                        return self._indirect_quote(lead, i - 2, i, phrase)
        return None

    def _subject_before(self, n: int) -> Quote | None:
        """The person the sentence before ``n`` is about (its first constituent), as the speaker a
        sentence in reported speech continues ("Der Forscher X hat … untersucht. Der Atlantik habe …")."""
        if n == 0:
            return None
        start, end = self.sents[n - 1]
        first = start
        while first < end and (self.doc[first].is_space or self.doc[first].text in _MARKS):
            first += 1
        phrase = self._phrase_after(first, skip=False) if first < end else None
        if phrase is None or phrase.actor is None or phrase.actor.type != "person":
            return None
        if self._paragraph(self.doc[start].idx) != self._paragraph(self.doc[self.sents[n][0]].idx):
            return None
        span = Span(self.doc[first].idx, self.doc[phrase.end - 1].idx + len(self.doc[phrase.end - 1].text))
        return Quote("indirect", span, phrase.mention, phrase.actor.id)

    def _continued(self, start: int, end: int, prev: Quote) -> Quote | None:
        """A sentence in reported speech after a statement continues its speaker."""
        words = [t for t in self.doc[start:end] if not t.is_space and not self._inside_quote(t.idx)]
        if not words or any(t.lower_ in self.words.g("first_person") for t in words):
            return None
        if not any(self._reported_mood(t) for t in words):
            return None
        last = end - 1
        while last > start and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        span = Span(self.doc[start].idx, self.doc[last].idx + len(self.doc[last].text))
        if span.end - span.start < 15:
            return None
        return Quote(
            "indirect",
            span,
            prev.speaker,
            prev.actor_id,
            prev.cue,
            content=span,
            evidence=("reported speech after a statement",),
        )

    def _reported_mood(self, t: Any) -> bool:
        """A finite verb in the mood of reported speech: a listed form ("sei"), or a listed ending
        ("-e": "übernehme") without an excluded one ("-te": "sagte" is indicative)."""
        if not t.tag_.endswith("FIN"):
            return False
        word = t.lower_
        if word in self.words.reported_forms:
            return True
        endings = [f[1:] for f in self.words.reported_forms if f.startswith("-")]
        excluded = [f[2:] for f in self.words.reported_forms if f.startswith("!-")]
        return any(word.endswith(e) for e in endings) and not any(word.endswith(e) for e in excluded)

    def _clause(self, first: int, last: int) -> bool:
        return last > first and any(
            self.doc[k].pos_ in ("VERB", "AUX") or self.doc[k].tag_ == "KOUS" for k in range(first, last + 1)
        )

    def _indirect_quote(self, first: int, last: int, cue: int, phrase: _Phrase) -> Quote | None:
        while first <= last and (self.doc[first].is_punct or self.doc[first].is_space):
            first += 1
        while last >= first and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        if last < first:
            return None
        span = Span(self.doc[first].idx, self.doc[last].idx + len(self.doc[last].text))
        if span.end - span.start < 10:
            return None
        return Quote(
            "indirect",
            span,
            phrase.mention,
            phrase.actor.id if phrase.actor else None,
            self._cue(cue),
            content=span,
            evidence=(f"cue '{self.doc[cue].text}'",),
        )

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
        if nominalised and self.doc[j - 1].text[:1].isupper() and j - 1 > i:
            j -= 1  # a nominalised adjective: "der 48-Jährige", "die Vorsitzende"
        if j >= n or self.doc[j].pos_ not in ("NOUN", "ADJ") or not self.doc[j].text[:1].isupper():
            return None
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

    def _personal(self, word: str) -> bool:
        """A noun that may name a person's role ("ministerin", "sprecher", "chef", "48-jährige")."""
        return bool(self.words.g("person_endings")) and word.endswith(self.words.g("person_endings"))

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

    # -- positions --------------------------------------------------------------------------------

    def _token_at(self, char: int) -> int:
        i = bisect.bisect_left(self.starts, char)
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return i

    def _sent(self, char: int) -> int:
        i = min(bisect.bisect_right(self.starts, char) - 1, len(self.doc) - 1)
        return self.sent_of[max(i, 0)] if self.sent_of else 0

    def _inside_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, char) - 1
        return i >= 0 and self.quoted[i].start <= char < self.quoted[i].end

    def _paragraph(self, char: int) -> int:
        i = bisect.bisect_right(self.paragraph_starts, char) - 1
        return i if i >= 0 and char < self.paragraphs[i].end else -1


def _capitalised(token: Any) -> bool:
    return token.text[:1].isupper() and not token.is_punct and token.pos_ not in ("DET", "PRON", "ADP")


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and word[:1].isupper()
