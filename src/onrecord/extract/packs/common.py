"""What the two attributors of the language packs share (``attribution`` over a parse,
``surface`` over tags): an actor under construction, positions in the text (inside a quotation, which
paragraph), speech opened by a dash, and speakers carried over from the statement before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from onrecord.model import Actor, ActorType, Gender, Mention, Quote, Span


@dataclass
class _Actor:
    name: str
    type: ActorType
    gender: Gender = "unknown"
    mentions: list[Mention] = field(default_factory=list)

    @property
    def id(self) -> str:
        return Actor.make_id(self.name, self.type)


class Places:
    """Where a character offset falls: inside a quotation, in which paragraph. Needs ``quoted`` and
    ``quote_starts`` (the quotations and their starts) and ``paragraphs`` and ``paragraph_starts``."""

    quoted: list[Span]
    quote_starts: list[int]
    paragraphs: list[Span]
    paragraph_starts: list[int]

    def _inside_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, char) - 1
        return i >= 0 and self.quoted[i].start <= char < self.quoted[i].end

    def _paragraph(self, char: int) -> int:
        i = bisect.bisect_right(self.paragraph_starts, char) - 1
        return i if i >= 0 and char < self.paragraphs[i].end else -1


def carry_speakers(
    quotes: list[Quote],
    text: str,
    paragraphs: list[Span],
    paragraph_of: Callable[[int], int],
    anaphoric: frozenset[str] = frozenset(),
    *,
    fallback: Callable[[Quote], Quote] | None = None,
) -> list[Quote]:
    """Speakers carried over from the statement before, in text order:

    * a statement with no speaker, with no cue or with a cue whose subject was not found ("Et
      d'ajouter : « … »", "«…», zanjó.", an unresolved pronoun), continues the last speaker of its
      paragraph, or of the paragraph before when it opens its own;
    * a source described as the one before ("selon cette source", "la même source", "dicha
      asociación") is the last statement's speaker;
    * ``fallback`` settles what is still unattributed (the pack's last resort).
    """
    out: list[Quote] = []
    last: tuple[int, Quote] | None = None
    for q in quotes:
        para = paragraph_of(q.span.start)
        mention = q.speaker
        if (
            q.actor_id is None
            and mention is not None
            and last is not None
            and anaphoric & set(mention.span.text(text).casefold().split())
        ):
            q = replace(
                q,
                speaker=Mention(mention.span, mention.kind, last[1].actor_id),
                actor_id=last[1].actor_id,
                evidence=("the source named before",),
            )
        if q.actor_id is None and last is not None:
            opens = para >= 0 and not text[paragraphs[para].start : q.span.start].strip()
            if last[0] == para or (last[0] == para - 1 and opens):
                q = replace(
                    q,
                    speaker=last[1].speaker,
                    actor_id=last[1].actor_id,
                    evidence=("continues the previous speaker",),
                )
        if q.actor_id is None and fallback is not None:
            q = fallback(q)
        if q.actor_id is not None:
            last = (para, q)
        out.append(q)
    return out


_DASHES = "—–"
_SPEECH_END = re.compile(r"(?<=[,!?…])\s*[—–]\s+|(?<=\.\.)[—–]\s+|(?<=[.:])\s+[—–]\s+")


def dash_speech(text: str, paragraphs: list[Span]) -> list[Span]:
    """Speech opened by a dash, without quotation marks, as Russian (and French fiction) writes
    dialogue: "— Мы надеемся, — сказал Песков. — Но решения нет." gives "Мы надеемся" and "Но
    решения нет."; the words between (", — сказал Песков.") are the narrator's."""
    found: list[Span] = []
    for para in paragraphs:
        body = text[para.start : para.end]
        lead = len(body) - len(body.lstrip())
        if not body[lead : lead + 1] or body[lead] not in _DASHES:
            continue
        at = para.start + lead + 1
        while at < para.end and text[at].isspace():
            at += 1
        speech = True
        for sep in _SPEECH_END.finditer(text, at, para.end):
            if speech:
                end = sep.start()
                if text[end - 1 : end] == ",":
                    end -= 1
                if end - at > 1:
                    found.append(Span(at, end))
            at = sep.end()
            speech = not speech
        if speech:
            end = len(text[: para.end].rstrip())
            if end - at > 1:
                found.append(Span(at, end))
    return found
