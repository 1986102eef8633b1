"""The record model: frozen dataclasses every stage reads and writes (data flows Article -> Article).

Every span is a pair of character offsets ``[start, end)`` into ``Article.text``, the original
decoded input text; the text of a span is always sliced from there, never copied.
This module imports nothing else of the package.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "indirect", "question"]
ActorType = Literal["person", "organization", "place", "group"]
MentionKind = Literal["name", "pronoun", "description"]
PublishedSource = Literal["given", "metadata", "dateline", "inferred"]
Gender = Literal["male", "female", "unknown"]
BoilerplateKind = Literal["section", "credit", "interface", "byline", "dateline"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A decoded document before analysis: its text, where it came from and what its page said."""

    text: str
    source: str | None = None
    format: Literal["text", "html"] = "text"
    encoding: str = "utf-8"
    title: str | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    metadata: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into the article text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def text(self, source: str) -> str:
        """Return the characters this span covers in ``source``."""
        return source[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_dict(self, source: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text(source)}


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text separated by blank lines or line breaks in the source."""

    span: Span
    role: Literal["body", "headline", "boilerplate"] = "body"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Text that is not part of the story (section label, credit, interface link)."""

    span: Span
    kind: BoilerplateKind


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention of an actor: a name, a pronoun or a description ("the Kremlin spokesman")."""

    span: Span
    kind: MentionKind
    actor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical person, organisation, place or group, within one article."""

    id: str
    name: str
    type: ActorType
    mentions: tuple[Mention, ...] = ()
    roles: tuple[str, ...] = ()
    gender: Gender = "unknown"

    @staticmethod
    def make_id(name: str, type_: str) -> str:
        """A stable id from the canonical name: the same person gets the same id in every article."""
        digest = hashlib.blake2b(f"{type_}:{name.casefold()}".encode(), digest_size=8).hexdigest()[:12]
        return f"{type_[0]}-{digest}"


@dataclass(frozen=True, slots=True)
class Cue:
    """The verb or phrase introducing a statement, with its lemma and attitude class."""

    span: Span
    lemma: str
    attitude: str = "neutral"


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement: direct, partial (quoted words inside reported speech) or indirect.

    For direct and partial quotes ``span`` includes the quotation marks. ``content`` is the whole
    statement: for a partial quote the reported clause around the quoted words ("that there have
    been “thousands of shootings” in Chicago"); for a direct quote told in pieces ("“A,” he said,
    “B.”") the stretch from the first piece to the last; otherwise the span itself.

    ``confidence`` is the calibrated probability, in [0, 1], that ``actor_id`` names the right
    speaker (set by the speaker chooser, ``extract/speaker_chooser.py``). A statement no candidate
    was good enough for keeps ``actor_id`` None ("unattributed"). None when nothing scored it.
    """

    kind: QuoteKind
    span: Span
    speaker: Mention | None = None
    actor_id: str | None = None
    cue: Cue | None = None
    said_on: str | None = None
    said_on_source: Literal["timex", "published", "recalled"] | None = None
    evidence: tuple[str, ...] = ()
    content: Span | None = None
    confidence: float | None = None

    @property
    def statement(self) -> Span:
        """The statement's full extent: ``content`` when known, else ``span``."""
        return self.content or self.span


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A temporal expression normalized to a TimeML value ("2020-10-22", "P1Y", "PAST_REF")."""

    span: Span
    value: str
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article and everything the pipeline found in it.

    ``text`` is the analysed text: for a text file exactly its decoded contents, for HTML the body
    extracted from the page. ``doc`` holds the parse (a spaCy ``Doc``) while the pipeline runs; it is
    not part of the record's contract and never serialized.
    """

    text: str
    source: str | None = None
    format: Literal["text", "html"] = "text"
    section: Span | None = None
    headline: Span | None = None
    headline_text: str | None = None
    byline: Span | None = None
    dateline: Span | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    published_evidence: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()
    quotes: tuple[Quote, ...] = ()
    actors: tuple[Actor, ...] = ()
    timex: tuple[TimeExpression, ...] = ()
    doc: Any = field(default=None, compare=False, repr=False)

    def evolve(self, **changes: Any) -> Article:
        """Return a copy with ``changes`` applied (components never mutate an article)."""
        return replace(self, **changes)

    def slice(self, span: Span) -> str:
        return span.text(self.text)

    def actor(self, actor_id: str | None) -> Actor | None:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        return None

    def body_paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.role == "body")

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (see README): names here change only with a migration note."""
        t = self.text
        return {
            "source": self.source,
            "text": t,
            "section": self.section.text(t) if self.section else None,
            "headline": self.headline.text(t) if self.headline else self.headline_text,
            "published": self.published,
            "published_source": self.published_source,
            "published_evidence": list(self.published_evidence),
            "byline": self.byline.to_dict(t) if self.byline else None,
            "dateline": self.dateline.to_dict(t) if self.dateline else None,
            "metadata": dict(self.metadata),
            "boilerplate": [{**b.span.to_dict(t), "kind": b.kind} for b in self.boilerplate],
            "paragraphs": [
                {"start": p.span.start, "end": p.span.end, "role": p.role} for p in self.paragraphs
            ],
            "quotes": [self._quote_dict(q) for q in self.quotes],
            "actors": [
                {
                    "id": a.id,
                    "name": a.name,
                    "type": a.type,
                    "roles": list(a.roles),
                    "mentions": [{**m.span.to_dict(t), "kind": m.kind} for m in a.mentions],
                }
                for a in self.actors
            ],
            "timex": [{**x.span.to_dict(t), "value": x.value, "type": x.type} for x in self.timex],
        }

    def _quote_dict(self, q: Quote) -> dict[str, Any]:
        t = self.text
        actor = self.actor(q.actor_id)
        cue = None
        if q.cue is not None:
            cue = {**q.cue.span.to_dict(t), "lemma": q.cue.lemma, "attitude": q.cue.attitude}
        return {
            "kind": q.kind,
            **q.span.to_dict(t),
            "speaker": {
                "name": actor.name if actor else None,
                "actor_id": q.actor_id,
                "mention": {**q.speaker.span.to_dict(t), "kind": q.speaker.kind} if q.speaker else None,
                "confidence": q.confidence,
            },
            "cue": cue,
            "content": q.statement.to_dict(t),
            "said_on": q.said_on,
            "said_on_source": q.said_on_source,
            "evidence": list(q.evidence),
        }


# Characters a JSON encoder may leave raw but that line-splitting readers (Python's str.splitlines,
# JavaScript before ES2019) treat as line ends: escaped so one record stays one line.
_LINE_BREAKERS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: Any) -> str:
    """One JSON Lines record: UTF-8 text kept readable, every line-ending character escaped."""
    import json

    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKERS)
