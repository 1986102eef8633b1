"""Attribution by patterns over a Universal Dependencies parse: the language packs' speaker finder.

A language pack gives its cue words (verbs, and prepositions such as "selon"), its pronouns with
gender and number, and a parser whose labels follow Universal Dependencies; this component finds,
for any such language:

* **direct and partial quotations** (``quotemarks``: every local style) and the cue nearest them in
  their sentence, after the quotation first ("« … », a déclaré X", "…, ajoute-t-il") and then
  before it ("X a déclaré : « … »"); a quotation inside the clause its cue governs is partial;
* **indirect statements**: a cue verb's complement clause ("X a affirmé qu'il fallait agir": the
  clause after "que") and a clause attributed by a preposition ("selon X, …": the whole clause);
* **speakers**: the cue's subject, else the first nominal after the cue (the inverted subject of
  "a déclaré le ministre"), else the object of the preposition; a name is the person, place or
  organisation its entity names (a surname alone joins the full name it ends), a pronoun the last
  person of its gender named before, a description the person in apposition to it, else an unnamed
  source of its own ("le porte-parole");
* a quotation with no cue that opens the paragraph after one with a speaker continues that speaker.

English keeps its own tuned pipeline (``extract/quotes.py``, ``extract/speakers.py``); this is the
general method the other languages share, measured by ``onrecord eval multilingual``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import Any

from onrecord.extract.packs.common import Places, _Actor, carry_speakers, dash_speech
from onrecord.extract.quotemarks import find_quotations
from onrecord.model import (
    Actor,
    ActorType,
    Article,
    Cue,
    Gender,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    Span,
)

_ENTITY_TYPES: dict[str, ActorType] = {
    "PER": "person",
    "PERSON": "person",
    "ORG": "organization",
    "LOC": "place",
    "GPE": "place",
}
_SUBJECTS = ("nsubj", "nsubj:pass", "expl:subj")
_NOMINAL = ("PROPN", "NOUN", "PRON")
MIN_CUELESS_WORDS = 6  # a quotation without a cue is a statement only when it is this long


@dataclass(frozen=True, slots=True)
class PackWords:
    """A language's words for attribution: cue lemma -> attitude, pronoun -> (gender, number),
    determiners dropped from an unnamed source's name."""

    cues: dict[str, str]
    pronouns: dict[str, tuple[str, str]]
    determiners: frozenset[str]
    honorifics: frozenset[str] = frozenset()
    dash_dialogue: bool = False
    anaphoric: frozenset[str] = frozenset()  # words of a description naming the source before ("cette")


class PatternAttributor:
    """Component: quotations, indirect statements and their speakers from a UD parse."""

    requires = ("paragraphs", "doc")
    provides = ("quotes", "actors")

    def __init__(self, words: PackWords) -> None:
        self.words = words

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            return article
        return _Run(article, self.words).run()


class _Run(Places):
    """One article's attribution."""

    def __init__(self, article: Article, words: PackWords) -> None:
        self.article, self.words, self.doc, self.text = article, words, article.doc, article.text
        self.starts = [t.idx for t in self.doc]
        body = [p.span for p in article.paragraphs if p.role != "boilerplate"] or [Span(0, len(self.text))]
        self.paragraphs = sorted(body, key=lambda s: s.start)
        self.quoted = find_quotations(self.text, self.paragraphs)
        self.dashed: set[Span] = set()
        if words.dash_dialogue:
            self.dashed = set(dash_speech(self.text, self.paragraphs))
            self.quoted = sorted([*self.quoted, *self.dashed], key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quoted]
        self.paragraph_starts = [p.start for p in self.paragraphs]
        # The entity naming an actor that each token is part of, and the actor named at each start.
        self.entity_of: dict[int, Any] = {
            i: e for e in self.doc.ents if _named(e) for i in range(e.start, e.end)
        }
        self.named_at: dict[int, _Actor] = {}
        self.actors: dict[str, _Actor] = {}
        self.people: list[tuple[int, _Actor]] = []  # (where named, person), in text order
        self.roles: list[tuple[int, str, _Actor]] = []  # (where, role noun lemma, person named so)
        self._entities()

    # -- actors ---------------------------------------------------------------------------------

    def _entities(self) -> None:
        ents = [e for e in self.doc.ents if _named(e)]
        full: dict[str, str] = {}
        for e in ents:
            name = self._name(e)
            if _is_person(e) and len(name.split()) > 1:
                full[name.split()[-1].casefold()] = name
        for ent in sorted(ents, key=lambda e: (-len(self._name(e).split()), e.start_char)):
            kind = _ENTITY_TYPES[ent.label_]
            name = self._name(ent)
            if not name or not any(c.isalpha() for c in name):
                continue
            if kind == "person" and len(name.split()) == 1:
                name = full.get(name.casefold(), name)
            actor = self._actor(name, kind)
            span = Span(ent.start_char, ent.start_char + len(ent.text.rstrip()))
            actor.mentions.append(Mention(span, "name", actor.id))
            self.named_at.setdefault(ent.start_char, actor)
            if kind == "person":
                if actor.gender == "unknown":
                    actor.gender = _gender(ent[0])
                if not self._inside_quote(ent.start_char):
                    self.people.append((ent.start_char, actor))
                role = self._role_of(ent)
                if role is not None:
                    self.roles.append((ent.start_char, role, actor))
        self.people.sort(key=lambda item: item[0])
        self.roles.sort(key=lambda item: item[0])

    def _name(self, ent: Any) -> str:
        """An entity's name in its normal form where the parser gives one ("Марии Захаровой":
        Мария Захарова), without honorifics ("M. Peskov") and stray marks."""
        normal = self.doc.user_data.get("normal_names", {}).get((ent.start_char, ent.end_char))
        words = (normal or ent.text).strip().strip(",.;:«»\"'“”").split()
        while len(words) > 1 and words[0].casefold() in self.words.honorifics:
            words = words[1:]
        return " ".join(words)

    @staticmethod
    def _role_of(ent: Any) -> str | None:
        """The noun a person's name is given to ("le porte-parole du Kremlin, Dmitri Peskov",
        "le président russe Vladimir Poutine"): its lemma, for a later "le porte-parole"."""
        root = ent.root
        head = root.head if root.dep_ in ("appos", "flat:name", "nmod") else None
        if head is None or head.pos_ != "NOUN":
            left = ent[0].i - 1
            while left >= 0 and root.doc[left].pos_ in ("ADJ", "PUNCT") and root.doc[left].text != ".":
                left -= 1
            head = root.doc[left] if left >= 0 and root.doc[left].pos_ == "NOUN" else None
        return head.lemma_.casefold() if head is not None else None

    def _actor(self, name: str, kind: ActorType) -> _Actor:
        key = f"{kind}:{name.casefold()}"
        if key not in self.actors:
            self.actors[key] = _Actor(name, kind)
        return self.actors[key]

    # -- statements -----------------------------------------------------------------------------

    def run(self) -> Article:
        quotes: list[Quote] = []
        indirect = self._indirect()
        used_cues: set[int] = set()
        last: tuple[int, Quote] | None = None  # (paragraph, quote) of the last attributed quotation
        for span in self.quoted:
            found = self._direct(span)
            if found is None:
                continue
            quote = found
            para = self._paragraph(span.start)
            resumed = (
                span in self.dashed
                and last is not None
                and last[0] == para
                and last[1].span in self.dashed
                and bool(self.text[self.paragraphs[para].start : span.start].strip())
            )
            if resumed and last is not None:  # "— A,— пояснил Путин,— B": B is Putin's too
                prev = last[1]
                quote = replace(
                    quote,
                    speaker=prev.speaker,
                    actor_id=prev.actor_id,
                    cue=prev.cue,
                    evidence=("the same speaker, after the narrator's words",),
                )
            around = next((q for q in indirect if q.span.contains(span)), None)
            if around is not None and (
                quote.actor_id is None or quote.cue is None or quote.cue == around.cue
            ):
                # words quoted inside a reported clause: the clause's speaker said them
                quote = replace(
                    quote, kind="partial", speaker=around.speaker, actor_id=around.actor_id, cue=around.cue
                )
            if quote.cue is None and quote.actor_id is None:
                opens = para >= 0 and not self.text[self.paragraphs[para].start : span.start].strip()
                follows = last is not None and (last[0] == para or (last[0] == para - 1 and opens))
                if last is not None and follows and last[1].actor_id:
                    prev = last[1]
                    quote = Quote(
                        "direct",
                        span,
                        prev.speaker,
                        prev.actor_id,
                        None,
                        content=span,
                        evidence=("continues the previous speaker",),
                    )
                elif len(span.text(self.text).split()) < MIN_CUELESS_WORDS:
                    continue  # a title, a name or a scare-quoted word, not a statement
            if quote.cue is not None:
                used_cues.add(quote.cue.span.start)
            if quote.actor_id is not None:
                last = (para, quote)
            quotes.append(quote)
        quotes.extend(
            q
            for q in indirect
            if q.cue is not None
            and q.cue.span.start not in used_cues
            and not any(q.span.contains(d.span) for d in quotes)
        )
        quotes.sort(key=lambda q: (q.span.start, q.span.end))
        quotes = carry_speakers(quotes, self.text, self.paragraphs, self._paragraph, self.words.anaphoric)
        speaking = {q.actor_id for q in quotes}
        actors = tuple(
            Actor(a.id, a.name, a.type, tuple(sorted(a.mentions, key=lambda m: m.span.start)), (), a.gender)
            for a in self.actors.values()
            if a.id in speaking or any(m.kind == "name" for m in a.mentions)
        )
        return self.article.evolve(quotes=tuple(quotes), actors=actors)

    def _direct(self, span: Span) -> Quote | None:
        if self._title(span):
            return None
        cue = self._cue_after(span) or self._cue_before(span)
        if cue is None:
            return self._introduced(span) or self._by_subject(span)
        mention, actor = self._speaker(cue)
        kind: QuoteKind = "partial" if self._partial(span, cue) else "direct"
        return Quote(
            kind,
            span,
            mention,
            actor.id if actor else None,
            self._cue(cue),
            content=span,
            evidence=(f"cue '{cue.text}' {'after' if cue.idx >= span.end else 'before'} the quotation",),
        )

    def _title(self, span: Span) -> bool:
        """A quoted title or name ("« Le Monde »", "« Joint Sea-2024 »"): at most four words,
        each capitalised or a number, not a statement."""
        words = span.text(self.text).strip("«»“”„\"' \u00a0\u202f").split()
        return 0 < len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words)

    def _introduced(self, span: Span) -> Quote | None:
        """A quotation opening its paragraph after one that ends in ":" with no cue verb ("Le
        ministre a ensuite détaillé son plan :"): the person that sentence is about."""
        para = self._paragraph(span.start)
        if para <= 0 or self.text[self.paragraphs[para].start : span.start].strip(" \t\n—–"):
            return None
        before = self.text[self.paragraphs[para - 1].start : self.paragraphs[para - 1].end].rstrip()
        if not before.endswith(":"):
            return None
        j = bisect.bisect_left(self.starts, self.paragraphs[para - 1].end) - 1
        if j < 0:
            return None
        root = self.doc[j].sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subject is None or self._inside_quote(subject.idx):
            return None
        mention, actor = self._resolve(subject)
        if actor is None or actor.type != "person":
            return None
        return Quote(
            "direct", span, mention, actor.id, content=span, evidence=("introduced by the paragraph before",)
        )

    def _by_subject(self, span: Span) -> Quote:
        """A quotation with no cue in a sentence whose subject is a person ("Sophie Binet a évoqué
        la « gravité de la situation »"): words that person used, a partial quotation."""
        i = bisect.bisect_left(self.starts, span.start)
        if i >= len(self.doc):
            return Quote("direct", span, content=span)
        root = self.doc[i].sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subject is None or self._inside_quote(subject.idx) or subject.idx > span.start:
            return Quote("direct", span, content=span)
        mention, actor = self._resolve(subject)
        if actor is None or actor.type != "person":
            return Quote("direct", span, content=span)
        return Quote(
            "partial", span, mention, actor.id, content=span, evidence=("the sentence's subject, no cue",)
        )

    def _indirect(self) -> list[Quote]:
        out: list[Quote] = []
        for token in self.doc:
            if self._inside_quote(token.idx) or not self._is_cue(token):
                continue
            if token.pos_ in ("ADP", "NOUN") or token.lower_ == "d'":
                clause = self._clause_of(token)
            else:
                clause = self._complement(token)
            if clause is None or clause.end - clause.start < 10:
                continue
            mention, actor = self._speaker(token)
            if actor is None and (mention is None or mention.kind != "description"):
                continue  # an unresolved pronoun; an unresolved description is carried over later
            out.append(
                Quote(
                    "indirect",
                    clause,
                    mention,
                    actor.id if actor is not None else None,
                    self._cue(token),
                    content=clause,
                    evidence=(f"cue '{token.text}'",),
                )
            )
        return out

    def _clause_of(self, prep: Any) -> Span | None:
        """The clause "selon X, …" attributes: its sentence without the "selon X" phrase, when the
        sentence has no quotation and no cue verb of its own (those attribute it already)."""
        sent = prep.sent
        if any(self._inside_quote(t.idx) for t in sent) or any(
            self._is_cue(t) and t.pos_ in ("VERB", "AUX") for t in sent
        ):
            return None
        noun = self._speaker_token(prep)
        phrase = {t.i for t in noun.subtree} | {prep.i, prep.i + 1} if noun is not None else {prep.i}
        if prep.pos_ == "NOUN":
            phrase |= {t.i for t in prep.subtree}
        tokens = [
            t for t in sent if t.i not in phrase and not (t.is_punct and t.i in (sent.start, sent.end - 1))
        ]
        while tokens and tokens[0].is_punct:
            tokens = tokens[1:]
        return _span_of(tokens)

    @staticmethod
    def _complement(verb: Any) -> Span | None:
        """A cue verb's reported clause: its "que" clause without "que" ("a affirmé qu'il fallait
        agir"), else its infinitive ("a dit avoir fait échouer …")."""
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is not None and any(c.dep_ == "mark" for c in comp.children):
            return _span_of(
                [t for t in comp.subtree if not (t.dep_ == "mark" and t.head == comp and t.i < comp.i)]
            )
        inf = next(
            (c for c in verb.children if c.dep_ == "xcomp" and c.morph.get("VerbForm") == ["Inf"]), None
        )
        if inf is not None and inf.i > verb.i:
            return _span_of([t for t in inf.subtree if not t.is_punct or t.i < inf.right_edge.i])
        return None

    # -- cues and speakers ------------------------------------------------------------------------

    def _is_cue(self, token: Any) -> bool:
        lemma = token.lemma_.casefold()
        if token.pos_ == "NOUN" and lemma in self.words.cues:  # "по словам X", "по мнению X"
            return any(c.dep_ == "case" and c.i == token.i - 1 for c in token.children)
        if token.pos_ in ("VERB", "AUX") and lemma in self.words.cues:
            return True
        if token.pos_ == "ADP" and lemma in self.words.cues:
            return True
        return bool(token.lower_ == "d'" and token.i + 1 < len(self.doc) and token.nbor(1).lower_ == "après")

    def _cue_after(self, span: Span) -> Any | None:
        """The cue just after the quotation ("« … », a déclaré X"; "« … », selon X"), else the cue
        verb later in its sentence whose clause holds it ("… « une proportion inédite », note la
        Drees")."""
        i = bisect.bisect_left(self.starts, span.end)
        for k, token in enumerate(self.doc[i : i + 6]):
            if token.text in '«»“”„"' or (token.is_sent_start and token.idx > span.end + 2):
                return None
            if self._is_cue(token) and (token.pos_ not in ("ADP", "NOUN") or k <= 1):
                return token
        if i >= len(self.doc):
            return None
        sent = self.doc[i - 1].sent if i > 0 else self.doc[i].sent
        for token in self.doc[i : sent.end]:
            if self._inside_quote(token.idx):
                continue
            if self._is_cue(token) and token.pos_ in ("VERB", "AUX"):
                return token
        return None

    def _cue_before(self, span: Span) -> Any | None:
        i = bisect.bisect_left(self.starts, span.start)
        if i >= len(self.doc):
            return None
        sent = self.doc[i].sent
        para = self._paragraph(span.start)
        if para > 0 and not self.text[self.paragraphs[para].start : span.start].strip(" \t\n—–"):
            before = self.text[self.paragraphs[para - 1].start : self.paragraphs[para - 1].end].rstrip()
            if before.endswith(":"):  # "… explique le capitaine :" then the quotation as a paragraph
                j = bisect.bisect_left(self.starts, self.paragraphs[para - 1].end) - 1
                if j >= 0:
                    sent = self.doc[j].sent
                    i = j + 1
        for token in reversed(self.doc[sent.start : i]):
            if not self._inside_quote(token.idx) and self._is_cue(token):
                return token
        return None

    def _partial(self, span: Span, cue: Any) -> bool:
        """A quotation inside the clause its cue governs, with words of that clause outside it."""
        if cue.idx >= span.end:
            return False
        between = self.text[cue.idx + len(cue.text) : span.start]
        return ":" not in between and bool(between.strip(" ,")) and any(ch.isalpha() for ch in between)

    def _cue(self, token: Any) -> Cue:
        end = token.idx + len(token.text)
        if token.lower_ == "d'":
            end = token.nbor(1).idx + len(token.nbor(1).text)
        lemma = "d'après" if token.lower_ == "d'" else token.lemma_.casefold()
        start = token.idx
        if token.pos_ == "NOUN" and token.i > 0:  # the preposition with it: "по словам"
            start = token.nbor(-1).idx
            lemma = f"{token.nbor(-1).lower_} {token.lower_}"
        return Cue(Span(start, end), lemma, self.words.cues.get(token.lemma_.casefold(), "neutral"))

    def _speaker(self, cue: Any) -> tuple[Mention | None, _Actor | None]:
        head = self._speaker_token(cue)
        if head is None:
            return None, None
        return self._resolve(head)

    def _speaker_token(self, cue: Any) -> Any | None:
        if cue.pos_ == "NOUN":  # "по словам Песковa": the genitive after the noun
            return next((c for c in cue.children if c.dep_ == "nmod" and c.pos_ in _NOMINAL), None)
        if cue.pos_ == "ADP" or cue.lower_ == "d'":
            noun = cue.head if cue.dep_ in ("case", "fixed") else None
            if noun is not None and noun.dep_ == "fixed":
                noun = noun.head
            if cue.lower_ == "d'":
                noun = cue.head
            return noun if noun is not None and noun.pos_ in _NOMINAL else None
        for child in cue.children:  # "a-t-il expliqué", "ajoute-t-elle"
            if (
                child.pos_ == "PRON"
                and child.text.startswith("-")
                and child.lower_.lstrip("-") in self.words.pronouns
            ):
                return child
        verbs = [cue, *(c for c in cue.children if c.dep_.startswith("aux"))]
        for verb in verbs:
            for child in verb.children:
                if (
                    child.dep_ in _SUBJECTS
                    and child.dep_ != "expl:subj"
                    and not self._inside_quote(child.idx)
                ):
                    return child
        for token in self.doc[cue.i + 1 : cue.sent.end]:  # inverted subject: "a déclaré le ministre"
            if self._inside_quote(token.idx) or token.text in '«»“”„"':
                break
            if (
                token.pos_ in _NOMINAL
                and not token.dep_.startswith("obl")
                and token.ent_type_ not in ("DATE", "TIME")
            ):
                return token
        return None

    def _resolve(self, head: Any) -> tuple[Mention | None, _Actor | None]:
        ent = self._entity(head)
        if ent is not None:
            key = self._entity_actor(ent)
            if key is not None:
                span = Span(ent.start_char, ent.start_char + len(ent.text.rstrip()))
                return Mention(span, "name", key.id), key
        word = head.lower_.lstrip("-").removeprefix("t-")
        if head.pos_ == "PRON" and word in self.words.pronouns:
            gender, number = self.words.pronouns[word]
            person = self._last_person(head.idx, gender if number == "singular" else "unknown")
            mention_kind: MentionKind = "pronoun"
            span = Span(head.idx, head.idx + len(head.text))
            if person is None:
                return Mention(span, mention_kind), None
            person.mentions.append(Mention(span, mention_kind, person.id))
            return Mention(span, mention_kind, person.id), person
        if head.pos_ == "PRON":
            return None, None
        # A description: the person or organisation named in it ("le ministre, Gérald Darmanin",
        # "le syndicat CGT"), else the person it was given to before, else an unnamed source.
        for token in head.subtree:
            appos = (
                self._entity(token) if token.dep_ in ("appos", "flat:name") or token.head == head else None
            )
            if appos is not None and (_is_person(appos) or _ENTITY_TYPES[appos.label_] == "organization"):
                actor = self._entity_actor(appos)
                if actor is not None:
                    span = _span_of([t for t in head.subtree if not t.is_punct]) or Span(
                        head.idx, head.idx + len(head.text)
                    )
                    return Mention(span, "description", actor.id), actor
        for child in head.children:  # "le PDG, Pekka Lundmark": a name the entity tagger missed
            if child.dep_ == "appos" and child.pos_ == "PROPN" and child.text[:1].isupper():
                words = [t for t in child.subtree if t.dep_ == "flat:name" or t == child]
                if len(words) > 1 and all(t.pos_ == "PROPN" for t in words):
                    actor = self._actor(" ".join(t.text for t in words), "person")
                    span = _span_of(words) or Span(child.idx, child.idx + len(child.text))
                    actor.mentions.append(Mention(span, "name", actor.id))
                    return Mention(span, "name", actor.id), actor
        role = head.lemma_.casefold()
        named = [actor for at, r, actor in self.roles if r == role and at < head.idx]
        if named:  # "le porte-parole" after "le porte-parole du Kremlin, Dmitri Peskov"
            actor = named[-1]
            span = Span(head.idx, head.idx + len(head.text))
            actor.mentions.append(Mention(span, "description", actor.id))
            return Mention(span, "description", actor.id), actor
        phrase = [
            t for t in head.subtree if t.i <= head.i or t.dep_ in ("nmod", "case", "det", "amod", "flat:name")
        ]
        phrase = [t for t in phrase if not t.is_punct and not self._inside_quote(t.idx)]
        while phrase and (phrase[0].pos_ == "ADP" or phrase[0].lower_ == "après"):
            phrase = phrase[1:]
        span = _span_of(phrase) or Span(head.idx, head.idx + len(head.text))
        if self.words.anaphoric & set(span.text(self.text).casefold().split()):
            return Mention(span, "description"), None  # "cette source": ``carry_speakers`` settles it
        words = span.text(self.text).split()
        while words and words[0].casefold().rstrip("'’") in self.words.determiners:
            words = words[1:]
        if words and words[0][:2].casefold() in ("l'", "l’", "d'", "d’"):
            words[0] = words[0][2:]  # the elided article: "l’administration militaire régionale"
        name = " ".join(words).casefold().strip() if words else head.lower_
        actor = self._actor(name, "group")
        actor.mentions.append(Mention(span, "description", actor.id))
        return Mention(span, "description", actor.id), actor

    def _entity(self, token: Any) -> Any | None:
        return self.entity_of.get(token.i)

    def _entity_actor(self, ent: Any) -> _Actor | None:
        return self.named_at.get(ent.start_char)

    def _last_person(self, before: int, gender: str) -> _Actor | None:
        found = None
        for at, person in self.people:
            if at >= before:
                break
            if gender == "unknown" or person.gender in ("unknown", gender):
                found = person
        return found


def _named(ent: Any) -> bool:
    """An entity that names an actor: a kind we keep, written as a name ("ministre de la Défense",
    tagged as an organisation, is a description)."""
    return ent.label_ in _ENTITY_TYPES and ent.text[:1].isupper()


def _is_person(ent: Any) -> bool:
    return _ENTITY_TYPES.get(ent.label_) == "person"


def _gender(token: Any) -> Gender:
    found = token.morph.get("Gender")
    return "male" if found == ["Masc"] else "female" if found == ["Fem"] else "unknown"


def _span_of(tokens: list[Any]) -> Span | None:
    if not tokens:
        return None
    first, last = min(tokens, key=lambda t: t.idx), max(tokens, key=lambda t: t.idx + len(t.text))
    return Span(first.idx, last.idx + len(last.text))
