"""Tests for statement dates: the governing temporal expression, else the publication date."""

from __future__ import annotations

import pytest

from onrecord import analyze
from onrecord.model import Article


def _said(article: Article) -> list[tuple[str, str | None, str | None]]:
    return [(article.slice(q.cue.span) if q.cue else "", q.said_on, q.said_on_source) for q in article.quotes]


@pytest.mark.parametrize(
    ("text", "said_on", "source"),
    [
        ("On Monday, Peskov said that there is hope for a deal.", "2020-10-19", "timex"),
        ("Peskov said on Monday that there is hope for a deal.", "2020-10-19", "timex"),
        ("Peskov told reporters Tuesday that there is hope for a deal.", "2020-10-20", "timex"),
        ("Peskov said that the treaty was signed on 8 April 2010.", "2020-10-22", "published"),
        ("Peskov said that there is hope for a deal.", "2020-10-22", "published"),
        ("Peskov said that talks will resume on Friday.", "2020-10-22", "published"),
    ],
)
def test_governing_expression_or_publication(text: str, said_on: str, source: str) -> None:
    article = analyze(text, published="2020-10-22")
    assert article.quotes, text
    assert _said(article)[0][1:] == (said_on, source)


def test_scene_setting_expression_governs_the_rest_of_its_paragraph() -> None:
    text = (
        "Yesterday the minister met the press. He said that the strike would end soon.\n\n"
        "Peskov said that there is hope."
    )
    article = analyze(text, published="2020-10-22")
    assert [s[1:] for s in _said(article)] == [("2020-10-21", "timex"), ("2020-10-22", "published")]


def test_no_date_anywhere_leaves_said_on_empty() -> None:
    article = analyze("Peskov said that there is hope for a deal.")
    assert article.published is None
    assert [s[1:] for s in _said(article)] == [(None, None)]


def test_seed_statements_are_dated(seed_text: str) -> None:
    article = analyze(seed_text)  # no date given: it is inferred first
    assert article.published == "2020-10-22"
    by_text = {article.slice(q.span).strip('"“”'): (q.said_on, q.said_on_source) for q in article.quotes}
    assert by_text["a non-starter."] == ("2020-10-16", "timex")
    assert by_text["work together and search for a solution"] == ("2020-10-22", "timex")
    assert all(q.said_on for q in article.quotes)
    thursday = [q for q in article.quotes if q.said_on_source == "timex" and q.said_on == "2020-10-22"]
    assert len(thursday) >= 4


def test_a_recalled_statement_carries_the_year_the_text_gives() -> None:
    from onrecord import analyze

    text = (
        "Rally Anniversary\n\nIn 2017, the governor said the state would “never forget” the flood.\n\n"
        "The mayor had said the budget was “balanced and fair.”\n\n"
        "“We will rebuild,” the governor said on Tuesday.\n"
    )
    quotes = {q["text"]: q for q in analyze(text, published="2019-08-15").to_dict()["quotes"]}
    recalled = quotes["“never forget”"]
    assert (recalled["said_on"], recalled["said_on_source"]) == ("2017", "timex")
    undated = quotes["“balanced and fair.”"]
    assert (undated["said_on"], undated["said_on_source"]) == (None, "recalled")
    today = quotes["“We will rebuild,”"]
    assert (today["said_on"], today["said_on_source"]) == ("2019-08-13", "timex")


def test_a_year_in_a_noun_phrase_does_not_date_the_statement() -> None:
    from onrecord import analyze

    text = "Memorial\n\nThe 2017 flood still haunts the town, the mayor said, calling it “a wound.”\n"
    quote = analyze(text, published="2019-08-15").to_dict()["quotes"][0]
    assert quote["said_on"] == "2019-08-15" and quote["said_on_source"] == "published"
