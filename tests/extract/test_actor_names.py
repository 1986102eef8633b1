"""Actor names: one name per country, no actor whose name is not a name (texts written for these tests)."""

from __future__ import annotations

from onrecord import analyze
from onrecord.extract.gazetteer import country
from onrecord.extract.name_evidence import foreign_script, main_script, only_numbers_or_dates, source_word
from onrecord.model import Article


def _actors(text: str) -> dict[str, str]:
    article = analyze(text, published="2024-03-05")
    return {a.name: a.type for a in article.actors}


def _speaker(article: Article, marker: str) -> str | None:
    at = article.text.index(marker)
    quote = next(q for q in article.quotes if q.span.start <= at < q.span.end)
    actor = article.actor(quote.actor_id)
    return actor.name if actor is not None else None


def test_gazetteer_gives_one_name_per_country() -> None:
    for form in ("US", "U.S.", "U.S", "USA", "America", "the States", "United States of America"):
        assert country(form) == "United States", form
    for form in ("UK", "Britain", "Great Britain", "United Kingdom"):
        assert country(form) == "United Kingdom", form
    assert country("Russian Federation") == country("Russia") == "Russia"
    assert country("us") is None and country("Latin America") is None and country("Moscow") is None


def test_us_u_s_and_america_are_one_actor() -> None:
    text = (
        "Port Talks\n\nThe US will send a delegation to the port talks, officials said on Monday. "
        '"We want a fair deal," the U.S. said in a note to the council. America has long sought '
        "access to the harbour, and the United States of America is its largest customer.\n"
    )
    article = analyze(text, published="2024-03-05")
    places = [a for a in article.actors if a.name == "United States"]
    assert len(places) == 1 and places[0].type == "place"
    assert len(places[0].mentions) >= 3
    assert not {"US", "U.S", "U.S.", "America"} & {a.name for a in article.actors}
    assert _speaker(article, "We want a fair deal") == "United States"


def test_a_devanagari_fragment_makes_no_actor() -> None:
    text = (
        "Village Market\n\nThe market opened on Sunday. One trader, Meera Das, said business was slow. "
        'She added in Hindi: "हम बहुत खुश हैं," चला रहे हैं लोग.\n'
    )
    actors = _actors(text)
    assert "Meera Das" in actors
    assert not any(foreign_script(name, "LATIN") for name in actors)
    assert main_script(text) == "LATIN"


def test_a_number_makes_no_actor() -> None:
    text = (
        "Court Ruling\n\nThe judge said the 36 must answer the charges in person. "
        '"No one is above the law," 36 said in a short note read out in court.\n'
    )
    actors = _actors(text)
    assert "36" not in actors
    assert only_numbers_or_dates("36") and only_numbers_or_dates("coming days")
    assert not only_numbers_or_dates("May", person=True) and not only_numbers_or_dates("63 percent")


def test_a_common_noun_is_no_speaker_but_an_unnamed_source_is() -> None:
    text = (
        "Depot Fire\n\nA fire was reported that “spread quickly through the depot”. "
        "Officials said the cause was not yet known. Critics said the depot had been warned.\n"
    )
    article = analyze(text, published="2024-03-05")
    names = {a.name for a in article.actors}
    assert "a fire" not in names and "A fire" not in names
    assert "officials" in names or "Officials" in names
    assert not source_word("vaccine") and not source_word("tourism")
    assert source_word("officials") and source_word("critics") and source_word("residents")


def test_unnamed_source_keeps_the_article_casing() -> None:
    text = 'Oil Deal\n\nThe talks ended. Officials in Tehran said "the deal is done".\n'
    assert _actors(text).get("officials in Tehran") == "group"
    # a word for people that is capitalised only because it opens the sentence is no one's name
    text = "Oil Deal\n\nRepresentatives said the deal would be signed next week.\n"
    assert _actors(text).get("representatives") == "group"


def test_rank_before_a_name_is_dropped() -> None:
    text = (
        "Training Camp\n\nThe move angered Browns DL Sheldon Richardson, who said it was unfair. "
        "Richardson said he would still play on Sunday.\n"
    )
    actors = _actors(text)
    assert actors.get("Sheldon Richardson") == "person"
    assert not any(name.startswith("Browns") for name in actors)


def test_a_platform_is_not_a_person() -> None:
    text = (
        "Account Ban\n\nTwitter said it had suspended the account on Friday. "
        "The company gave no reason, and Twitter did not answer questions from Anna Berg.\n"
    )
    actors = _actors(text)
    assert actors.get("Twitter") in (None, "organization")
    assert actors.get("Anna Berg") == "person"


def test_census_given_names_leave_out_places_words_and_surnames() -> None:
    from onrecord.extract.speaker_drafts import given_names

    names = given_names()
    assert names["tyrone"] == "male" and names["savannah"] == "female"
    for word in ("june", "will", "dallas", "washington", "tanner", "fallon", "judge"):
        assert word not in names, word


def test_a_surname_takes_the_full_name_the_tagger_misread() -> None:
    text = (
        "Harbour Vote\n\nAnother backer in the valley, Tyrone Pike, met the candidate years ago and "
        "liked him. ''I kind of ignore the speeches,'' said Mr. Pike, who runs a software firm.\n"
    )
    article = analyze(text, published="2024-03-05")
    assert _speaker(article, "ignore the speeches") == "Tyrone Pike"


def test_a_person_after_an_outlet_or_a_role_is_that_person() -> None:
    text = (
        "Wall Talks\n\nIn an interview with Fox News’ Sean Hannity on Monday night, the senator spoke "
        "about the border. “They said it’s negotiable,” Hannity said.\n"
    )
    article = analyze(text, published="2024-03-05")
    assert _speaker(article, "negotiable") == "Sean Hannity"
