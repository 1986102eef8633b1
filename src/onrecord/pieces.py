"""A long article analysed in bounded pieces, so ten times the text costs about ten times the time.

The steps that read the article as a whole and cost little (structure, publication date) run once
over the whole text. The text is then cut at paragraph boundaries into pieces of at most
:data:`PIECE_CHARS` characters. Each piece is analysed (parse, quotes, speakers, dates) together
with up to :data:`CONTEXT_CHARS` of the text before it, so a "he" or "the spokesman" can reach the
name a few sentences back, and :data:`TAIL_CHARS` after it, so an attribution after a quote at the
piece's end is found. Of each piece's analysis only what starts inside the piece itself is kept;
offsets are shifted back into the whole text, so every span still points at the input.

Actors are the same actor in every piece they appear in (an actor's id is made from its name and
type); a person named by surname alone in a later piece ("Pike") joins the person of that
surname the article named last before ("Tyrone Pike"), as within one piece.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from onrecord.model import Actor, Article, Boilerplate, Mention, Paragraph, Quote, Span, TimeExpression

PIECE_CHARS = 20_000  # the body text analysed at once
CONTEXT_CHARS = 4_000  # text before a piece given as context (a pronoun reaches about 6 sentences)
TAIL_CHARS = 1_500  # text after a piece given as context ('"…," the minister said.' at its end)

_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*\s+")
_SPACE = re.compile(r"\s+")

Analyse = Callable[[Article], Article]


def needs_pieces(text: str) -> bool:
    """Whether a text is long enough to be analysed in pieces."""
    return len(text) > PIECE_CHARS + PIECE_CHARS // 2


def ranges(text: str, paragraphs: Sequence[Span], size: int | None = None) -> list[tuple[int, int]]:
    """The pieces' own ranges: consecutive, covering the text, cut where a paragraph starts (or, in
    a paragraph longer than ``size``, after a sentence, else at a space), each at most about ``size``."""
    size = size or PIECE_CHARS
    starts = sorted({p.start for p in paragraphs if 0 < p.start < len(text)})
    cuts = [0]
    while len(text) - cuts[-1] > size:
        lo, hi = cuts[-1], cuts[-1] + size
        at = max((s for s in starts if lo + size // 4 < s <= hi), default=None)
        if at is None:
            at = _cut_inside(text, lo + size // 2, hi)
        cuts.append(at)
    cuts.append(len(text))
    return list(itertools.pairwise(cuts))


def _cut_inside(text: str, lo: int, hi: int) -> int:
    """A cut in ``text[lo:hi]``: after the last sentence end, else at the last space, else at ``hi``."""
    window = text[lo:hi]
    ends = list(_SENTENCE_END.finditer(window)) or list(_SPACE.finditer(window))
    return lo + ends[-1].end() if ends else hi


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch analysed for the piece ``[start, end)``: context before and after, cut at spaces."""
    before = max(0, start - CONTEXT_CHARS)
    if before > 0:
        space = text.find("\n", before, start)
        if space < 0:
            space = text.find(" ", before, start)
        before = space + 1 if space >= 0 else start
    after = min(len(text), end + TAIL_CHARS)
    if after < len(text):
        space = text.rfind(" ", end, after)
        after = space if space > end else end
    return before, after


def analyse_in_pieces(whole: Article, analyse: Analyse) -> Article:
    """Analyse ``whole`` (its structure and publication date already set) piece by piece with
    ``analyse`` (the pipeline's remaining steps) and merge the pieces into one article."""
    text = whole.text
    quotes: list[Quote] = []
    timex: list[TimeExpression] = []
    actors: dict[str, Actor] = {}
    for start, end in ranges(text, [p.span for p in whole.paragraphs]):
        lo, hi = _widen(text, start, end)
        done = analyse(_piece(whole, lo, hi))
        kept = [_shift_quote(q, lo) for q in done.quotes if start <= q.span.start + lo < end]
        quotes.extend(kept)
        timex.extend(
            replace(t, span=_shift(t.span, lo)) for t in done.timex if start <= t.span.start + lo < end
        )
        speakers = {q.speaker.span for q in kept if q.speaker is not None}
        wanted = {q.actor_id for q in kept}
        for actor in done.actors:
            mentions = [
                replace(m, span=_shift(m.span, lo))
                for m in actor.mentions
                if start <= m.span.start + lo < end or _shift(m.span, lo) in speakers
            ]
            if mentions or actor.id in wanted:
                _add(actors, replace(actor, mentions=tuple(mentions)))
    merged = _surnames(list(actors.values()), quotes)
    return whole.evolve(
        quotes=tuple(sorted(merged[1], key=lambda q: (q.span.start, q.span.end))),
        actors=tuple(a for a in merged[0] if a.mentions or any(q.actor_id == a.id for q in merged[1])),
        timex=tuple(sorted(timex, key=lambda t: t.span.start)),
        doc=None,
    )


def _piece(whole: Article, lo: int, hi: int) -> Article:
    """The article ``whole`` cut to ``[lo, hi)``, its structure carried over and shifted."""
    window = Span(lo, hi)

    def inside(span: Span | None) -> Span | None:
        return _shift(span, -lo) if span is not None and window.contains(span) else None

    paragraphs = tuple(
        Paragraph(Span(max(p.span.start, lo) - lo, min(p.span.end, hi) - lo), p.role)
        for p in whole.paragraphs
        if p.span.overlaps(window)
    )
    boilerplate = tuple(
        Boilerplate(_shift(b.span, -lo), b.kind) for b in whole.boilerplate if window.contains(b.span)
    )
    return whole.evolve(
        text=whole.text[lo:hi],
        section=inside(whole.section),
        headline=inside(whole.headline),
        byline=inside(whole.byline),
        dateline=inside(whole.dateline),
        paragraphs=paragraphs,
        boilerplate=boilerplate,
        quotes=(),
        actors=(),
        timex=(),
        doc=None,
    )


def _shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by)


def _shift_quote(quote: Quote, by: int) -> Quote:
    speaker = replace(quote.speaker, span=_shift(quote.speaker.span, by)) if quote.speaker else None
    cue = replace(quote.cue, span=_shift(quote.cue.span, by)) if quote.cue else None
    content = _shift(quote.content, by) if quote.content else None
    return replace(quote, span=_shift(quote.span, by), speaker=speaker, cue=cue, content=content)


def _add(actors: dict[str, Actor], actor: Actor) -> None:
    """Merge ``actor`` into the one of the same id seen in an earlier piece."""
    known = actors.get(actor.id)
    if known is None:
        actors[actor.id] = actor
        return
    spans = {m.span for m in known.mentions}
    mentions = (*known.mentions, *(m for m in actor.mentions if m.span not in spans))
    actors[actor.id] = replace(
        known,
        mentions=tuple(sorted(mentions, key=lambda m: m.span.start)),
        roles=tuple(dict.fromkeys((*known.roles, *actor.roles))),
        gender=known.gender if known.gender != "unknown" else actor.gender,
    )


def _surnames(actors: list[Actor], quotes: list[Quote]) -> tuple[list[Actor], list[Quote]]:
    """A person a piece names by one word only ("Obama") joins the person of a fuller name ending
    with that word ("Barack Obama", of gender not in conflict): the one mentioned last before it,
    else the first one named after it, as the rules do within one piece."""
    full: dict[str, list[Actor]] = {}
    for a in actors:
        words = a.name.split()
        if a.type == "person" and len(words) > 1:
            full.setdefault(words[-1].casefold(), []).append(a)
    into: dict[str, str] = {}
    for a in actors:
        if a.type != "person" or " " in a.name or not a.mentions:
            continue
        first = _first(a)
        fits = [
            f
            for f in full.get(a.name.casefold(), [])
            if f.mentions and ("unknown" in (a.gender, f.gender) or a.gender == f.gender)
        ]
        before = [
            (max(m.span.start for m in f.mentions if m.span.start < first), f.id)
            for f in fits
            if _first(f) < first
        ]
        if before:
            into[a.id] = max(before)[1]
        elif fits:
            into[a.id] = min(fits, key=_first).id
    if not into:
        return actors, quotes
    by_id = {a.id: a for a in actors if a.id not in into}
    for a in actors:
        if a.id in into:
            target = into[a.id]
            _add(by_id, replace(a, id=target, mentions=tuple(_moved(a.mentions, target))))
    return list(by_id.values()), [_requote(q, into) for q in quotes]


def _first(actor: Actor) -> int:
    return min(m.span.start for m in actor.mentions)


def _moved(mentions: Sequence[Mention], actor_id: str) -> list[Mention]:
    return [replace(m, actor_id=actor_id) for m in mentions]


def _requote(quote: Quote, into: dict[str, str]) -> Quote:
    target = into.get(quote.actor_id or "")
    if target is None:
        return quote
    speaker = replace(quote.speaker, actor_id=target) if quote.speaker else None
    return replace(quote, actor_id=target, speaker=speaker)
