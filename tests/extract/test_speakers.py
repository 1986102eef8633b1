"""Speaker constructions, each with a short news-like example written for this test."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord import analyze


def quote_at(text: str, marker: str, published: str = "2024-05-02") -> dict[str, Any]:
    data = analyze(text, published=published).to_dict()
    start = text.index(marker)
    found = [q for q in data["quotes"] if q["start"] <= start < q["end"]]
    assert found, f"no statement covers {marker!r}: {[q['text'] for q in data['quotes']]}"
    return found[0]


def test_dash_form_after_quotation_with_non_breaking_space() -> None:
    text = (
        "Readers Respond\n\n“The plan will never work.”\xa0― Maria Lopez\xa0\n“It is a start.” ― Tom Reed\n"
    )
    assert quote_at(text, "The plan")["speaker"]["name"] == "Maria Lopez"
    assert quote_at(text, "It is a start")["speaker"]["name"] == "Tom Reed"


def test_nominal_cue_gives_possessor_as_speaker_and_clause_as_content() -> None:
    text = (
        "Fact Check\n\nThe site checked Senator Anna Berg's claim that there were “thousands of "
        "complaints” about the program last year.\n"
    )
    quote = quote_at(text, "thousands")
    assert quote["speaker"]["name"] == "Anna Berg"
    assert quote["cue"]["text"] == "claim"
    assert quote["content"]["text"].startswith("there were “thousands of complaints”")


def test_relative_pronoun_speaker_is_the_noun_it_qualifies() -> None:
    text = (
        "Budget Talks\n\nThe plan drew criticism from Marc Dubois, the head of the city's largest union, "
        "who said it was “a betrayal of every worker.”\n"
    )
    assert quote_at(text, "a betrayal")["speaker"]["name"] == "Marc Dubois"


def test_pronoun_agrees_in_gender_with_honorific() -> None:
    text = (
        "Council Vote\n\nMr. Harold Finch opened the meeting. Ms. Joan Watson then presented the report.\n\n"
        "“We cannot wait another year,” she said.\n"
    )
    assert quote_at(text, "We cannot wait")["speaker"]["name"] == "Joan Watson"


def test_pronoun_prefers_the_previous_speaker() -> None:
    text = (
        "Trade Talks\n\n“The tariffs will go,” Trade Minister Liu Wen said on Monday.\n\n"
        "He met his counterpart, Karl Vogt, in Geneva.\n\n“We made progress,” he added.\n"
    )
    assert quote_at(text, "We made progress")["speaker"]["name"] == "Liu Wen"


def test_title_resolves_to_the_person_given_that_role() -> None:
    text = (
        "Kremlin Comments\n\nKremlin spokesman Dmitry Peskov spoke on Thursday. President Joe Biden was "
        "in Delaware.\n\n“Trust is at a minimal level,” the Kremlin spokesman observed.\n"
    )
    quote = quote_at(text, "Trust is")
    assert quote["speaker"]["name"] == "Dmitry Peskov"
    assert quote["speaker"]["mention"]["text"] == "the Kremlin spokesman"


def test_a_document_speaks_for_its_author() -> None:
    text = (
        "Growth Outlook\n\nThe International Monetary Fund published its outlook on Tuesday.\n\n"
        "“The recovery remains fragile,” the IMF report said.\n"
    )
    assert quote_at(text, "The recovery")["speaker"]["name"] in ("International Monetary Fund", "IMF")


def test_capital_speaking_for_its_state() -> None:
    text = (
        "Arms Talks\n\nBeijing rejected the proposal, arguing that its arsenal is “very small in comparison”"
        " to those of Moscow and Washington.\n"
    )
    assert quote_at(text, "very small")["speaker"]["name"] == "China"


def test_unnamed_source_kept_as_group() -> None:
    text = "Leak Inquiry\n\n“Nobody expected this,” a senior official said on Friday.\n"
    quote = quote_at(text, "Nobody expected")
    assert quote["speaker"]["name"] == "a senior official"
    data = analyze(text).to_dict()
    assert {a["type"] for a in data["actors"] if a["name"] == "a senior official"} == {"group"}


def test_pieces_of_one_statement_share_its_content() -> None:
    text = "Museum Opens\n\n''A museum alone will not end poverty,'' he said. ''It will not end violence.''\n"
    first, second = quote_at(text, "A museum"), quote_at(text, "It will not")
    assert first["kind"] == second["kind"] == "direct"
    assert first["content"] == second["content"]
    assert first["content"]["text"].endswith("violence.''")


def test_quote_across_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Long Statement\n\n“The first part of the statement goes here.\n\n“And the second part ends it,” "
        "Mayor Ruth Adler said.\n"
    )
    quote = quote_at(text, "The first part")
    assert quote["end"] > text.index("ends it")
    assert quote["speaker"]["name"] == "Ruth Adler"


_MARKS = st.sampled_from(
    ["“", "”", '"', "'", "‘", "’", "«", "»", "„", "``", "''", " said ", " he ", ".", "\n\n"]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_MARKS, st.text(alphabet="abc XYZ", max_size=8)), max_size=40))
def test_no_text_crashes_the_analysis_and_spans_stay_inside(parts: list[str]) -> None:
    text = "Headline Here\n\n" + "".join(parts) + " Peskov said."
    data = analyze(text).to_dict()
    for quote in data["quotes"]:
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        assert text[quote["start"] : quote["end"]] == quote["text"]
        assert 0 <= quote["content"]["start"] <= quote["content"]["end"] <= len(text)
        if quote["speaker"]["mention"]:
            mention = quote["speaker"]["mention"]
            assert text[mention["start"] : mention["end"]] == mention["text"]


def test_organisation_description_resolves_to_the_organisation() -> None:
    text = (
        "Press Review\n\nThe Washington Post published the letter on Sunday.\n\n"
        "“The talks have stalled,” the influential US daily wrote.\n"
    )
    assert quote_at(text, "The talks")["speaker"]["name"] == "Washington Post"


def test_a_name_made_only_of_a_suffix_matches_nothing() -> None:
    from onrecord.extract.speakers import SpeakerResolver, _Draft

    drafts = [_Draft("person", ["Jr."]), _Draft("person", ["John Smith Jr."])]
    assert SpeakerResolver._match(drafts, "III", "person") is None
    assert SpeakerResolver._match(drafts, "Smith", "person") is drafts[1]


def test_a_capitalised_title_is_a_description_not_a_name() -> None:
    text = (
        "White House\n\nPresident Joe Biden met governors on Monday.\n\n"
        "“We will get this done,” The President said after the meeting.\n"
    )
    quote = quote_at(text, "We will get")
    assert quote["speaker"]["mention"]["kind"] == "description"
    assert quote["speaker"]["name"] == "Joe Biden"


def test_a_contrasting_modifier_picks_the_right_holder_of_a_role() -> None:
    text = (
        "Debate Night\n\nRepublican candidate Donald Trump spoke first. Democratic candidate Hillary Clinton "
        "answered.\n\n“We will win this state,” the Republican candidate said.\n"
    )
    assert quote_at(text, "We will win")["speaker"]["name"] == "Donald Trump"


def test_indefinite_description_is_a_new_unnamed_source_not_the_person_nearby() -> None:
    text = (
        "Plant Closure\n\nMayor Linda Ortiz toured the site on Friday. “We will find the workers new jobs,” "
        "Ortiz said.\n\n“Nobody told us anything until the gates were locked,” a spokesman for the "
        "workers' union said.\n"
    )
    speaker = quote_at(text, "Nobody told us")["speaker"]
    assert speaker["name"] == "a spokesman for the workers' union"
    assert quote_at(text, "We will find")["speaker"]["name"] == "Linda Ortiz"


def test_bare_plural_source_is_not_the_named_person() -> None:
    text = (
        "Harbor Plan\n\nGovernor Paul Reyes unveiled the harbor plan on Monday.\n\n"
        "“The numbers do not add up,” critics of the project said.\n"
    )
    assert quote_at(text, "numbers do not")["speaker"]["name"] != "Paul Reyes"


def test_definite_description_takes_up_the_unnamed_source_introduced_before() -> None:
    text = (
        "Budget Fight\n\nSenator Ruth Klein left the meeting early. “The deal is dead,” a Democratic "
        "committee aide said.\n\nThe talks resumed later. “They will be back on Monday,” the aide added.\n"
    )
    first = quote_at(text, "The deal is dead")["speaker"]
    second = quote_at(text, "They will be back")["speaker"]
    assert first["name"] == "democratic committee aide" or first["name"].endswith("committee aide")
    assert second["actor_id"] == first["actor_id"]
    assert second["name"] != "Ruth Klein"


def test_possessive_campaign_is_the_campaign_of_the_person_the_pronoun_stands_for() -> None:
    text = (
        "Race Tightens\n\nSenator Maria Gomez opened a new office in Reno. Her campaign said “we are "
        "gaining every day” in a note to donors.\n"
    )
    assert quote_at(text, "gaining every day")["speaker"]["name"] == "Maria Gomez campaign"


def test_every_attribution_carries_a_confidence_in_the_unit_interval() -> None:
    text = (
        "Council Vote\n\n“The vote is a disgrace,” Councilwoman Dana Price said on Tuesday.\n\n"
        "“We will appeal,” she added.\n"
    )
    for marker in ("The vote is", "We will appeal"):
        speaker = quote_at(text, marker)["speaker"]
        assert speaker["name"] == "Dana Price"
        assert 0.0 <= speaker["confidence"] <= 1.0


def test_a_plural_looking_surname_the_tagger_missed_stays_the_named_person() -> None:
    text = (
        "Congress\n\nThe historian Michele Swers studies women in Congress.\n\n"
        "“Women are still a minority,” Swers said.\n"
    )
    assert quote_at(text, "still a minority")["speaker"]["name"] == "Michele Swers"


def test_a_title_case_headline_is_no_evidence_that_a_common_noun_is_a_name() -> None:
    text = "Officials Say Talks Failed\n\nThe talks ended on Monday. “There is no deal,” officials said.\n"
    assert quote_at(text, "no deal")["speaker"]["name"] == "officials"


def test_a_state_legislators_title_is_not_part_of_the_name() -> None:
    text = "Race\n\nAssemblywoman Clara Tenby won on Tuesday. “We ran a clean race,” Tenby said.\n"
    assert quote_at(text, "clean race")["speaker"]["name"] == "Clara Tenby"
