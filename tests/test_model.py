"""The record model: frozen, offset-based, and serialised to the JSON contract."""

from __future__ import annotations

import dataclasses

import pytest

from onrecord.model import Actor, Article, Cue, Mention, Quote, Span


def test_span_rejects_negative_and_reversed() -> None:
    with pytest.raises(ValueError, match="bad span"):
        Span(5, 2)
    with pytest.raises(ValueError, match="bad span"):
        Span(-1, 2)


def test_records_are_frozen() -> None:
    article = Article(text="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.text = "y"  # type: ignore[misc]


def test_to_dict_slices_text_from_offsets() -> None:
    text = 'Peskov said "no".'
    actor_id = Actor.make_id("Dmitry Peskov", "person")
    mention = Mention(Span(0, 6), "name", actor_id)
    quote = Quote("partial", Span(12, 16), mention, actor_id, Cue(Span(7, 11), "say"))
    article = Article(
        text=text, quotes=(quote,), actors=(Actor(actor_id, "Dmitry Peskov", "person", (mention,)),)
    )
    data = article.to_dict()
    q = data["quotes"][0]
    assert (q["text"], q["cue"]["text"], q["speaker"]["mention"]["text"], q["speaker"]["name"]) == (
        '"no"',
        "said",
        "Peskov",
        "Dmitry Peskov",
    )
    assert "doc" not in data


def test_actor_ids_are_stable_across_articles() -> None:
    assert Actor.make_id("Dmitry Peskov", "person") == Actor.make_id("dmitry peskov", "person")
    assert Actor.make_id("Dmitry Peskov", "person") != Actor.make_id("Dmitry Peskov", "organization")
