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

The pack's words are data (``cues.tsv``, ``prepositions.tsv``, ``given_names.tsv``,
``org_words.txt``, ``reported_forms.txt``, ``grammar.tsv``); ``onrecord eval multilingual`` measures
the result. The reading is split in three: names (``surface_names``), cues and phrases
(``surface_phrases``), statements (here).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from onrecord.extract.packs.attribution import MIN_CUELESS_WORDS
from onrecord.extract.packs.common import _Actor, carry_speakers
from onrecord.extract.packs.surface_names import _MARKS, SurfaceWords, _Phrase
from onrecord.extract.packs.surface_phrases import _Phrases
from onrecord.model import Actor, Article, Quote, Span

__all__ = ["SurfaceAttributor", "SurfaceWords"]


class SurfaceAttributor:
    """Component: quotations, indirect statements and their speakers from tagged tokens."""

    requires = ("doc", "paragraphs")
    provides = ("quotes", "actors")

    def __init__(self, words: SurfaceWords) -> None:
        self.words = words

    def __call__(self, article: Article) -> Article:
        return _Reading(article, self.words).run()


class _Reading(_Phrases):
    """One article read by the surface patterns."""

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
            if a.id in speaking or (any(m.kind == "name" for m in a.mentions) and _named_enough(a))
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
        endings, indicative = self.words.mood_endings, self.words.indicative_endings
        return bool(endings) and word.endswith(endings) and not (indicative and word.endswith(indicative))

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


def _named_enough(actor: _Actor) -> bool:
    """Whether an actor who says nothing is worth keeping: an organisation or place, or a person
    with a full name or a known gender; one capitalised word the tagger took for a name ("Streit"
    in a German headline) is not."""
    return actor.type != "person" or " " in actor.name or actor.gender != "unknown"
