"""The French language pack: quotations, cues and speakers by patterns over the UD parse (sentences
written for these tests)."""

from __future__ import annotations

import pytest

from onrecord.ingest.document import from_text
from onrecord.model import Article
from onrecord.pipeline import analyze_raw

TEXT = (
    "Réforme des retraites\n\n"
    "Le ministre de l'Intérieur, Gérald Darmanin, s'est rendu lundi à Lyon. « Nous ne céderons pas »,"
    " a déclaré le ministre devant les élus. « La loi sera appliquée partout », a-t-il ajouté.\n\n"
    "« Ce texte est mauvais pour le pays et pour les salariés », a affirmé M. Darmanin plus tard.\n\n"
    "La Première ministre Élisabeth Borne a affirmé que la réforme serait appliquée dès septembre.\n\n"
    "Selon le syndicat CGT, la grève sera reconduite jusqu'à la fin du mois de juin.\n\n"
    "Elle a lu un article du quotidien « Le Monde » dans le train.\n"
)


@pytest.fixture(scope="module")
def article() -> Article:
    return analyze_raw(from_text(TEXT), "2023-03-06", "fr")


def _quote(article: Article, words: str):  # type: ignore[no-untyped-def]
    at = article.text.index(words)
    return next(q for q in article.quotes if q.span.start <= at < q.span.end)


def _speaker(article: Article, words: str) -> str | None:
    actor = article.actor(_quote(article, words).actor_id)
    return actor.name if actor is not None else None


def test_an_inverted_subject_after_the_quotation_is_the_speaker(article: Article) -> None:
    quote = _quote(article, "Nous ne céderons pas")
    assert quote.kind == "direct" and quote.cue is not None and quote.cue.lemma == "déclarer"
    assert _speaker(article, "Nous ne céderons pas") == "Gérald Darmanin"  # "le ministre", named so before


def test_an_inverted_pronoun_and_an_honorific_are_the_person_named_before(article: Article) -> None:
    assert _speaker(article, "La loi sera appliquée") == "Gérald Darmanin"  # "a-t-il ajouté"
    assert _speaker(article, "Ce texte est mauvais") == "Gérald Darmanin"  # "M. Darmanin"


def test_a_que_clause_is_an_indirect_statement_without_que(article: Article) -> None:
    quote = _quote(article, "la réforme serait appliquée")
    assert quote.kind == "indirect"
    assert article.text[quote.span.start : quote.span.end].startswith("la réforme serait appliquée")
    assert _speaker(article, "la réforme serait appliquée") == "Élisabeth Borne"


def test_selon_attributes_its_clause(article: Article) -> None:
    quote = _quote(article, "la grève sera reconduite")
    assert quote.kind == "indirect" and quote.cue is not None and quote.cue.lemma == "selon"
    assert "CGT" in (_speaker(article, "la grève sera reconduite") or "")


def test_a_quoted_title_is_no_statement(article: Article) -> None:
    at = article.text.index("« Le Monde »")
    assert not any(q.span.start <= at < q.span.end for q in article.quotes)


def test_every_span_points_into_the_text(article: Article) -> None:
    for quote in article.quotes:
        assert quote.span.text(article.text).strip()
        if quote.speaker is not None:
            assert quote.speaker.span.text(article.text).strip()
    for actor in article.actors:
        for mention in actor.mentions:
            assert mention.span.text(article.text).strip()


RUSSIAN = (
    "Переговоры в Кремле\n\n"
    "Пресс-секретарь президента Дмитрий Песков заявил журналистам, что Кремль надеется на продление"
    " договора.\n\n"
    "— Мы надеемся на лучшее, — сказал Песков. — Но решения пока нет.\n\n"
    "По словам Марии Захаровой, встреча министров состоится в четверг в Москве.\n"
)


@pytest.fixture(scope="module")
def russian() -> Article:
    return analyze_raw(from_text(RUSSIAN), "2024-03-05", "ru")


def test_russian_dash_dialogue_is_speech_with_its_speaker(russian: Article) -> None:
    quote = _quote(russian, "Мы надеемся на лучшее")
    assert quote.span.text(russian.text) == "Мы надеемся на лучшее"  # the speech itself, no dash, no comma
    assert quote.cue is not None and quote.cue.lemma == "сказать"
    assert _speaker(russian, "Мы надеемся на лучшее") == "Дмитрий Песков"
    assert _quote(russian, "Но решения пока нет").span.text(russian.text) == "Но решения пока нет."


def test_russian_names_are_given_in_the_nominative(russian: Article) -> None:
    quote = _quote(russian, "встреча министров состоится")
    assert quote.kind == "indirect" and quote.cue is not None and quote.cue.lemma == "по словам"
    assert _speaker(russian, "встреча министров состоится") == "Мария Захарова"  # "Марии Захаровой"


def test_russian_que_clause_is_indirect_speech_of_the_named_spokesman(russian: Article) -> None:
    quote = _quote(russian, "Кремль надеется на продление")
    assert quote.kind == "indirect"
    assert _speaker(russian, "Кремль надеется на продление") == "Дмитрий Песков"
