"""Actor vetting: Article with resolved speakers -> Article whose actors all have names that are names.

The speakers component builds actors from tagged entities (vetted there, ``name_evidence``) and
from the speaker mentions themselves: an unnamed source ("officials"), a name the tagger missed.
This last step vets every actor the same way, whichever step made it: none in another script
than the article's, of only numbers or dates, or headed by a word that cannot speak ("a fire");
countries under their one canonical name (``gazetteer``); persons without a rank before their name
and under the fullest form the article gives; unnamed sources in the article's own casing
("representatives from Iran", not "representatives from iran"). A statement whose speaker is
dropped is kept, unattributed, with the reason in its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from onrecord.extract.gazetteer import country
from onrecord.extract.name_evidence import (
    can_speak,
    foreign_script,
    main_script,
    only_numbers_or_dates,
    source_word,
    title_words,
    without_rank,
)
from onrecord.extract.speaker_drafts import given_names
from onrecord.extract.speaker_names import fold
from onrecord.model import Actor, ActorType, Article, Mention, Quote

_ARTICLES = ("the",)


@dataclass
class _Vetted:
    """Where the actors of one article went: old id -> new id, or the reason it was dropped."""

    to: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)


class ActorVetter:
    """Component: drops actors whose names are not names, merges a country's names into one actor."""

    requires = ("actors",)
    provides = ("vetted_actors",)

    def __call__(self, article: Article) -> Article:
        if not article.actors:
            return article
        script = main_script(article.text)
        vetted = _Vetted()
        persons = {fold(a.name): a for a in article.actors if a.type == "person" and len(a.name.split()) > 1}
        for actor in article.actors:
            reason, name, type_ = _verdict(actor, article, script)
            if reason:
                vetted.dropped[actor.id] = f"{actor.name}: {reason}"
                continue
            if type_ == "person":
                fuller = _fuller(name, persons)
                name = fuller.name if fuller is not None else name
            _keep(vetted, actor, name, type_)
        if (
            not vetted.dropped
            and all(old == new for old, new in vetted.to.items())
            and _same(article, vetted)
        ):
            return article
        quotes = tuple(_requote(q, vetted) for q in article.quotes)
        return article.evolve(quotes=quotes, actors=tuple(vetted.actors.values()))


def _verdict(actor: Actor, article: Article, script: str) -> tuple[str, str, ActorType]:
    """(why the actor is no actor, or ""; its name; its type)."""
    name, type_ = actor.name, actor.type
    if foreign_script(name, script):
        return "in another script than the article's", name, type_
    if only_numbers_or_dates(name, person=type_ == "person"):
        return "only numbers or dates", name, type_
    described = type_ == "person" and _capital_of_a_sentence(actor, article)
    if type_ == "person" and (described or not any(c.isupper() for c in name)):
        type_ = "group"  # "trump's doctors", "Representatives said": a description taken for a name
    if type_ == "group":
        name = _article_casing(actor, article, described) or name
        heads = _heads(actor, article)
        if heads and not any(can_speak(h) for h in heads):
            return "a common noun, not a source", name, type_
    if type_ != "person" or "." in name or name.isupper() or len(name.split()) > 1:
        place = country(name)
        if place is not None:
            return "", place, "place"
    if type_ == "person":
        name = name[without_rank(name) :]
    return "", name, type_


def _capital_of_a_sentence(actor: Actor, article: Article) -> bool:
    """Whether a one-word "person" is a word for people the article capitalises only where it opens
    a sentence ("Representatives said …", never "… Representatives …"): a description, not a name."""
    name = actor.name
    if len(name.split()) != 1 or not name[:1].isupper() or not source_word(name.casefold()):
        return False
    if name.casefold() in given_names():
        return False
    for mention in actor.mentions:
        token = _token_at(article, mention.span.start)
        if token is None or not token.is_sent_start:
            return False
    starts = {m.span.start for m in actor.mentions}
    return not any(
        (t := _token_at(article, m.start())) is not None and not t.is_sent_start
        for m in re.finditer(rf"\b{re.escape(name)}\b", article.text)
        if m.start() not in starts
    )


def _article_casing(actor: Actor, article: Article, lower_start: bool = False) -> str | None:
    """An unnamed source's name as the article writes it, without a leading "the" and without the
    capital a sentence start gave it ("Officials said": officials)."""
    for mention in actor.mentions:
        words = article.slice(mention.span).split()
        if words[:1] and words[0].casefold() in _ARTICLES:
            words = words[1:]
        text = " ".join(words)
        if not text or fold(text) != fold(actor.name):
            continue
        token = _token_at(article, mention.span.start + article.slice(mention.span).find(words[0]))
        if token is not None and token.is_sent_start and (lower_start or token.pos_ != "PROPN"):
            text = text[:1].lower() + text[1:]
        return text
    return None


def _token_at(article: Article, char: int) -> Any | None:
    doc = article.doc
    if doc is None:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _heads(actor: Actor, article: Article) -> list[Any]:
    """The head word of each of an actor's mentions (the parse's), for telling a source from a thing."""
    doc = article.doc
    if doc is None:
        return []
    heads = []
    for mention in actor.mentions:
        if mention.kind == "pronoun":
            continue  # "it" speaks for whatever it stands for: the description decides
        span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is not None and len(span):
            heads.append(span.root)
    return heads


def _fuller(name: str, persons: dict[str, Actor]) -> Actor | None:
    """The person an article names in full whose name ends this one ("Historian Darcy Richardson"
    is Darcy Richardson: the words before are a title the parse left in)."""
    words = name.split()
    for i in range(1, len(words) - 1):
        found = persons.get(fold(" ".join(words[i:])))
        if found is not None and title_words(words[:i]):
            return found
    return None


def _keep(vetted: _Vetted, actor: Actor, name: str, type_: ActorType) -> None:
    """Keep an actor under its vetted name, merged with one that has the same name and type."""
    new_id = actor.id if (name, type_) == (actor.name, actor.type) else Actor.make_id(name, type_)
    vetted.to[actor.id] = new_id
    linked = tuple(Mention(m.span, m.kind, new_id) for m in actor.mentions)
    same = vetted.actors.get(new_id)
    if same is None:
        vetted.actors[new_id] = replace(actor, id=new_id, name=name, type=type_, mentions=linked)
        return
    mentions = tuple(sorted({*same.mentions, *linked}, key=lambda m: (m.span.start, m.span.end)))
    roles = tuple(dict.fromkeys((*same.roles, *actor.roles)))
    gender = same.gender if same.gender != "unknown" else actor.gender
    vetted.actors[new_id] = replace(same, mentions=mentions, roles=roles, gender=gender)


def _same(article: Article, vetted: _Vetted) -> bool:
    """Whether vetting changed no actor at all (names and types as they were)."""
    return len(vetted.actors) == len(article.actors) and all(
        (a.name, a.type) == (vetted.actors[a.id].name, vetted.actors[a.id].type) for a in article.actors
    )


def _requote(quote: Quote, vetted: _Vetted) -> Quote:
    """A statement with its speaker's new id, or unattributed when its speaker was dropped."""
    old = quote.actor_id
    if old is None:
        return quote
    speaker = quote.speaker
    if old in vetted.dropped:
        line = f"speaker dropped: {vetted.dropped[old]}"
        if speaker is not None:
            speaker = replace(speaker, actor_id=None)
        return replace(
            quote, actor_id=None, speaker=speaker, confidence=None, evidence=(*quote.evidence, line)
        )
    new = vetted.to.get(old, old)
    if new == old:
        return quote
    if speaker is not None:
        speaker = replace(speaker, actor_id=new)
    return replace(quote, actor_id=new, speaker=speaker)
