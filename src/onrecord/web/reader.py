"""The article reader: a stored article (text, offsets, judged quotes) -> marked text segments.

The text is cut at every stored offset into segments, each carrying the marks that cover it
(quote, speaker mention, cue, date, boilerplate). Segments hold plain text slices, never HTML: the
template escapes each one, so nothing an article contains can become markup.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from onrecord.queries import CONFIDENT

# Speaker colours in onrecord.css (c0 .. c11), each a light tint behind the quote (ink on it above
# 11:1) and a strong shade for the mention's rule and the speaker's numbered tag (white on it above
# 5:1). Past twelve speakers colours repeat; the tag's number never does, so colour plus number
# tells any two speakers of an article apart (a 33-speaker article gave two of them one colour).
PALETTE_SIZE = 12


@dataclass(slots=True)
class Layer:
    """One marked stretch of the text: its CSS classes, hover text, anchor, date value and tag."""

    start: int
    end: int
    classes: tuple[str, ...]
    title: str = ""
    anchor: str | None = None
    value: str | None = None
    tag: tuple[str, str] | None = None  # the speaker's number and colour, shown where a quote starts


@dataclass(slots=True)
class Marked:
    """An article's quotes (judged speakers, evidence) and the layers to draw over its text."""

    quotes: list[dict[str, Any]] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)


def speaker_numbers(quotes: list[dict[str, Any]]) -> dict[str | None, int]:
    """Each speaker's number in the article, 1, 2, ... in order of first appearance (the quotes come
    in text order); all unattributed quotes share one. Speaker n wears colour ``(n - 1) % PALETTE_SIZE``.
    """
    numbers: dict[str | None, int] = {}
    for quote in quotes:
        numbers.setdefault(quote["actor_id"] or quote["speaker"], len(numbers) + 1)
    return numbers


def _evidence(quote: dict[str, Any], found: dict[str, Any] | None, judged: bool) -> list[str]:
    chain = [str(e) for e in (found or {}).get("evidence", [])]
    mention = ((found or {}).get("speaker") or {}).get("mention")
    if mention and not judged:
        chain.insert(0, f"{mention['text']} -> {quote['speaker']}")
    if judged:
        chain.insert(0, f"speaker corrected by a person: {quote['speaker']}")
    return chain


def certainty(quote: dict[str, Any]) -> str:
    """``unattributed`` (no speaker), ``uncertain`` (a speaker below ``CONFIDENT``) or ``confident``
    (at or above it, or never scored)."""
    if not quote["actor_id"] and not quote["speaker"]:
        return "unattributed"
    confidence = quote.get("confidence")
    return "uncertain" if confidence is not None and confidence < CONFIDENT else "confident"


def speaker_label(quote: dict[str, Any]) -> str:
    """The speaker as the reader shows it: 'Dmitry Peskov', 'Peskov (uncertain, 0.32)', 'unattributed'."""
    kind = certainty(quote)
    if kind == "unattributed":
        return "unattributed"
    name = str(quote["speaker"] or quote["actor_id"])
    return f"{name} (uncertain, {quote['confidence']:.2f})" if kind == "uncertain" else name


def mark_quotes(stored: list[dict[str, Any]], analysis: dict[str, Any], local_ids: dict[str, str]) -> Marked:
    """The quote, mention and cue layers of an article, with each quote's evidence chain.

    Args:
        stored: the article's quote rows (speakers as judged), from ``reads.article_quotes``.
        analysis: the stored JSON contract record (for mentions, cues and evidence).
        local_ids: the article's own actor ids -> corpus actor ids.
    """
    by_span = {(q["start"], q["end"]): q for q in analysis.get("quotes", [])}
    numbers = speaker_numbers(stored)
    marked = Marked()
    for quote in stored:
        found = by_span.get((quote["start"], quote["end"]))
        speaker = (found or {}).get("speaker") or {}
        pipeline_id = local_ids.get(str(speaker.get("actor_id")))
        judged = found is not None and pipeline_id != quote["actor_id"]
        number = numbers[quote["actor_id"] or quote["speaker"]]
        colour = f"c{(number - 1) % PALETTE_SIZE}"
        chain = _evidence(quote, found, judged)
        kind, who = certainty(quote), speaker_label(quote)
        classes = (colour,) if kind == "confident" else (colour, kind)
        marked.quotes.append(
            {**quote, "colour": colour, "tag": number, "evidence": chain, "certainty": kind, "label": who}
        )
        scored = "" if quote.get("confidence") is None else f"\nspeaker confidence: {quote['confidence']:.2f}"
        title = f"{who} ({quote['kind']} quote #{quote['id']}){scored}" + "".join(f"\n{e}" for e in chain)
        marked.layers.append(
            Layer(
                quote["start"],
                quote["end"],
                ("quote", *classes),
                title,
                f"q{quote['id']}",
                tag=(str(number), colour),
            )
        )
        mention = speaker.get("mention")
        if mention and not judged:
            marked.layers.append(
                Layer(mention["start"], mention["end"], ("mention", *classes), f"speaker: {who}")
            )
        cue = (found or {}).get("cue")
        if cue:
            title = f"cue: {cue['lemma']} ({cue.get('attitude') or 'neutral'})"
            marked.layers.append(Layer(cue["start"], cue["end"], ("cue", colour), title))
    return marked


def other_layers(analysis: dict[str, Any]) -> list[Layer]:
    """Dates (with their normalized value) and boilerplate (dimmed)."""
    layers = [
        Layer(t["start"], t["end"], ("timex",), f"{t['type'].lower()}: {t['value']}", value=str(t["value"]))
        for t in analysis.get("timex", [])
    ]
    layers += [
        Layer(b["start"], b["end"], ("boilerplate",), f"boilerplate ({b.get('kind', '')})")
        for b in analysis.get("boilerplate", [])
    ]
    return layers


def segments(text: str, layers: list[Layer]) -> list[dict[str, Any]]:
    """The text cut at every layer edge; each piece with the classes, hover text and anchor over it."""
    size = len(text)
    usable = [
        layer for layer in layers if 0 <= layer.start < layer.end <= size
    ]  # an offset outside the text (a damaged row) is dropped, never trusted
    cuts = sorted({0, size, *(x.start for x in usable), *(x.end for x in usable)})
    pieces: list[dict[str, Any]] = []
    for start, end in itertools.pairwise(cuts):
        over = [x for x in usable if x.start <= start and x.end >= end]
        classes = sorted({c for x in over for c in x.classes})
        anchors = [x.anchor for x in over if x.anchor and x.start == start]
        tags = [x.tag for x in over if x.tag and x.start == start]
        pieces.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "classes": classes,
                "title": "\n".join(x.title for x in over if x.title),
                "anchor": anchors[0] if anchors else None,
                "tag": {"number": tags[0][0], "colour": tags[0][1]} if tags else None,
                "value": next((x.value for x in over if x.value), None),
            }
        )
    return pieces


def read_article(
    row: dict[str, Any], stored: list[dict[str, Any]], local_ids: dict[str, str]
) -> dict[str, Any]:
    """The reader's view of one article: its fields, judged quotes and marked segments."""
    analysis = json.loads(row["analysis"]) if row.get("analysis") else {}
    marked = mark_quotes(stored, analysis, local_ids)
    fields = {k: v for k, v in row.items() if k not in ("analysis", "text")}
    return {
        "article": fields,
        "text": row["text"],
        "quotes": marked.quotes,
        "segments": segments(row["text"], marked.layers + other_layers(analysis)),
        "published_evidence": analysis.get("published_evidence", []),
    }
