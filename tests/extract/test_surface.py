"""The German pack: statements and speakers by surface patterns over HanTa's tags (extract/packs/surface.py).

Every text here was written for these tests.
"""

from __future__ import annotations

import pytest

from onrecord.model import Article, RawDocument
from onrecord.pipeline import analyse_routed


def _analyse(text: str) -> Article:
    article, language, analysed = analyse_routed(RawDocument(text), None)
    assert (language, analysed) == ("de", True)
    return article


def _said(article: Article) -> list[tuple[str, str, str | None]]:
    names = {a.id: a.name for a in article.actors}
    return [(q.kind, q.span.text(article.text), names.get(q.actor_id or "")) for q in article.quotes]


HAFEN = (
    "Streit um den Hafen der Stadt\n\n"
    "Die Bürgermeisterin Anna Keller hat am Montag den Verkauf des Hafens abgelehnt. "
    "„Der Hafen gehört den Bürgerinnen und Bürgern dieser Stadt“, sagte Keller vor dem Stadtrat. "
    "Sie betonte, die Stadt werde keinen Investor suchen. Das sei eine Frage der Verantwortung.\n\n"
    "Der Vorsitzende der Opposition, Markus Brandt, widersprach: "
    "„Ohne Geld verfällt der Hafen in wenigen Jahren.“ "
    "Laut Polizei verlief die Sitzung ruhig, auch wenn viele Zuschauer laut protestierten.\n\n"
    "„Wir werden das Thema im Herbst wieder aufnehmen und dann gemeinsam entscheiden“,"
    " so die Bürgermeisterin."
)


@pytest.fixture(scope="module")
def hafen() -> Article:
    return _analyse(HAFEN)


def test_a_quotation_with_its_cue_after_it_is_the_named_speakers(hafen: Article) -> None:
    said = _said(hafen)
    assert ("direct", "„Der Hafen gehört den Bürgerinnen und Bürgern dieser Stadt“", "Anna Keller") in said


def test_a_cue_verb_and_its_comma_report_the_clause_after_it(hafen: Article) -> None:
    assert ("indirect", "die Stadt werde keinen Investor suchen", "Anna Keller") in _said(hafen)


def test_a_sentence_in_reported_speech_continues_the_speaker_before(hafen: Article) -> None:
    assert ("indirect", "Das sei eine Frage der Verantwortung", "Anna Keller") in _said(hafen)


def test_a_colon_after_a_cue_gives_the_quotation_to_the_subject_named_in_apposition(hafen: Article) -> None:
    said = _said(hafen)
    assert ("direct", "„Ohne Geld verfällt der Hafen in wenigen Jahren.“", "Markus Brandt") in said


def test_laut_attributes_its_sentence_to_an_organisation(hafen: Article) -> None:
    found = [s for s in _said(hafen) if s[1].startswith("Laut Polizei")]
    assert found == [("indirect", found[0][1], "Polizei")]
    assert next(a for a in hafen.actors if a.name == "Polizei").type == "organization"


def test_a_role_after_so_is_the_person_it_was_given_to(hafen: Article) -> None:
    last = _said(hafen)[-1]
    assert last[0] == "direct" and last[2] == "Anna Keller"


def test_every_span_is_an_offset_into_the_input(hafen: Article) -> None:
    for q in hafen.quotes:
        assert HAFEN[q.span.start : q.span.end] == q.span.text(hafen.text)
        if q.speaker is not None:
            assert HAFEN[q.speaker.span.start : q.speaker.span.end] == q.speaker.span.text(hafen.text)


def test_a_pronoun_is_the_last_person_of_its_gender() -> None:
    article = _analyse(
        "Die Ministerin Julia Winter traf am Dienstag den Gewerkschafter Thomas Krüger. "
        "„Wir brauchen bessere Löhne für alle Beschäftigten im Land“, sagte er nach dem Treffen. "
        "„Darüber müssen wir in Ruhe und ohne Zeitdruck reden“, erklärte sie am Abend."
    )
    said = _said(article)
    assert said[0][2] == "Thomas Krüger" and said[1][2] == "Julia Winter"


def test_a_genitive_place_before_a_role_is_not_the_speaker() -> None:
    article = _analyse(
        "Die Lage auf dem Arbeitsmarkt hat sich verbessert. „Die Zahlen zeigen, dass sich die Mühe lohnt“,"
        " sagt Hessens Arbeitsministerin Heike Hofmann bei einem Besuch in Frankfurt."
    )
    assert [s[2] for s in _said(article)] == ["Heike Hofmann"]


def test_a_surname_the_tagger_takes_for_a_noun_is_the_person_named_before() -> None:
    article = _analyse(
        "Der Klimaforscher Andreas Fink hat die Daten der letzten Jahre untersucht. "
        "„Allerdings hängt der Effekt von jedem einzelnen Sturm und seiner Herkunft ab“, erklärt Fink."
    )
    assert [s[2] for s in _said(article)] == ["Andreas Fink"]


def test_a_short_quotation_without_a_cue_is_not_a_statement() -> None:
    article = _analyse(
        "Die Ausstellung „Neue Wege“ wurde am Freitag im Museum der Stadt eröffnet. Viele Besucher kamen."
    )
    assert article.quotes == ()


# -- Spanish: the same patterns over the pack's word lists (extract/packs/lexicon_tags.py) ----------

PUERTO = (
    "Polémica por el puerto de la ciudad\n\n"
    "El alcalde Jorge Martínez dijo el lunes que la ciudad no venderá el puerto a ningún inversor. "
    '"El puerto es de todos los vecinos y seguirá siéndolo", afirmó Martínez ante los concejales. '
    '"No hay nada más que hablar", zanjó.\n\n'
    "Según la Policía Local, la sesión transcurrió con normalidad a pesar de las protestas."
)


@pytest.fixture(scope="module")
def puerto() -> Article:
    article, language, analysed = analyse_routed(RawDocument(PUERTO), None)
    assert (language, analysed) == ("es", True)
    return article


def test_spanish_reported_clause_leaves_its_complementizer_out(puerto: Article) -> None:
    said = _said(puerto)
    assert ("indirect", "la ciudad no venderá el puerto a ningún inversor", "Jorge Martínez") in said


def test_spanish_quotation_with_its_cue_after_it(puerto: Article) -> None:
    said = _said(puerto)
    assert ("direct", '"El puerto es de todos los vecinos y seguirá siéndolo"', "Jorge Martínez") in said


def test_spanish_cue_with_no_subject_continues_the_speaker_before(puerto: Article) -> None:
    assert ("direct", '"No hay nada más que hablar"', "Jorge Martínez") in _said(puerto)


def test_spanish_segun_attributes_its_sentence(puerto: Article) -> None:
    found = [s for s in _said(puerto) if s[1].startswith("Según")]
    assert len(found) == 1 and found[0][0] == "indirect" and found[0][2] == "Policía Local"


def test_a_capitalised_headline_word_is_no_person() -> None:
    article = _analyse("Streit\n\n„Das kommt nicht in Frage, und dabei bleibt es auch“, sagte Anna Keller.\n")
    assert [(a.name, a.type) for a in article.actors] == [("Anna Keller", "person")]
