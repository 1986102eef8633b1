"""Quotes: Article (with parse) -> Article with direct, partial and indirect statements.

Each statement gets its cue (verb or phrase, lemma, attitude) and its speaker *mention*; the
speakers component then resolves mentions to canonical actors.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from onrecord.extract.cues import match_cue, match_nominal
from onrecord.extract.interviews import find_turns, with_turns
from onrecord.extract.lexicons import table
from onrecord.extract.quotemarks import find_quotations
from onrecord.model import Article, Cue, Mention, MentionKind, Quote, QuoteKind, Span

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NAME_DEPS = ("compound", "amod", "det", "poss", "nmod", "flat", "nummod", "case", "punct")
_CLIMB_DEPS = ("advcl", "xcomp", "conj", "acl", "pcomp", "relcl", "ccomp", "prep", "pobj")
_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who"}
_SENTENCE_END = ".!?…"
_FRAME_CHARS = 1_000  # several times a long news sentence
_NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP", "FAC")
_NARRATOR = frozenset(("i", "we", "me", "us"))  # outside quotation marks: the writer speaking
_NOT_SPEAKERS = ("that", "this", "these", "those", "all", "what", "there", "which", "both", "none")
_RELATIVE = ("who", "which", "that")
_SOURCE_PREPS = ("of", "on", "at", "in", "from", "with", "close")
_COMPLEMENT_DEPS = ("ccomp", "xcomp", "dobj", "attr", "oprd", "acomp", "dative", "prep", "advcl")


@dataclass(frozen=True, slots=True)
class Attribution:
    """What was found around one statement: its cue and speaker tokens, and how."""

    cue: Cue | None
    speaker: Mention | None
    how: str


def _gaps(spans: list[Span], start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``start``..``end`` outside ``spans`` (in text order, not overlapping)."""
    gaps, cursor = [], start
    for span in spans:
        if span.start > cursor:
            gaps.append((cursor, span.start))
        cursor = max(cursor, span.end)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


_LAST_INDEX: list[TokenIndex | None] = [None]


class TokenIndex:
    """Character offset -> token lookups over a spaCy Doc."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.text = doc.text  # once: Doc.text joins every token, and a per-quote join was quadratic
        from spacy.attrs import IDX

        # Read as one array, not token by token (150,000 Token objects for PolNeAR dev).
        self.starts: list[int] = doc.to_array(IDX).tolist() if len(doc) else []

    @classmethod
    def of(cls, doc: Any) -> TokenIndex:
        """The index of a parse, built once for the article in hand (the stages after the parse all
        read it). Kept in a one-entry cache rather than on the Doc: a Doc holding its index would
        be a reference cycle, freed only by the garbage collector (measured: the whole analysis
        1.25x -> 1.4x spaCy alone)."""
        last = _LAST_INDEX[0]
        if last is None or last.doc is not doc:
            last = _LAST_INDEX[0] = cls(doc)
        return last

    def at(self, char: int) -> Any:
        i = max(bisect.bisect_right(self.starts, char) - 1, 0)
        return self.doc[i]

    def inside(self, span: Span) -> list[Any]:
        lo = bisect.bisect_left(self.starts, span.start)
        hi = bisect.bisect_left(self.starts, span.end)
        return [t for t in self.doc[lo:hi] if t.idx + len(t.text) <= span.end]


def mention_for(token: Any) -> Mention:
    """The speaker mention around a head token: its name and title words, no clauses."""
    if token.lower_ in _PRONOUNS or token.pos_ == "PRON":
        return Mention(Span(token.idx, token.idx + len(token.text)), "pronoun")
    left = token.i
    for child in token.lefts:
        if child.dep_ in _NAME_DEPS or child.dep_ == "appos":
            left = min(left, child.left_edge.i)
    right = token.i
    for child in token.rights:
        if child.dep_ in ("flat", "compound") or (child.dep_ == "case" and child.text in ("'s", "’s")):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and token.pos_ == "NOUN" and child.lower_ in _SOURCE_PREPS:
            right = max(right, child.right_edge.i)  # "one Democratic source on the panel"
    doc = token.doc
    while left < token.i and doc[left].is_punct:
        left += 1
    first, last = doc[left], doc[right]
    span = Span(first.idx, last.idx + len(last.text))
    named = any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_ENTS for t in doc[left : right + 1])
    if named and token.lower_ in _role_words() and not token.ent_type_:
        named = False  # "The President", "the Vice President": a title, resolved by role
    kind: MentionKind = "name" if named else "description"
    if kind == "name" and token.pos_ != "PROPN" and token.ent_type_ not in _NAME_ENTS:
        kind = "description"
    return Mention(span, kind)


@cache
def _role_words() -> frozenset[str]:
    return frozenset(row[0].casefold() for row in table("roles.tsv"))


def subject_of(verb: Any, limit: int = 4) -> Any | None:
    """The grammatical subject of a cue verb, climbing through participles and conjuncts."""
    current = verb
    for _ in range(limit):
        for child in current.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
            if child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if current.dep_ in _CLIMB_DEPS and current.head is not current:
            current = current.head
        else:
            return None
    return None


def _same_statement(text: str, previous: Quote, current: Quote) -> bool:
    """Two pieces of one statement in one paragraph: direct pieces with the same cue or the second
    continuing the first; partial quotes in the clause of the same cue ("noting that if “A”, “B”")."""
    if previous.kind == "partial" and current.kind == "partial":
        return previous.cue is not None and current.cue is not None and previous.cue.span == current.cue.span
    if previous.kind != "direct" or current.kind != "direct":
        return False
    if "\n" in text[previous.span.end : current.span.start]:
        return False
    same_cue = previous.cue is not None and current.cue is not None and previous.cue.span == current.cue.span
    continues = any("continues the previous" in line for line in current.evidence)
    return same_cue or continues


_NAME_WORD = r"(?:[A-Z][\w.'’-]*)"
_DASH_NAME = re.compile(
    r"[ \t\xa0]*[―—–]{1,2}[ \t\xa0]*("
    + _NAME_WORD
    + r"(?:[ \t\xa0]+(?:"
    + _NAME_WORD[3:-1]
    + r"|de|van|von|da|del|bin|al))*)"
)


def _dash_form(text: str, span: Span) -> Attribution | None:
    """“…” ― Sonya Herridge: a name after a dash that follows the quotation, at the end of its line."""
    match = _DASH_NAME.match(text, span.end)
    if match is None or not match.group(1):
        return None
    rest = text[match.end() : match.end() + 4].lstrip(" \t\xa0.,")
    if rest and rest[0] not in "\r\n(":
        return None
    start = match.start(1)
    name = match.group(1).rstrip(".,")
    dash = text.index(next(c for c in text[span.end : start] if c in "―—–"), span.end)
    cue = Cue(Span(dash, dash + 1), "—", "neutral")
    return Attribution(
        cue, Mention(Span(start, start + len(name)), "name"), "dash form: speaker after the dash"
    )


_TRANSCRIPT = re.compile(r"[\"“‘'`«„]+[ \t]*([A-Z][A-Z'’.-]+(?:[ \t]+[A-Z][A-Z'’.-]+){0,2}):[ \t]")


def _transcript_form(text: str, span: Span) -> Attribution | None:
    """ "PENCE: Well, look, …": a transcript quotation opens with its speaker's name in capitals."""
    match = _TRANSCRIPT.match(text, span.start, span.end)
    if match is None or len(match.group(1)) < 2:
        return None
    colon = match.end(1)
    cue = Cue(Span(colon, colon + 1), ":", "neutral")
    speaker = Mention(Span(match.start(1), match.end(1)), "name")
    return Attribution(cue, speaker, "transcript form: speaker in capitals before ':'")


def adjacent_speaker(cue: Any, span: Span) -> Any | None:
    """When the parse gives the cue no subject: the noun phrase right beside it ("…,” X said / said X).

    Measured on PolNeAR dev: the small model often attaches "said" after a quotation as a conjunct
    of the quoted verb, leaving it without a subject although the name sits right before it.
    """
    doc = cue.doc
    left: Any | None = None
    depth = 0  # inside a parenthetical after the name ("Rep. Elijah Cummings (D-Md.) said")
    for token in reversed(doc[max(cue.i - 8, 0) : cue.i]):
        if token.idx < span.end or token.text in ',;:”"’»' or token.is_space:
            break
        depth += (token.text == ")") - (token.text == "(")
        if token.pos_ in ("PROPN", "NOUN", "PRON") and left is None and depth <= 0:
            left = token
    if left is not None:
        return left
    for token in doc[cue.i + 1 : cue.i + 7]:
        if token.is_punct or token.is_space or span.start <= token.idx < span.end:
            break
        if token.pos_ in ("PROPN", "PRON") or (token.pos_ == "NOUN" and token.dep_ in ("nsubj", "appos")):
            while token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN" and token.head.i == token.i + 1:
                token = doc[token.i + 1]
            return token
    return None


def _fronted(comp: Any, cue: Any) -> bool:
    """A reported clause the attribution follows: "Cases rose, the ministry said." and "…, says
    the agency.": the clause opens the sentence and a comma or dash separates it from the cue."""
    doc = cue.doc
    after = comp.right_edge.i + 1
    if after >= cue.i or doc[after].text not in (",", "—", "–", "--"):
        return False
    start = comp.sent.start
    opening = doc[start : comp.left_edge.i]
    if cue.dep_ != "ROOT" or not all(t.is_punct or t.is_space for t in opening):
        return False
    # Between the comma and the cue only its subject may stand ("…, the ministry said"), or nothing
    # ("…, says the agency"): not "…, hours after Senator Dunn posted" (a misparse of a time clause).
    between = doc[after + 1 : cue.i]
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    inside = set(range(subject.left_edge.i, subject.right_edge.i + 1)) if subject is not None else set()
    return all(t.i in inside or t.dep_ == "aux" for t in between)


def _is_date(token: Any) -> bool:
    """A day or date the parse took for a subject ("Thursday"); "the US daily" is a paper."""
    return bool(token.pos_ == "PROPN" and token.ent_type_ in ("DATE", "TIME"))


def _opens_quoted(token: Any) -> bool:
    """Whether a noun phrase opens right after an opening quotation mark (a quoted title)."""
    first = next((t for t in token.subtree if not t.is_punct), token)  # the mark may hang on it
    return first.i > 0 and first.doc[first.i - 1].text in ("“", "‘", "``", "«", "„")


def _named_before_cue(cue: Any, span: Span) -> Any | None:
    """The last person or organisation named between a quotation and its cue: the speaker when
    the parse took a date for the subject ("“…,” Flynn, a top surrogate, said Thursday")."""
    names = [
        e
        for e in cue.sent.ents
        if e.label_ in ("PERSON", "ORG") and span.end <= e.start_char and e.end_char <= cue.idx
    ]
    return names[0].root if names else None


def main_subject(cue: Any, span: Span) -> Any | None:
    """A participle cue the parse left without a subject ("…,” Warren said, suggesting …): the
    subject of its sentence's main verb, which a participle clause shares (measured on PolNeAR dev:
    two more speakers found, no quote lost)."""
    if cue.tag_ != "VBG":
        return None
    root = cue.sent.root
    if span.start <= root.idx < span.end:
        return None
    for child in root.children:
        if child.dep_ in _SUBJECT_DEPS and not span.start <= child.idx < span.end:
            return None if child.lower_ in _NOT_SPEAKERS else child
    return None


def _cue_from(tokens: list[Any], n: int, entry_lemma: str, attitude: str) -> Cue:
    first, last = tokens[0], tokens[n - 1]
    return Cue(Span(first.idx, last.idx + len(last.text)), entry_lemma, attitude)


class QuoteFinder:
    """Component: finds statements, their cues and speaker mentions."""

    requires = ("paragraphs", "doc")
    provides = ("quotes",)

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            return article
        text = article.text
        paragraphs = [p.span for p in article.paragraphs if p.role != "boilerplate"]
        spans = find_quotations(text, paragraphs)
        index = TokenIndex.of(article.doc)
        quotes = self._direct(article, index, spans, paragraphs)
        quotes.extend(self._indirect(index, spans, quotes))
        quotes = with_turns(quotes, find_turns(text, paragraphs), text)
        quotes.sort(key=lambda q: (q.span.start, q.span.end))
        return article.evolve(quotes=tuple(quotes))

    # -- direct and partial ---------------------------------------------------------------
    def _direct(
        self, article: Article, index: TokenIndex, spans: list[Span], paragraphs: list[Span]
    ) -> list[Quote]:
        quotes: list[Quote] = []
        last: Quote | None = None
        for span in spans:
            frame = self._frame(index, span, spans)
            found = self._attribute(index, span, frame)
            if found.speaker is None:
                found = _transcript_form(article.text, span) or found
            kind = self._kind(article.text, index, span, frame)
            if found.speaker is None and found.cue is None:
                found = self._characterised(index, span) or found
            if found.speaker is None and found.cue is None:
                whole = self._stands_alone(article.text, span, paragraphs)
                if self._in_headline(article, span) and self._headline_speaker(index, span).speaker:
                    found = self._headline_speaker(index, span)  # headlines quote without a cue
                elif not whole:
                    continue  # a scare-quoted word or a title: not a statement
                if (
                    last is not None
                    and last.speaker is not None
                    and self._near(article.text, last.span, span)
                ):
                    found = Attribution(last.cue, last.speaker, "continues the previous quotation's speaker")
                else:
                    found = self._speaker_before(index, span) or found
            content = self._content(index, span, found.cue) if kind == "partial" else None
            quote = Quote(kind, span, found.speaker, None, found.cue, evidence=(found.how,), content=content)
            quotes.append(quote)
            if quote.speaker is not None or quote.kind == "direct":
                last = quote  # a quoted title with no speaker ("on “Fox and Friends.”") breaks no run
        return self._join_pieces(article.text, quotes)

    @staticmethod
    def _content(index: TokenIndex, span: Span, cue: Cue | None) -> Span | None:
        """The reported clause a partial quote sits in: the cue's complements on the quote's side."""
        if cue is None or not cue.lemma[:1].isalpha():
            return None
        verb = index.at(cue.span.start)
        after = span.start >= verb.idx
        parts = [
            c
            for c in verb.children
            if c.dep_ in _COMPLEMENT_DEPS and (c.i > verb.i) == after and not c.is_punct
        ]
        if not parts:
            return QuoteFinder._stretch(index, span, verb)
        first = min(p.left_edge.i for p in parts)
        last = max(p.right_edge.i for p in parts)
        tokens = list(index.doc[first : last + 1])
        while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct or tokens[0].is_space):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_space or tokens[-1].text in ",;:—–-"):
            tokens = tokens[:-1]
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if not (start <= span.end and span.start <= end):
            return QuoteFinder._stretch(index, span, verb)  # the parse put the quotation elsewhere
        return Span(min(start, span.start), max(end, span.end))

    @staticmethod
    def _stretch(index: TokenIndex, span: Span, verb: Any) -> Span | None:
        """Without a usable parse: the words from the cue to the quotation (or from the sentence
        start, when the cue follows), within one sentence."""
        sent = verb.sent
        if not (sent.start_char <= span.start < sent.end_char):
            return None
        if verb.idx < span.start:
            tokens = list(index.doc[verb.i + 1 : index.at(span.start).i])
            while tokens and (tokens[0].dep_ in ("mark", "prt", "punct") or tokens[0].is_space):
                tokens = tokens[1:]
            start = tokens[0].idx if tokens else span.start
            return Span(min(start, span.start), span.end)
        tokens = [t for t in sent if t.idx < span.start and not (t.is_punct or t.is_space)]
        return Span(tokens[0].idx, span.end) if tokens else None

    @staticmethod
    def _join_pieces(text: str, quotes: list[Quote]) -> list[Quote]:
        """Pieces of one direct statement ("“A,” he said, “B.”") share one content span."""
        joined: list[Quote] = []
        group: list[Quote] = []

        def flush() -> None:
            if len(group) > 1:
                whole = Span(group[0].statement.start, max(q.statement.end for q in group))
                joined.extend(replace(q, content=whole) for q in group)
            else:
                joined.extend(group)
            group.clear()

        for quote in quotes:
            if group and _same_statement(text, group[-1], quote):
                group.append(quote)
                continue
            flush()
            group.append(quote)
        flush()
        return joined

    @staticmethod
    def _frame(index: TokenIndex, span: Span, spans: list[Span]) -> list[Any]:
        first = index.at(span.start).sent
        last = index.at(max(span.end - 1, span.start)).sent
        # The quote's sentences, at most _FRAME_CHARS either side: a cue sits near its quote, and an
        # unbounded frame made one sentence of 5,000 quotations run for hours (quotes x tokens).
        start = max(first.start_char, span.start - _FRAME_CHARS)
        end = min(last.end_char, span.end + _FRAME_CHARS)
        # The quotations in the frame, once: spans come in text order and never overlap.
        inside = spans[
            bisect.bisect_right(spans, start, key=lambda s: s.end) : bisect.bisect_left(
                spans, end, key=lambda s: s.start
            )
        ]
        frame: list[Any] = []
        for gap_start, gap_end in _gaps(inside, start, end):
            lo, hi = bisect.bisect_left(index.starts, gap_start), bisect.bisect_left(index.starts, gap_end)
            frame.extend(index.doc[lo:hi])
        return frame

    def _attribute(self, index: TokenIndex, span: Span, frame: list[Any]) -> Attribution:
        inside = index.inside(span)
        inside_ids = {t.i for t in inside}
        ancestors: list[int] = []
        for token in inside:
            if token.head.i not in inside_ids:
                ancestors.extend(a.i for a in token.ancestors if a.i not in inside_ids)
        cues = []
        for pos, token in enumerate(frame):
            hit = match_cue(token)
            if hit is not None:
                cues.append((token, hit, frame[pos : pos + hit[0]]))
        if cues:

            def rank(item: tuple[Any, Any, list[Any]]) -> tuple[int, int]:
                token = item[0]
                order = ancestors.index(token.i) if token.i in ancestors else 99
                distance = min(abs(token.idx - span.start), abs(token.idx - span.end))
                return order, distance

            token, (n, entry), tokens = min(cues, key=rank)
            cue = _cue_from(tokens, n, " ".join(entry.lemmas), entry.attitude)
            speaker_token = self._speaker_token(token, entry.lemmas, tokens, span)
            speaker = mention_for(speaker_token) if speaker_token is not None else None
            return Attribution(cue, speaker, f"cue '{cue.span.text(index.text)}' in the same sentence")
        nominal = self._nominal(index, ancestors)
        if nominal is not None:
            return nominal
        dashed = _dash_form(index.text, span)
        return dashed if dashed is not None else self._punctuation_form(index, span, frame)

    @staticmethod
    def _nominal(index: TokenIndex, ancestors: list[int]) -> Attribution | None:
        """A quotation inside the clause of a cue noun: "Trump's claim that there were “thousands”"."""
        for i in ancestors:
            noun = index.doc[i]
            entry = match_nominal(noun)
            if entry is None:
                continue
            cue = Cue(Span(noun.idx, noun.idx + len(noun.text)), entry.lemmas[0], entry.attitude)
            speaker = next((c for c in noun.children if c.dep_ == "poss"), None)
            if speaker is None:
                agent = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
                speaker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if speaker is None and noun.dep_ in ("dobj", "attr"):
                speaker = subject_of(noun.head)
            if speaker is None:
                return None
            return Attribution(cue, mention_for(speaker), f"cue noun '{noun.text}' governs the quotation")
        return None

    @staticmethod
    def _speaker_token(token: Any, lemmas: tuple[str, ...], tokens: list[Any], span: Span) -> Any | None:
        if lemmas[0] == "according":
            for child in tokens[-1].children:
                if child.dep_ == "pobj":
                    return child
            return None
        subject = subject_of(token)
        if subject is not None and span.start <= subject.idx < span.end:
            subject = None
        if subject is not None and subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
            subject = subject.head.head  # "Marc H. Morial, ..., who suggested": the noun it qualifies
        if subject is not None and subject.lower_ in _NOT_SPEAKERS:
            subject = None  # "That makes me smart", "all agreed": no speaker there; look beside the cue
        if subject is None:
            subject = adjacent_speaker(token, span) or main_subject(token, span)
        if subject is not None and (_is_date(subject) or _opens_quoted(subject)):
            # "Flynn, a surrogate, said Thursday on “Fox and Friends”": not the date, not the title
            subject = _named_before_cue(token, span)
        return subject

    @staticmethod
    def _characterised(index: TokenIndex, span: Span) -> Attribution | None:
        """ "pounding Trump as a “con artist”": a verb casting its object as the quoted words."""
        head = index.at(span.start)
        for ancestor in head.ancestors:
            if ancestor.dep_ == "prep" and ancestor.lower_ == "as":
                verb = ancestor.head
                if verb.pos_ == "VERB" and any(c.dep_ == "dobj" for c in verb.children):
                    subject = subject_of(verb)
                    if subject is None or span.start <= subject.idx < span.end:
                        return None
                    cue = Cue(Span(verb.idx, verb.idx + len(verb.text)), verb.lemma_, "characterization")
                    return Attribution(cue, mention_for(subject), f"'{verb.text} … as' casts its object")
                return None
        return None

    @staticmethod
    def _in_headline(article: Article, span: Span) -> bool:
        return any(p.role == "headline" and p.span.contains(span) for p in article.paragraphs)

    @staticmethod
    def _headline_speaker(index: TokenIndex, span: Span) -> Attribution:
        """A quotation in a headline is someone's words; the headline's first name outside it, if any."""
        sent = index.at(span.start).sent
        for ent in sent.ents:
            if ent.label_ in ("PERSON", "ORG") and not (span.start <= ent.start_char < span.end):
                mention = Mention(Span(ent.start_char, ent.start_char + len(ent.text.rstrip())), "name")
                return Attribution(None, mention, "headline quotation: the name the headline gives")
        return Attribution(None, None, "headline quotation")

    @staticmethod
    def _punctuation_form(index: TokenIndex, span: Span, frame: list[Any]) -> Attribution:
        """'Peskov: “…”' and '“…” — Peskov'."""
        before = [t for t in frame if t.idx < span.start]
        after = [t for t in frame if t.idx >= span.end]
        if before and before[-1].text == ":" and len(before) >= 2:
            head = next((t for t in reversed(before[:-1]) if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
            if head is not None:
                colon = before[-1]
                cue = Cue(Span(colon.idx, colon.idx + 1), ":", "neutral")
                return Attribution(cue, mention_for(head), "colon form: speaker before ':'")
        if len(after) >= 2 and after[0].text in ("—", "–", "-", "--"):
            head = next((t for t in after[1:4] if t.pos_ == "PROPN"), None)
            if head is not None:
                while head.head.pos_ == "PROPN" and head.head.i > head.i and head.head.idx < span.end + 80:
                    head = head.head
                dash = after[0]
                cue = Cue(Span(dash.idx, dash.idx + len(dash.text)), "—", "neutral")
                return Attribution(cue, mention_for(head), "dash form: speaker after '—'")
        return Attribution(None, None, "no cue")

    @staticmethod
    def _kind(text: str, index: TokenIndex, span: Span, frame: list[Any]) -> QuoteKind:
        before = [t for t in frame if t.idx < span.start and not t.is_space]
        if not before:
            return "direct"
        opener = text[span.start + 1 : span.start + 3].lstrip("“\"'‘`«„ ")
        if before[-1].text in (":",) or (before[-1].text == "," and opener[:1].isupper()):
            return "direct"
        if before[-1].text in (".", "!", "?", "…") and opener[:1].isupper():
            return "direct"  # a new sentence opens with the quotation (the parser merged the two)
        content = text[span.start : span.end].rstrip("”\"'’»“ ")
        if opener[:1].isupper() and content[-1:] in _SENTENCE_END and before[-1].pos_ in ("VERB", "AUX"):
            return "direct"
        return "partial"

    @staticmethod
    def _stands_alone(text: str, span: Span, paragraphs: list[Span]) -> bool:
        """True when the quotation is a paragraph, or whole sentences, of its own."""
        for para in paragraphs:
            if para.start <= span.start < para.end:
                before = text[para.start : span.start].strip()
                return not before or before[-1] in _SENTENCE_END + '”"'
        return False

    @staticmethod
    def _near(text: str, previous: Span, current: Span) -> bool:
        between = text[previous.end : current.start]
        return between.count("\n\n") + between.count("\n") <= 2 and len(between) < 400

    @staticmethod
    def _speaker_before(index: TokenIndex, span: Span) -> Attribution | None:
        """A floating quotation: the speaker named with a cue in the sentence just before."""
        sent = index.at(span.start).sent
        if sent.start == 0:
            return None
        previous = index.doc[sent.start - 1].sent
        for token in previous:
            hit = match_cue(token)
            if hit is None:
                continue
            subject = subject_of(token)
            if subject is not None and not _is_date(subject) and not _opens_quoted(subject):
                n, entry = hit
                cue = _cue_from(
                    list(previous)[token.i - previous.start :], n, " ".join(entry.lemmas), entry.attitude
                )
                return Attribution(cue, mention_for(subject), "speaker named in the sentence before")
        return None

    # -- indirect --------------------------------------------------------------------------
    def _indirect(self, index: TokenIndex, spans: list[Span], direct: list[Quote]) -> list[Quote]:
        used = {q.cue.span.start for q in direct if q.cue is not None}
        quotes: list[Quote] = []
        doc = index.doc
        for token in doc:
            hit = match_cue(token)
            if hit is None or token.idx in used:
                continue
            n, entry = hit
            content = self._reported_clause(token, entry.lemmas)
            if content is None:
                continue
            if any(s.overlaps(content) for s in spans):
                continue
            subject = self._speaker_token(token, entry.lemmas, list(doc[token.i : token.i + n]), content)
            if subject is None or subject.lower_ in _NARRATOR:
                continue  # the writer's own "I have to say …" is narration, not someone's statement
            cue = _cue_from(list(doc[token.i : token.i + n]), n, " ".join(entry.lemmas), entry.attitude)
            quotes.append(
                Quote(
                    "indirect",
                    content,
                    mention_for(subject),
                    None,
                    cue,
                    evidence=("reported clause of the cue",),
                )
            )
        return quotes

    @staticmethod
    def _reported_clause(token: Any, lemmas: tuple[str, ...]) -> Span | None:
        if lemmas[0] == "according":
            clause = token.head if token.dep_ == "prep" else None
            if clause is None or clause.pos_ not in ("VERB", "AUX"):
                return None
            tokens = [t for t in clause.subtree if not (token.left_edge.i <= t.i <= token.right_edge.i)]
        else:
            comp = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if comp is None or (comp.i < token.i and not _fronted(comp, token)):
                return None
            # The subtree's extent from its edges: listing it per cue was quadratic in a chain of
            # nested "said" clauses (2,000 in one sentence ran for minutes).
            tokens = token.doc[comp.left_edge.i : comp.right_edge.i + 1]
        first, last = 0, len(tokens)
        while first < last and (
            tokens[first].dep_ == "mark" or tokens[first].is_punct or tokens[first].is_space
        ):
            first += 1
        while first < last and (tokens[last - 1].is_punct or tokens[last - 1].is_space):
            last -= 1
        if last - first < 3:
            return None
        return Span(tokens[first].idx, tokens[last - 1].idx + len(tokens[last - 1].text))
