"""A hand-made store whose quotes carry speaker confidences (import, not conftest).

Built through ``Store`` from Articles made here, confidences set explicitly, so the tests of the
store, the read side, the CLI and the web app never depend on the model that computes them.
"""

from __future__ import annotations

from pathlib import Path

from onrecord.model import Actor, Article, Mention, Quote, Span
from onrecord.store.sqlite import ActorIdentity, Facts, Provenance, Store

PESKOV, RYABKOV = "p-peskov", "p-ryabkov"
SURE, UNSURE = 0.93, 0.32

# Four statements: Peskov, sure (0.93); Ryabkov, unsure (0.32); nobody (unattributed); and Peskov
# again, never scored (confidence None, as a quote stored before confidences).
PARTS = (
    ("Peskov said: ", '"We are ready to talk about the treaty."', "p-1", SURE),
    (" Ryabkov said: ", '"The treaty may lapse."', "p-2", UNSURE),
    (" It was said that ", '"nobody knows about the treaty."', None, None),
    (" Peskov added: ", '"An old word on the treaty."', "p-1", None),
)


def scored_article() -> tuple[Article, tuple[str | None, ...]]:
    """The article, and the fingerprint of each of its quotes."""
    text = ""
    mentions: dict[str, list[Mention]] = {"p-1": [], "p-2": []}
    quotes = []
    for lead, said, who, confidence in PARTS:
        speaker = None
        if who is not None:
            start = len(text) + len(lead) - len(lead.lstrip())
            speaker = Mention(Span(start, start + len(lead.split()[0])), "name", who)
            mentions[who].append(speaker)
        text += lead
        span = Span(len(text), len(text) + len(said))
        text += said
        quotes.append(Quote("direct", span, speaker, who, said_on="2020-10-22", confidence=confidence))
    actors = (
        Actor("p-1", "Dmitry Peskov", "person", tuple(mentions["p-1"]), ("spokesman",)),
        Actor("p-2", "Sergei Ryabkov", "person", tuple(mentions["p-2"])),
    )
    article = Article(text=text, published="2020-10-22", actors=actors, quotes=tuple(quotes))
    fingerprints = tuple(" ".join(article.slice(q.span).strip('"').lower().split()) for q in quotes)
    return article, fingerprints


def build_scored(folder: Path) -> Path:
    """A store holding the scored article, its actors resolved to PESKOV and RYABKOV."""
    db = folder / "scored.db"
    article, fingerprints = scored_article()
    facts = Facts(
        {"p-1": PESKOV, "p-2": RYABKOV},
        [
            ActorIdentity(PESKOV, "Dmitry Peskov", "person", "peskov", "dmitry"),
            ActorIdentity(RYABKOV, "Sergei Ryabkov", "person", "ryabkov", "sergei"),
        ],
        fingerprints=fingerprints,
    )
    prov = Provenance(
        key="https://a.example/scored", content_hash="h", input_hash="i", source="test",
        url="https://a.example/scored", outlet="Example News", pipeline_version="9.9",
    )  # fmt: skip
    with Store(db) as store:
        run = store.start_run("test", "9.9")
        store.add_article(article, prov, facts, run)
        store.finish_run(run, {})
    return db
