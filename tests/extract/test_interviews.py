"""Interview transcripts: labelled turns become statements by the label's speaker."""

from __future__ import annotations

import pytest

from onrecord import analyze
from onrecord.extract.interviews import find_turns, initials_owner, spelled_out
from onrecord.extract.structure import StructureParser
from onrecord.model import Article, Span

WIKI_STYLE = """Tuesday, March 3, 2020

Ocean scientist Jane Okafor spoke to Wikinews about her survey of coral reefs in the Red Sea.

((WN)) What did the survey find?

((Jane Okafor)) We counted reefs at forty sites. Most were healthy.

Two sites had bleached badly after the summer heat.

((WN)) What comes next?

((Jane Okafor)) Another survey next year, with divers from three countries.

Sources

((WN)) Will you publish the data?

((Jane Okafor)) Yes, all of it, in the spring.
"""

INITIALS_STYLE = """Biologist Natasha Gownaris talked to the Daily Ledger about penguins.

DL How long did the study run?

NG This study started in 1982. Volunteers band the chicks each year.

DL Where do the birds go in winter?

NG They migrate north along the coast, thousands of kilometres.

DL What worries you most?

NG The fish they eat are moving further out.
"""

NOT_AN_INTERVIEW = """Update: the count was revised on Friday.

Clinton: 547.

Sanders: 46.

Clinton: 2,316.

Sanders: 1,547.

Note: figures from the party.
"""


def _turns(text: str) -> list[tuple[str, str]]:
    article = StructureParser()(Article(text=text))
    paragraphs = [p.span for p in article.paragraphs if p.role != "boilerplate"]
    return [(t.label.text(text), t.body.text(text)) for t in find_turns(text, paragraphs)]


def test_double_parenthesis_labels_with_a_multi_paragraph_answer() -> None:
    turns = _turns(WIKI_STYLE)
    assert turns[:4] == [
        ("WN", "What did the survey find?"),
        ("Jane Okafor", "We counted reefs at forty sites. Most were healthy.\n\n"
         "Two sites had bleached badly after the summer heat."),
        ("WN", "What comes next?"),
        ("Jane Okafor", "Another survey next year, with divers from three countries."),  # the heading ends it
    ]  # fmt: skip
    assert len(turns) == 6


def test_bare_initials_need_someone_with_those_initials() -> None:
    turns = _turns(INITIALS_STYLE)
    assert [label for label, _ in turns] == ["DL", "NG"] * 3
    assert turns[1][1] == "This study started in 1982. Volunteers band the chicks each year."
    nobody = INITIALS_STYLE.replace("Natasha Gownaris", "Natasha").replace("Daily Ledger", "paper")
    assert _turns(nobody) == []


def test_counts_and_notes_are_not_turns() -> None:
    assert _turns(NOT_AN_INTERVIEW) == []


def test_one_label_is_not_an_interview() -> None:
    assert _turns("Intro.\n\nTRUMP: We will win so much.\n\nTRUMP: Believe me, we will win.\n") == []


@pytest.mark.parametrize(
    ("label", "names", "owner"),
    [
        ("NG", [("Natasha Gownaris", "person"), ("Punta Tombo", "place")], 0),
        ("IMF", [("Jane Roe", "person"), ("International Monetary Fund", "organization")], 1),
        ("NG", [("Natasha Gownaris", "person"), ("Nick Grey", "person")], None),  # two fit: neither
        ("WN", [("Wikinews", "organization")], 0),  # a one-word name, letters in order
        ("WN", [("Wayne Newton", "person"), ("WN", "organization")], 0),  # never the label itself
        ("Jane", [("Jane Okafor", "person")], None),  # not a capitalised label
    ],
)
def test_initials_owner(label: str, names: list[tuple[str, str]], owner: int | None) -> None:
    assert initials_owner(label, names) == owner


def test_spelled_out_wants_exactly_one_word() -> None:
    assert spelled_out("WN", ["Wikinews", "Monday"]) == "Wikinews"
    assert spelled_out("WN", ["Wikinews", "Washington"]) is None
    assert spelled_out("WN", ["Newsweek"]) is None


def test_turns_are_statements_by_their_speakers_end_to_end() -> None:
    article = analyze(WIKI_STYLE, published="2020-03-03")
    names = {a.id: a.name for a in article.actors}
    turns = [q for q in article.quotes if q.cue is not None and q.cue.lemma == "(( ))"]
    assert [names.get(q.actor_id or "") for q in turns] == ["Wikinews", "Jane Okafor"] * 3
    assert "WN" not in names.values()  # the label is Wikinews's mention, not an actor of its own
    first = turns[1]
    assert WIKI_STYLE[first.span.start : first.span.end].startswith("We counted reefs")
    assert first.speaker is not None and first.speaker.span == Span(
        WIKI_STYLE.index("Jane Okafor))"), WIKI_STYLE.index("Jane Okafor))") + 11
    )


def test_quotations_inside_a_turn() -> None:
    text = INITIALS_STYLE.replace(
        "Volunteers band the chicks each year.",
        'The director told us "keep counting" every spring. Our work is "essential."',
    )
    article = analyze(text, published="2020-03-03")
    inner = [
        q for q in article.quotes if "keep counting" in text[q.span.start : q.span.end] and q.kind != "direct"
    ]
    scare = [q for q in article.quotes if text[q.span.start : q.span.end] == '"essential."']
    assert not scare  # the interviewee's own words, already in the turn
    assert all(q.speaker is not None for q in inner)
    turns = [
        q
        for q in article.quotes
        if q.evidence[:1] == ("interview turn: the label before it names the speaker",)
    ]
    owners = {a.id: a.name for a in article.actors}
    assert {owners.get(q.actor_id or "") for q in turns} == {"Natasha Gownaris", "Daily Ledger"}


def test_the_interviewers_turns_are_questions() -> None:
    from onrecord import analyze

    text = (
        "Interview with a glaciologist\n\n"
        "((Coast Courier)) What did you find on the ice shelf?\n\n"
        "((Mara Lind)) The shelf is thinning faster than our models said.\n\n"
        "((Coast Courier)) How fast is that?\n\n"
        "((Mara Lind)) About a metre a year at the front.\n\n"
        "((Coast Courier)) Will you go back next winter?\n\n"
        "((Mara Lind)) Yes, with two more drills.\n"
    )
    quotes = analyze(text, published="2021-02-01").to_dict()["quotes"]
    kinds = {(q["kind"], q["speaker"]["name"]) for q in quotes}
    assert ("question", "Coast Courier") in kinds
    assert ("direct", "Mara Lind") in kinds
    assert not any(k == "direct" and name == "Coast Courier" for k, name in kinds)
