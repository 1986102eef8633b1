"""Speakers that are documents, transcripts and names in need of repair, each with a short
news-like example written for this test."""

from __future__ import annotations

from typing import Any

from onrecord import analyze


def quote_at(text: str, marker: str) -> dict[str, Any]:
    data = analyze(text, published="2024-05-02").to_dict()
    start = text.index(marker)
    found = [q for q in data["quotes"] if q["start"] <= start < q["end"]]
    assert found, f"no statement covers {marker!r}: {[q['text'] for q in data['quotes']]}"
    return found[0]


def test_report_speaks_for_the_authors_the_article_lists_as_one_group() -> None:
    text = (
        "Offshore Profits\n\nA study released on Tuesday shows how companies shelter profits offshore.\n\n"
        "The authors of the report, which include the Global Tax Project and Citizens for Fair Budgets, "
        "combed through the filings of 500 companies.\n\n"
        "Regulators ''only require that companies report significant subsidiaries,'' the report says.\n"
    )
    quote = quote_at(text, "only require")
    assert quote["speaker"]["name"] == "Global Tax Project and Citizens for Fair Budgets"
    assert "made it" in quote["evidence"][-1]


def test_book_speaks_for_the_person_who_wrote_it() -> None:
    text = (
        "Old Wounds\n\nDr. Laura Bennett served as the senator's physician for a decade.\n\n"
        "Bennett wrote a memoir of her years in the capital.\n\n"
        "“Very few people knew of the illness at the time,” the book said.\n"
    )
    assert quote_at(text, "Very few people")["speaker"]["name"] == "Laura Bennett"


def test_document_speaks_for_its_possessor_not_a_name_inside_it() -> None:
    text = (
        "Health Records\n\nDr. Harold Finch examined the governor, Maria Lopez, last year.\n\n"
        "Finch's earlier letter on Lopez called her “the fittest governor ever.”\n"
    )
    assert quote_at(text, "the fittest")["speaker"]["name"] == "Harold Finch"


def test_ruling_speaks_for_the_court_that_ruled_with_its_full_name() -> None:
    text = (
        "Voter Rolls\n\nA panel of the U.S. Court of Appeals for the Ninth Circuit heard the case in May.\n\n"
        "The appeals court ruled that the state's practice broke federal law.\n\n"
        '"A state cannot remove a voter for failing to vote," said the ruling.\n'
    )
    assert (
        quote_at(text, "A state cannot")["speaker"]["name"] == "U.S. Court of Appeals for the Ninth Circuit"
    )


def test_transcript_speaker_in_capitals_before_colon() -> None:
    text = (
        "Sunday Interview\n\nSenator Alice Kerr appeared on the program on Sunday.\n\n"
        '"KERR: We will not back down on this bill, and we have the votes."\n'
    )
    quote = quote_at(text, "We will not")
    assert quote["speaker"]["name"] == "Alice Kerr"
    assert quote["speaker"]["mention"]["text"] == "KERR"


def test_mojibake_name_is_repaired_in_the_canonical_name_only() -> None:
    text = (
        "Summit\n\nFrench President Fran\u00c3\u00a7ois Martel said: "
        "“Europe must be able to defend itself.”\n"
    )
    quote = quote_at(text, "Europe must")
    assert quote["speaker"]["name"] == "François Martel"
    mention = quote["speaker"]["mention"]
    assert text[mention["start"] : mention["end"]] == mention["text"]
    assert "Fran\u00c3" in mention["text"]  # the text itself is never rewritten


def test_possessed_full_name_makes_a_role_someone_of_theirs_not_the_person_in_focus() -> None:
    text = (
        "Campaign Trail\n\nRepublican nominee Donald Marsh spoke in Ohio on Friday.\n\n"
        "Libertarian presidential candidate Gary Stone’s doctor is calling the candidate "
        "“extremely physically fit.”\n"
    )
    name = quote_at(text, "extremely")["speaker"]["name"]
    assert name not in ("Donald Marsh", "Gary Stone")


def test_epithet_prefers_main_clause_subject_to_one_in_a_subordinate_clause() -> None:
    text = (
        "Rally\n\nTom Keller says too much is made of the senator's tweets.\n\n"
        "The Republican vice presidential nominee was speaking Friday in Fort Wayne, hours after "
        "Senator Ray Dunn posted a flurry of tweets.\n\n"
        "The Indiana businessman said voters are tired of “he said this, he tweeted that.”\n"
    )
    assert quote_at(text, "he said this")["speaker"]["name"] == "Tom Keller"


def test_a_name_the_tagger_missed_loses_its_honorific_and_speaks_again_by_surname() -> None:
    text = (
        "Generals\n\nGen. Alan Moss said the plan was “a mistake.”\n\n"
        "“He's absolutely right. There is a disconnect between this White House and our military,” "
        "Moss, a top campaign surrogate, said Thursday morning. "
        "“I mean, there is a lot of frustration within the ranks.”\n"
    )
    assert quote_at(text, "a mistake")["speaker"]["name"] == "Alan Moss"
    assert quote_at(text, "He's absolutely")["speaker"]["name"] == "Alan Moss"
    assert quote_at(text, "I mean")["speaker"]["name"] == "Alan Moss"


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Any:
    from spacy.tokens import Doc

    from onrecord.extract.parse import load_nlp

    spaces = [
        w not in ("“", "”") and nxt not in (",", ".", "”")
        for w, nxt in zip(words, [*words[1:], ""], strict=True)
    ]
    return Doc(load_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)


def test_quoted_title_or_date_the_parse_made_subject_gives_way_to_the_name_before_the_cue() -> None:
    from onrecord.extract.quotes import QuoteFinder
    from onrecord.model import Span

    # “Yes,” Moss, a surrogate, said Thursday on “Fox and Friends.” - as the small model may parse it
    words = ["“", "Yes", ",", "”", "Moss", ",", "a", "surrogate", ",", "said", "Thursday", "on", "“"]
    words += ["Fox", "and", "Friends", ".", "”"]
    heads = [9, 9, 9, 9, 9, 4, 7, 4, 9, 9, 9, 9, 13, 9, 13, 13, 9, 9]
    deps = ["punct", "intj", "punct", "punct", "dep", "punct", "det", "appos", "punct", "ROOT"]
    deps += ["npadvmod", "prep", "punct", "nsubj", "cc", "conj", "punct", "punct"]
    pos = ["PUNCT", "INTJ", "PUNCT", "PUNCT", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB"]
    pos += ["PROPN", "ADP", "PUNCT", "PROPN", "CCONJ", "PROPN", "PUNCT", "PUNCT"]
    doc = _parsed(words, heads, deps, pos)
    doc.ents = [doc.char_span(doc[4].idx, doc[4].idx + 4, label="PERSON")]
    said = doc[9]
    quote = Span(0, doc[3].idx + 1)
    speaker = QuoteFinder._speaker_token(said, ("say",), [said], quote)
    assert speaker is not None and speaker.text == "Moss"
    # the same with the date as subject
    doc2 = _parsed(words, heads, [*deps[:10], "nsubj", *deps[11:13], "pobj", *deps[14:]], pos)
    doc2.ents = [doc2.char_span(doc2[4].idx, doc2[4].idx + 4, label="PERSON")]
    doc2.set_ents([doc2.char_span(doc2[10].idx, doc2[10].idx + 8, label="DATE")], default="unmodified")
    speaker = QuoteFinder._speaker_token(doc2[9], ("say",), [doc2[9]], quote)
    assert speaker is not None and speaker.text == "Moss"
