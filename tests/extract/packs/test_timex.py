"""Time expressions of the language packs: exact spans and TimeML values (text in, TimeExpressions
out), and statements dated by them through a pack's pipeline (sentences written for these tests)."""

from __future__ import annotations

import itertools

import pytest

from onrecord.errors import OnrecordError
from onrecord.extract.packs import PACKS
from onrecord.extract.packs.timex import PackTimeExpressions, find_pack_timex, grammar
from onrecord.ingest.document import from_text
from onrecord.model import Article, Boilerplate, Span
from onrecord.pipeline import for_language

ANCHOR = "2024-10-24"  # a Thursday


def tagged(code: str, text: str, anchor: str | None = ANCHOR) -> list[tuple[int, int, str]]:
    return [(x.span.start, x.span.end, x.value) for x in find_pack_timex(text, anchor, code)]


def expect(code: str, text: str, surface: str, value: str) -> None:
    """``surface`` (its first occurrence in ``text``) is tagged with exactly that span and value."""
    start = text.index(surface)
    found = tagged(code, text)
    assert (start, start + len(surface), value) in found, (surface, [(text[s:e], v) for s, e, v in found])


FRENCH = [
    ("Le ministre a parlé le 22 octobre devant les élus.", "le 22 octobre", "2024-10-22"),
    ("La loi date du 22 octobre 2024.", "22 octobre 2024", "2024-10-22"),
    ("Le ministre a parlé jeudi à Lyon.", "jeudi", "2024-10-24"),
    ("Le ministre a parlé lundi à Lyon.", "lundi", "2024-10-21"),
    ("Le ministre parlera lundi à Lyon.", "lundi", "2024-10-28"),  # the future tense points ahead
    ("Il est venu jeudi dernier.", "jeudi dernier", "2024-10-17"),
    ("Il viendra jeudi prochain.", "jeudi prochain", "2024-10-31"),
    ("Le ministre a parlé ce lundi.", "ce lundi", "2024-10-21"),  # the publication's week
    ("Hier, il a dit non.", "Hier", "2024-10-23"),
    ("Aujourd’hui, il dit oui.", "Aujourd’hui", "2024-10-24"),
    ("Il répondra demain.", "demain", "2024-10-25"),
    ("Hier soir, il a chanté.", "Hier soir", "2024-10-23TEV"),
    ("La semaine dernière, il était à Paris.", "La semaine dernière", "2024-W42"),
    ("Il était à Paris la semaine dernière.", "la semaine dernière", "2024-W42"),
    ("En 2023, la croissance était faible.", "En 2023", "2023"),  # opens the sentence: kept
    ("La croissance était faible en 2023.", "2023", "2023"),  # "en" left out
    ("Il est parti en mars.", "mars", "2024-03"),
    ("Il a parlé en mars dernier.", "mars dernier", "2024-03"),
    ("Lundi 21 octobre, il a parlé.", "Lundi 21 octobre", "2024-10-21"),
    ("Il a parlé lundi 3 mars.", "lundi 3 mars", "2024-03-03"),
    ("Le 1er janvier, la loi changera.", "Le 1er janvier", "2025-01-01"),
    ("Les prix ont monté à la mi-octobre.", "mi-octobre", "2024-10"),
    ("Il a parlé il y a deux jours.", "il y a deux jours", "2024-10-22"),
    ("Il partira dans trois semaines.", "dans trois semaines", "2024-W46"),
]
RUSSIAN = [
    ("Министр выступил 22 октября.", "22 октября", "2024-10-22"),
    ("Договор подписан 22 октября 2024 года.", "22 октября 2024 года", "2024-10-22"),
    ("Песков заявил в четверг, что надежда есть.", "четверг", "2024-10-24"),
    ("В среду министр выступил в Москве.", "В среду", "2024-10-23"),
    ("Министр выступил в пятницу.", "пятницу", "2024-10-18"),
    ("Встреча состоится в пятницу.", "пятницу", "2024-10-25"),  # "состоится" points ahead
    ("В прошлую пятницу он выступил.", "В прошлую пятницу", "2024-10-18"),
    ("Вчера министр выступил.", "Вчера", "2024-10-23"),
    ("Министр сегодня молчит.", "сегодня", "2024-10-24"),
    ("Министр выступит завтра.", "завтра", "2024-10-25"),
    ("Министр был в Москве на прошлой неделе.", "прошлой неделе", "2024-W42"),
    ("На прошлой неделе министр был в Москве.", "На прошлой неделе", "2024-W42"),
    ("Рост был слабым в 2023 году.", "2023 году", "2023"),
    ("Санкции действуют с 2014 года.", "2014 года", "2014"),
    ("В марте рост ускорился.", "В марте", "2024-03"),
    ("Рост ускорился в марте.", "марте", "2024-03"),  # prepositional
    ("Это произошло в начале марта.", "начале марта", "2024-03"),  # genitive
    ("Два дня назад он вернулся.", "Два дня назад", "2024-10-22"),
]
GERMAN = [
    ("Der Minister sagte am Donnerstag, er sei zufrieden.", "Donnerstag", "2024-10-24"),
    ("Am Donnerstag sagte der Minister, er sei zufrieden.", "Am Donnerstag", "2024-10-24"),
    ("Der Vertrag wurde am 22. Oktober unterzeichnet.", "22. Oktober", "2024-10-22"),
    ("Der Vertrag ist vom 22. Oktober 2024.", "22. Oktober 2024", "2024-10-22"),
    ("Gestern hat er gesprochen.", "Gestern", "2024-10-23"),
    ("Er schweigt heute.", "heute", "2024-10-24"),
    ("Er wird morgen reden.", "morgen", "2024-10-25"),
    ("Heute Morgen regnete es.", "Heute Morgen", "2024-10-24TMO"),
    ("Vergangene Woche war er in Berlin.", "Vergangene Woche", "2024-W42"),
    ("Er kam letzten Freitag zurück.", "letzten Freitag", "2024-10-18"),
    ("Er kam am vergangenen Freitag zurück.", "vergangenen Freitag", "2024-10-18"),
    ("Die Zahl stieg im März.", "März", "2024-03"),
    ("Im März stieg die Zahl.", "Im März", "2024-03"),
    ("Im Jahr 2023 stieg die Zahl.", "Im Jahr 2023", "2023"),
    ("Er ist seit 2023 Minister.", "2023", "2023"),
    ("Das Treffen wird am Freitag stattfinden.", "Freitag", "2024-10-25"),
    ("Er kam vor zwei Tagen.", "vor zwei Tagen", "2024-10-22"),
]
SPANISH = [
    ("El ministro habló el 22 de octubre.", "el 22 de octubre", "2024-10-22"),
    ("El ministro habló el 22 de octubre de 2024.", "el 22 de octubre de 2024", "2024-10-22"),
    ("El jueves, el ministro afirmó que todo va bien.", "El jueves", "2024-10-24"),
    ("El ministro habló el martes.", "el martes", "2024-10-22"),
    ("La reunión será el viernes.", "el viernes", "2024-10-25"),
    ("El jueves pasado llegó.", "El jueves pasado", "2024-10-17"),
    ("El próximo jueves se reunirán.", "El próximo jueves", "2024-10-31"),
    ("Ayer el presidente habló.", "Ayer", "2024-10-23"),
    ("El presidente calla hoy.", "hoy", "2024-10-24"),
    ("El presidente hablará mañana.", "mañana", "2024-10-25"),
    ("Mañana por la mañana lloverá.", "Mañana por la mañana", "2024-10-25TMO"),
    ("La semana pasada estuvo en Madrid.", "La semana pasada", "2024-W42"),
    ("La economía creció poco en 2023.", "2023", "2023"),
    ("En 2023 creció poco.", "En 2023", "2023"),
    ("La inflación subió en marzo.", "marzo", "2024-03"),
    ("Llegó hace dos días.", "hace dos días", "2024-10-22"),
]


@pytest.mark.parametrize(("text", "surface", "value"), FRENCH)
def test_french(text: str, surface: str, value: str) -> None:
    expect("fr", text, surface, value)


@pytest.mark.parametrize(("text", "surface", "value"), RUSSIAN)
def test_russian(text: str, surface: str, value: str) -> None:
    expect("ru", text, surface, value)


@pytest.mark.parametrize(("text", "surface", "value"), GERMAN)
def test_german(text: str, surface: str, value: str) -> None:
    expect("de", text, surface, value)


@pytest.mark.parametrize(("text", "surface", "value"), SPANISH)
def test_spanish(text: str, surface: str, value: str) -> None:
    expect("es", text, surface, value)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("fr", "Elle compte 2023 habitants."),  # a number, not a year
        ("fr", "La planète Mars est rouge."),  # a bare month needs a preposition
        ("fr", "Il a rencontré Mai Nguyen à Hanoï."),  # "Mai" inside a sentence is a name, not "mai"
        ("ru", "В городе живут 2023 человека."),
        ("ru", "Это важно для окружающей среды."),  # "среда", the environment
        ("de", "Am Morgen war es kalt."),  # "Morgen" the morning
        ("de", "Jeden Morgen joggt er."),
        ("de", "Morgen wird es warm."),  # capitalized: left out (lower-case "morgen" only)
        ("de", "Es kamen 2023 Menschen."),  # no year context
        ("de", "August Müller kam spät."),  # a name, not the month
        ("es", "Por la mañana llovió."),  # "la mañana", the morning
        ("es", "Cada mañana corre."),
        ("es", "Llegaron 2023 personas."),
        ("es", "Plácido Domingo cantó."),
    ],
)
def test_not_time_expressions(code: str, text: str) -> None:
    assert tagged(code, text) == []


def test_mai_the_month_in_french_and_german() -> None:
    expect("fr", "Il est parti en mai.", "mai", "2024-05")
    expect("de", "Er ging im Mai.", "Mai", "2024-05")
    assert tagged("de", "Er ging im mai.") == []  # a German month is written with a capital


def test_spans_are_offsets_into_the_text() -> None:
    for code, cases in (("fr", FRENCH), ("ru", RUSSIAN), ("de", GERMAN), ("es", SPANISH)):
        text = " ".join(t for t, _, _ in cases)
        found = find_pack_timex(text, ANCHOR, code)
        assert found
        for x in found:
            piece = text[x.span.start : x.span.end]
            assert piece == piece.strip() and piece, (code, piece)
        assert [x.span.start for x in found] == sorted(x.span.start for x in found)
        assert all(a.span.end <= b.span.start for a, b in itertools.pairwise(found))


def test_without_a_publication_date_values_are_underspecified() -> None:
    text = "Le ministre a parlé jeudi, le 22 octobre et hier."
    assert [v for _, _, v in tagged("fr", text, None)] == ["XXXX-WXX-4", "XXXX-10-22", "PAST_REF"]


def test_component_skips_boilerplate_and_keeps_the_rest() -> None:
    text = "Mis à jour hier\n\nLe ministre a parlé jeudi."
    article = Article(text=text, published=ANCHOR, boilerplate=(Boilerplate(Span(0, 15), "interface"),))
    done = PackTimeExpressions("fr")(article)
    assert [(article.slice(x.span), x.value) for x in done.timex] == [("jeudi", "2024-10-24")]


@pytest.mark.parametrize(
    ("code", "text", "surface", "value"),
    [
        ("de", "Gestern sagte der Minister, er sei zufrieden.", "Gestern", "2024-10-23"),
        ("es", "Ayer el ministro dijo que todo va bien.", "Ayer", "2024-10-23"),
    ],
)
def test_component_over_a_plain_article(code: str, text: str, surface: str, value: str) -> None:
    done = PackTimeExpressions(code)(Article(text=text, published=ANCHOR))
    assert [(done.slice(x.span), x.value) for x in done.timex] == [(surface, value)]


def test_a_language_without_time_words_says_what_to_add() -> None:
    with pytest.raises(OnrecordError, match=r"timex\.tsv"):
        grammar("xx")


# --- statements dated through a pack's pipeline (German and Spanish when their packs are registered) ---


def _quote_at(article: Article, words: str):  # type: ignore[no-untyped-def]
    at = article.text.index(words)
    return next(q for q in article.quotes if q.span.start <= at < q.span.end)


def test_french_statement_dated_by_hier() -> None:
    text = (
        "Sommet à Lyon\n\n"
        "Jeudi, le sommet qui sera historique s'est ouvert à Lyon.\n\n"
        "« Nous ne céderons pas », a déclaré hier le ministre devant les élus."
        " Le ministre a affirmé que la loi sera appliquée.\n"
    )
    article = for_language("fr")(from_text(text), ANCHOR)
    dated = _quote_at(article, "Nous ne céderons pas")
    assert (dated.said_on, dated.said_on_source) == ("2024-10-23", "timex")
    undated = _quote_at(article, "la loi sera appliquée")
    assert (undated.said_on, undated.said_on_source) == (ANCHOR, "published")
    # The parse reads "s'est ouvert" (past) where the nearest cue word, "sera", would say future.
    opening = next(x for x in article.timex if article.slice(x.span) == "Jeudi")
    assert opening.value == "2024-10-24"


def test_russian_statement_dated_by_vchera() -> None:
    text = (
        "Переговоры в Кремле\n\n"
        "Вчера Песков заявил журналистам, что Кремль надеется на продление договора.\n\n"
        "По словам Марии Захаровой, встреча министров состоится в четверг в Москве.\n"
    )
    article = for_language("ru")(from_text(text), ANCHOR)
    dated = _quote_at(article, "Кремль надеется")
    assert (dated.said_on, dated.said_on_source) == ("2024-10-23", "timex")
    meeting = next(x for x in article.timex if article.slice(x.span) == "четверг")
    assert meeting.value == "2024-10-31"  # "состоится": ahead, and not the publication day itself


@pytest.mark.skipif("de" not in PACKS, reason="no German pack registered")
def test_german_statement_dated_by_gestern() -> None:
    text = "Streit um die Rente\n\n„Wir werden nicht nachgeben“, sagte der Minister gestern in Berlin.\n"
    article = for_language("de")(from_text(text), ANCHOR)
    dated = _quote_at(article, "Wir werden nicht nachgeben")
    assert (dated.said_on, dated.said_on_source) == ("2024-10-23", "timex")


@pytest.mark.skipif("es" not in PACKS, reason="no Spanish pack registered: its time words are tested above")
def test_spanish_statement_dated_by_ayer() -> None:
    text = "Debate en Madrid\n\n«No vamos a ceder», dijo ayer el ministro en Madrid.\n"
    article = for_language("es")(from_text(text), ANCHOR)
    dated = _quote_at(article, "No vamos a ceder")
    assert (dated.said_on, dated.said_on_source) == ("2024-10-23", "timex")
