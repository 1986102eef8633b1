"""The text digest: Article -> what a person reads in a terminal (headline, date, who said what)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from onrecord.model import Article, Quote

_SHORT = 220


def print_digest(article: Article, console: Console) -> None:
    """Headline, section and date, then each speaker with their statements in order."""
    text = article.text
    console.rule(escape(article.source or "article"))
    headline = article.headline.text(text) if article.headline else article.headline_text
    console.print(Text(headline or "(no headline)", style="bold"))
    facts = []
    if article.section:
        facts.append(f"section: {article.section.text(text)}")
    if article.published:
        facts.append(f"published: {article.published} ({article.published_source})")
    else:
        facts.append("published: unknown")
    facts.append(
        f"{len(article.quotes)} statements, {sum(1 for a in article.actors if a.type == 'person')} people"
    )
    console.print(Text(" · ".join(facts), style="dim"))
    if article.boilerplate:
        boiler = ", ".join(repr(b.span.text(text)) for b in article.boilerplate)
        console.print(Text(f"boilerplate: {boiler}", style="dim"))
    by_speaker: dict[str, list[Quote]] = {}
    for quote in article.quotes:
        actor = article.actor(quote.actor_id)
        by_speaker.setdefault(actor.name if actor else "(unattributed)", []).append(quote)
    for name, quotes in by_speaker.items():
        console.print()
        count = f"{len(quotes)} statement{'s' if len(quotes) != 1 else ''}"
        console.print(Text(f"{name}{_confidences(quotes)} — {count}", style="bold cyan"))
        for quote in quotes:
            console.print(_line(article, quote), soft_wrap=False)


def _confidences(quotes: list[Quote]) -> str:
    """' (0.93)', or ' (0.41–0.93)' for a speaker's statements scored differently; '' when unscored."""
    scores = [q.confidence for q in quotes if q.confidence is not None]
    if not scores:
        return ""
    low, high = f"{min(scores):.2f}", f"{max(scores):.2f}"
    return f" ({low})" if low == high else f" ({low}–{high})"


def _line(article: Article, quote: Quote) -> Text:
    body = " ".join(quote.span.text(article.text).split())
    if len(body) > _SHORT:
        body = body[: _SHORT - 1] + "…"
    cue = quote.cue.span.text(article.text) if quote.cue else "—"
    when = quote.said_on or "undated"
    scored = "" if quote.confidence is None else f", speaker {quote.confidence:.2f}"
    line = Text("  • ")
    line.append(f"[{quote.kind}, {cue}, {when}{scored}] ", style="dim")
    line.append(body)
    line.append(f"  @{quote.span.start}–{quote.span.end}", style="dim")
    return line
