"""Who said what on the seed and on small articles written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from onrecord import analyze
from onrecord.model import Article


def by_start(article: Article) -> dict[int, dict[str, Any]]:
    return {q["start"]: q for q in article.to_dict()["quotes"]}


def test_seed_direct_and_partial_quotes_with_exact_offsets(seed_article: Article) -> None:
    quotes = by_start(seed_article)
    # (start, end, kind, speaker, cue) from the seed's gold annotation
    expected = [
        (281, 322, "partial", "Vladimir Putin", "called on"),
        (696, 1078, "direct", "Dmitry Peskov", "said"),
        (1111, 1260, "partial", "Dmitry Peskov", "clarified"),
        (1916, 2113, "direct", "Dmitry Peskov", "said"),
        (2206, 2486, "direct", "Dmitry Peskov", "observed"),
        (3306, 3434, "direct", "Vladimir Putin", "asserted"),
        (3634, 3650, "partial", "Robert O’Brien", "announced"),
    ]
    for start, end, kind, speaker, cue in expected:
        quote = quotes[start]
        assert (quote["end"], quote["kind"], quote["speaker"]["name"], quote["cue"]["text"]) == (
            end,
            kind,
            speaker,
            cue,
        )
        assert seed_article.text[start] == '"'


def test_pronouns_and_titles_resolve_to_the_person(seed_article: Article) -> None:
    quotes = by_start(seed_article)
    assert quotes[1111]["speaker"]["mention"]["text"] == "He"
    assert quotes[2206]["speaker"]["mention"]["text"] == "the Kremlin spokesman"
    assert quotes[3306]["speaker"]["mention"]["text"] == "the Russian president"
    chain = " ".join(quotes[2206]["evidence"])
    assert "the Kremlin spokesman -> Dmitry Peskov" in chain


def test_indirect_speech(seed_article: Article) -> None:
    indirect = [q for q in seed_article.to_dict()["quotes"] if q["kind"] == "indirect"]
    found = {(q["speaker"]["name"], q["cue"]["text"]): q["text"] for q in indirect}
    assert found[("Dmitry Peskov", "said")].startswith("there is hope that Russian and American diplomats")
    assert found[("Dmitry Peskov", "added")].startswith("trust between the two world leaders")


def test_every_span_is_an_offset_into_the_text(seed_article: Article) -> None:
    data = seed_article.to_dict()
    text = data["text"]
    spans = list(data["quotes"]) + [q["cue"] for q in data["quotes"] if q["cue"]]
    spans += [q["speaker"]["mention"] for q in data["quotes"] if q["speaker"]["mention"]]
    spans += [m for a in data["actors"] for m in a["mentions"]] + data["boilerplate"] + data["timex"]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]


def test_actor_canonical_names_drop_titles(seed_article: Article) -> None:
    names = {a.name for a in seed_article.actors if a.type == "person"}
    assert {"Vladimir Putin", "Dmitry Peskov", "Donald Trump"} <= names
    peskov = next(a for a in seed_article.actors if a.name == "Dmitry Peskov")
    assert "spokesperson" in peskov.roles


ARTICLE = """Council Approves Bridge

The city council voted on Wednesday to build a bridge.

"This bridge joins two halves of our city," Mayor Helena Brandt said after the vote.

"It took us five years."

Opposition leader Jonas Weber called the plan "a vanity project" and said the money should go to schools.

According to Weber, the council ignored three reports.

Weber: "We will keep asking where every euro goes."

The word "bridge" appears in the city's "five-year plan" too.
"""


@pytest.fixture(scope="module")
def council() -> Article:
    return analyze(ARTICLE, published="2024-03-14")


def test_inverted_order_and_continuation(council: Article) -> None:
    quotes = by_start(council)
    first = quotes[ARTICLE.index('"This bridge')]
    assert first["speaker"]["name"] == "Helena Brandt" and first["kind"] == "direct"
    follow = quotes[ARTICLE.index('"It took us')]
    assert follow["speaker"]["name"] == "Helena Brandt"


def test_partial_quote_colon_form_and_according_to(council: Article) -> None:
    quotes = by_start(council)
    partial = quotes[ARTICLE.index('"a vanity project"')]
    assert partial["kind"] == "partial" and partial["speaker"]["name"] == "Jonas Weber"
    colon = quotes[ARTICLE.index('"We will keep')]
    assert colon["speaker"]["name"] == "Jonas Weber" and colon["cue"]["text"] == ":"
    according = [q for q in council.to_dict()["quotes"] if q["cue"] and q["cue"]["text"] == "According to"]
    assert according and according[0]["text"].startswith("the council ignored three reports")
    assert according[0]["speaker"]["name"] == "Jonas Weber"


def test_scare_quotes_are_not_statements(council: Article) -> None:
    texts = [q["text"] for q in council.to_dict()["quotes"]]
    assert '"bridge"' not in texts and '"five-year plan"' not in texts


def test_attribution_after_an_unquoted_clause_is_a_statement() -> None:
    from onrecord import analyze

    text = (
        "Flu Season\n\nThe vaccine works best when given early in the autumn, says the National Health "
        "Agency.\n\nCases rose by a third last week, the ministry said.\n\n"
        "The plant closed, hours after Governor Lin spoke to reporters.\n"
    )
    found = {q["content"]["text"]: q for q in analyze(text, published="2021-10-04").to_dict()["quotes"]}
    assert found["The vaccine works best when given early in the autumn"]["speaker"]["name"] == (
        "National Health Agency"
    )
    assert "Cases rose by a third last week" in found
    assert not any(t.startswith("The plant closed") for t in found)


def test_the_writers_own_first_person_narration_is_not_a_statement() -> None:
    from onrecord import analyze

    text = (
        "Notebook\n\nI have to say I was surprised by the size of the crowd.\n\n"
        "“I was surprised too,” said Ana Ruiz, who organised the march.\n"
    )
    quotes = analyze(text, published="2021-10-04").to_dict()["quotes"]
    assert [q["speaker"]["name"] for q in quotes] == ["Ana Ruiz"]
