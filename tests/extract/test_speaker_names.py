"""Speaker names: nicknames, surnames shared or misspelt, acronyms, campaigns (examples written for
these tests)."""

from __future__ import annotations

from typing import Any

from onrecord import analyze
from onrecord.extract.speaker_names import acronym, nicknames, one_edit_apart


def quote_at(text: str, marker: str) -> dict[str, Any]:
    data = analyze(text, published="2024-05-02").to_dict()
    start = text.index(marker)
    found = [q for q in data["quotes"] if q["start"] <= start < q["end"]]
    assert found, f"no statement covers {marker!r}: {[q['text'] for q in data['quotes']]}"
    return found[0]


def test_nickname_inside_a_full_name_is_one_person_with_the_full_name() -> None:
    text = (
        'Harbor Bill\n\nRep. Thomas J. "Tommy" Ward hosted a picnic for supporters on Sunday.\n\n'
        "Supporters chanted for Tommy Ward as the band played.\n\n"
        '"We will fix the harbor this year," Ward said.\n\n'
        '"The money is already there," he added.\n'
    )
    assert quote_at(text, "We will fix")["speaker"]["name"] == "Thomas J. Ward"
    assert quote_at(text, "The money")["speaker"]["name"] == "Thomas J. Ward"
    data = analyze(text).to_dict()
    assert [a["name"] for a in data["actors"] if "Ward" in a["name"]] == ["Thomas J. Ward"]


def test_nicknames_reads_given_name_initial_nickname_and_surname() -> None:
    (found,) = nicknames('Sen. Robert C. "Bobby" Scott spoke.')
    assert (found.full, found.alias, found.nick) == ("Robert C. Scott", "Bobby Scott", "Bobby")


def test_a_surname_two_people_share_goes_to_the_one_who_is_the_subject() -> None:
    text = (
        "Health Care\n\nFormer President Bill Clinton criticized the law on Monday at a rally for his "
        "wife Hillary Clinton.\n\n“The model does not work here,” Clinton said.\n"
    )
    assert quote_at(text, "The model")["speaker"]["name"] == "Bill Clinton"


def test_a_surname_two_people_share_goes_to_the_article_topic_when_neither_was_a_subject() -> None:
    text = (
        "Old Records\n\nQuestions about Hillary Clinton's health records go back years, to the "
        "presidency of Bill Clinton.\n\n“I felt fine the whole time,” Clinton wrote in her memoir.\n"
    )
    assert quote_at(text, "I felt fine")["speaker"]["name"] == "Hillary Clinton"


def test_a_full_name_only_the_headline_gives_completes_the_surname() -> None:
    text = (
        "Maria Gonzalez Attacks Tax Plan\n\nThe plan drew fire on Tuesday.\n\n"
        "“It helps nobody who works for a living,” Gonzalez said.\n"
    )
    assert quote_at(text, "It helps nobody")["speaker"]["name"] == "Maria Gonzalez"


def test_a_surname_misspelt_once_is_the_same_person() -> None:
    text = (
        "Rally Voices\n\nAmong the voters was Denise McAllister, a teacher from Ohio.\n\n"
        "McAlister said the speech was long.\n\n“I came for the music,” she said.\n"
    )
    assert quote_at(text, "I came for")["speaker"]["name"] == "Denise McAllister"
    assert one_edit_apart("mcallister", "mcalister")
    assert not one_edit_apart("mcallister", "mcallistr0x")


def test_an_acronym_is_the_organisation_it_abbreviates() -> None:
    assert acronym("International Monetary Fund") == "imf"
    assert acronym("Democratic National Committee") == "dnc"
    assert acronym("Fund") == ""
    text = (
        "Outlook\n\nThe World Trade Organization cut its forecast on Tuesday.\n\n"
        "“Trade will grow more slowly this year,” the WTO said.\n"
    )
    assert quote_at(text, "Trade will grow")["speaker"]["name"] == "World Trade Organization"


def test_a_parenthetical_after_the_name_is_not_the_speaker() -> None:
    text = (
        'Senate Race\n\n"He would be a great senator. Not good, great. One of the brightest members of '
        'the whole House," Rep. Alan Brooks (D-Md.) said in a phone interview.\n'
    )
    assert quote_at(text, "He would be")["speaker"]["name"] == "Alan Brooks"


def test_a_description_with_the_name_right_after_it_is_that_person() -> None:
    text = (
        "Debate\n\nRepublican candidate Tom Hale spoke first.\n\n"
        'Then the Democratic candidate Ann Cole suggested that Hale "does not want voters to know."\n'
    )
    assert quote_at(text, "does not want")["speaker"]["name"] == "Ann Cole"


def test_officials_at_an_agency_are_a_group_not_the_agency() -> None:
    text = (
        'Visa Fraud\n\nOfficials at the Office of Fraud Detection said the forms "may be forged" '
        "by brokers abroad.\n"
    )
    speaker = quote_at(text, "may be forged")["speaker"]
    assert speaker["name"] is not None
    assert speaker["name"].startswith("officials at")


def test_a_campaign_speaks_as_its_candidate_s_campaign() -> None:
    text = (
        "Leave Plan\n\nDonald Trump unveiled a plan on Monday.\n\n"
        'A page on the Trump campaign\'s website states that mothers would be "fully covered."\n'
    )
    assert quote_at(text, "fully covered")["speaker"]["name"] == "Donald Trump campaign"


def test_someone_s_doctor_is_not_the_person_in_focus() -> None:
    text = (
        "Health Records\n\nDonald Trump released a letter on Monday. Candidate Gary Jensen did the same.\n\n"
        'Gary Jensen\'s doctor called the candidate "extremely fit."\n'
    )
    name = quote_at(text, "extremely fit")["speaker"]["name"]
    assert name not in ("Donald Trump", "Gary Jensen")


def test_police_without_an_article_are_the_police_not_the_last_organisation() -> None:
    text = (
        "Game Day\n\nThe Minnesota Vikings will host the game on Sunday.\n\n"
        'Police say they have "adequate resources" to secure the city during the event.\n'
    )
    assert quote_at(text, "adequate resources")["speaker"]["name"] == "police"


def test_an_honorific_keeps_a_surname_apart_from_a_later_namesake() -> None:
    text = (
        "Rally\n\nPresident Moreau urged voters to turn out on Saturday.\n\n"
        '"This election is about our progress," Mr. Moreau said.\n\n'
        "The campaign plans to use Mr. Moreau and the first lady, Claire Moreau, in the final week.\n"
    )
    assert quote_at(text, "This election")["speaker"]["name"] == "Moreau"
    data = analyze(text).to_dict()
    claire = [a for a in data["actors"] if a["name"] == "Claire Moreau"]
    assert [m["text"] for a in claire for m in a["mentions"]] == ["Claire Moreau"]


def test_a_full_name_given_only_inside_another_name_completes_the_surname() -> None:
    text = (
        "Turnout Drive\n\nMr. Okafor urged students to vote.\n\n"
        "Volunteers joined the Daniel Okafor Foundation drive on Saturday.\n\n"
        '"Every vote counts," Mr. Okafor said.\n'
    )
    assert quote_at(text, "Every vote")["speaker"]["name"] == "Daniel Okafor"


def test_first_person_narrator_of_an_opinion_piece_is_its_author() -> None:
    text = (
        "My Town\n\nI grew up in a small town by the river.\n\n"
        'When the mill closed, I said, "We will start again."\n\n'
        "Maria Lindqvist is a writer in Duluth and the author of two novels.\n"
    )
    assert quote_at(text, "We will start")["speaker"]["name"] == "Maria Lindqvist"


def test_first_person_in_a_letter_is_the_name_signed_under_it() -> None:
    text = (
        'Letters\n\nI told my neighbors, "The bridge must be fixed."\n\nPaul Andersen.\n\n'
        'I wrote to the council: "Please fund the library."\n\nGrace Holloway.\n'
    )
    assert quote_at(text, "The bridge")["speaker"]["name"] == "Paul Andersen"
    assert quote_at(text, "Please fund")["speaker"]["name"] == "Grace Holloway"


def test_an_ad_narrator_speaks_for_the_candidate_s_campaign() -> None:
    text = (
        "Ad Wars\n\nA new Maria Santos ad aired on Tuesday in Ohio.\n\n"
        "“He had his chance and he failed,” the ad's narrator says.\n"
    )
    assert quote_at(text, "He had his chance")["speaker"]["name"] == "Maria Santos campaign"


def test_a_person_the_tagger_labelled_otherwise_is_still_that_person() -> None:
    from onrecord.extract.parse import load_nlp
    from onrecord.extract.quotes import TokenIndex
    from onrecord.extract.speaker_drafts import Context, Draft
    from onrecord.extract.speaker_entities import _mislabelled

    text = "In a Wall Street Journal essay last week, Ivanka Trump acknowledged the problem."
    doc = load_nlp()(text)
    ivanka = Draft("person", ["Ivanka Trump"])
    ctx = Context(text, TokenIndex(doc), [ivanka], [], [])
    _mislabelled(ctx)
    assert [m.span.text(text) for m in ivanka.mentions] == ["Ivanka Trump"]
    assert ivanka.subjects == [text.index("Ivanka")]


def test_a_contrasting_party_word_outweighs_a_shared_modifier() -> None:
    text = (
        "Race Update\n\nRepublican nominee Donald Trump spoke in Ohio. Libertarian presidential nominee Gary "
        "Johnson spoke in Utah.\n\n"
        "“We have big plans for the final month,” the Republican presidential nominee said.\n"
    )
    assert quote_at(text, "We have big plans")["speaker"]["name"] == "Donald Trump"


def test_a_participle_cue_shares_the_subject_of_its_sentence() -> None:
    text = (
        'Debate Prep\n\n"Voters do not agree with him," Warren said, suggesting a few questions, including, '
        '"Mr. Hale, do you really think that billionaires need a massive tax break?"\n'
    )
    assert quote_at(text, "Mr. Hale, do")["speaker"]["name"] == "Warren"
    text = (
        "Council Vote\n\nFollowing a late meeting, the Security Council issued a statement calling the test "
        '"a clear violation" of earlier resolutions.\n'
    )
    assert quote_at(text, "a clear violation")["speaker"]["name"] == "Security Council"
