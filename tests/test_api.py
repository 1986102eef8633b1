"""The Python API (onrecord.analyze) routes each article to its language's pipeline."""

from __future__ import annotations

import pytest

from onrecord import analyze
from onrecord.errors import InputError

HAFEN = (
    "Streit um den Hafen\n\nDer Bürgermeister Klaus Berger sagte am Montag, die Stadt werde den Hafen"
    " nicht verkaufen. „Das kommt nicht in Frage“, sagte er vor den Abgeordneten im Rathaus der Stadt.\n"
)
PORTO = (
    "Polemica sul porto\n\nIl sindaco ha detto lunedì che la città non venderà il porto. «Non se ne"
    " parla», ha affermato davanti ai consiglieri in municipio.\n"
)


def test_a_german_article_is_analysed_in_german() -> None:
    article = analyze(HAFEN)
    assert dict(article.metadata)["language"] == "de"
    names = {a.id: a.name for a in article.actors}
    assert {names[q.actor_id] for q in article.quotes if q.actor_id} == {"Klaus Berger"}


def test_an_article_in_a_language_without_a_pack_gets_its_structure_only() -> None:
    article = analyze(PORTO)
    assert dict(article.metadata)["language"] == "it" and article.quotes == ()
    assert article.paragraphs


def test_a_given_language_overrides_the_detected_one() -> None:
    article = analyze(HAFEN, language="en")
    assert dict(article.metadata)["language"] == "en"


def test_a_language_without_a_pack_given_by_name_is_refused() -> None:
    with pytest.raises(InputError, match="'xx' has no language pack"):
        analyze(HAFEN, language="xx")
