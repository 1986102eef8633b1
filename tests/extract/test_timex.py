"""Tests for the temporal tagger: seed gold, tense, spans and values (text in, TimeExpressions out)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.extract.timex import TimexTagger, find_timex
from onrecord.model import Article, Boilerplate, Span

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEED = SHARED / "seed" / "sputnik-2020-10-22-new-start"
ANCHOR = "2020-10-22"  # a Thursday


def tagged(text: str, anchor: str | None = ANCHOR) -> dict[str, str]:
    """Surface string -> value, for compact assertions."""
    return {text[x.span.start : x.span.end]: x.value for x in find_timex(text, anchor)}


def test_seed_gold_expressions_found_with_exact_offsets_and_values() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent")
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    record = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    gold = record["timex"]
    assert len(gold) == 7
    found = {(x.span.start, x.span.end): x.value for x in find_timex(text, record["published"])}
    for g in gold:
        assert text[g["start"] : g["end"]] == g["text"]
        assert found.get((g["start"], g["end"])) == g["value"], g


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("On Monday, the minister said the talks had failed.", "On Monday", "2020-10-19"),
        ("The minister will fly to Paris on Monday.", "Monday", "2020-10-26"),
        ("Peskov said on Thursday that there is hope.", "Thursday", "2020-10-22"),
        ("The ministers will meet again on Friday.", "Friday", "2020-10-23"),
        ("The treaty expires in February.", "in February", "2021-02"),
        ("He said in February that he would resign.", "in February", "2020-02"),
        ("The deal was signed in April 2010.", "April 2010", "2010-04"),
        ("It is set to expire on 5 February 2021.", "5 February 2021", "2021-02-05"),
        ("It will expire on Feb. 5.", "Feb. 5", "2021-02-05"),
        ("The vote is on February 5, 2021.", "February 5, 2021", "2021-02-05"),
        ("Filed on 10/22/2020 in court.", "10/22/2020", "2020-10-22"),
        ("The law took effect 2021-02-05.", "2021-02-05", "2021-02-05"),
    ],
)
def test_calendar_and_tense(text: str, surface: str, value: str) -> None:
    assert tagged(text).get(surface) == value


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("It happened yesterday.", "yesterday", "2020-10-21"),
        ("He will speak tomorrow.", "tomorrow", "2020-10-23"),
        ("Talks stalled last week.", "last week", "2020-W42"),
        ("It opened two days ago.", "two days ago", "2020-10-20"),
        ("Elections are due next year.", "next year", "2021"),
        ("Sales fell last year.", "last year", "2019"),
        ("Prices rose this month.", "this month", "2020-10"),
        ("He spoke this morning.", "this morning", "2020-10-22TMO"),
        ("He will speak tonight.", "tonight", "2020-10-22TNI"),
        ("Earlier in the day, he met them.", "Earlier in the day", "2020-10-22"),
        ("Trust is low now.", "now", "PRESENT_REF"),
        ("It has grown in recent years.", "recent years", "PAST_REF"),
        ("It may change in the future.", "the future", "FUTURE_REF"),
        ("Profit rose in the third quarter.", "the third quarter", "2020-Q3"),
        ("It was popular in the 1990s.", "the 1990s", "199"),
        ("They met in 1998 in Oslo.", "1998", "1998"),
        ("The summit opened at 10:30 a.m. Thursday.", "10:30 a.m. Thursday", "2020-10-22T10:30"),
        ("They will meet this summer.", "this summer", "2020-SU"),
    ],
)
def test_relative_expressions(text: str, surface: str, value: str) -> None:
    assert tagged(text).get(surface) == value


@pytest.mark.parametrize(
    ("text", "surface", "value", "type_"),
    [
        ("The treaty will be extended for one year.", "one year", "P1Y", "DURATION"),
        ("He offered a one-year extension.", "one-year", "P1Y", "DURATION"),
        ("The strike lasted three months.", "three months", "P3M", "DURATION"),
        ("Police held him for 24 hours.", "24 hours", "PT24H", "DURATION"),
        ("It took twenty-four hours.", "twenty-four hours", "PT24H", "DURATION"),
        ("They lived there for 2 1/2 years.", "2 1/2 years", "P2Y6M", "DURATION"),
        ("The committee meets every Monday.", "every Monday", "XXXX-WXX-1", "SET"),
        ("The paper is published daily.", "daily", "P1D", "SET"),
        ("Dividends are paid annually.", "annually", "P1Y", "SET"),
    ],
)
def test_durations_and_sets(text: str, surface: str, value: str, type_: str) -> None:
    found = {text[x.span.start : x.span.end]: (x.value, x.type) for x in find_timex(text, ANCHOR)}
    assert found.get(surface) == (value, type_)


@pytest.mark.parametrize(
    "text",
    [
        "Prices may rise. May we ask? It may be late.",
        "He spoke at the 17th Annual Meeting of the club.",
        "Support reached 43 percent among 1,998 voters.",
        "The 6-year-old boy and his father, 52 years old, arrived.",
    ],
)
def test_non_timex_left_alone(text: str) -> None:
    assert find_timex(text, ANCHOR) == []


def test_may_the_month_is_tagged_with_context() -> None:
    assert tagged("The vote was held in May.") == {"in May": "2020-05"}
    assert tagged("It ends May 5, 2021.") == {"May 5, 2021": "2021-05-05"}


def test_without_anchor_values_are_underspecified() -> None:
    text = "On 16 October, he said on Thursday that yesterday was calm in February."
    values = [x.value for x in find_timex(text, None)]
    assert values == ["XXXX-10-16", "XXXX-WXX-4", "PAST_REF", "XXXX-02"]


def test_spans_sorted_non_overlapping_and_in_range() -> None:
    text = "On Thursday, Oct. 22, 2020, at 10 a.m. EDT, after three days of talks, the 1990s deal ended."
    found = find_timex(text, ANCHOR)
    assert found
    for a, b in itertools.pairwise(found):
        assert a.span.end <= b.span.start
    for x in found:
        assert 0 <= x.span.start < x.span.end <= len(text)
        assert text[x.span.start : x.span.end].strip()


def test_exclude_skips_overlapping_matches() -> None:
    text = "Updated Thursday. He spoke on Friday."
    found = find_timex(text, ANCHOR, exclude=[Span(0, 17)])
    assert [text[x.span.start : x.span.end] for x in found] == ["Friday"]


def test_tagger_component_uses_published_and_skips_boilerplate() -> None:
    text = "Monday 12 October\nOn Thursday, Putin spoke."
    article = Article(text=text, published=ANCHOR, boilerplate=(Boilerplate(Span(0, 17), "dateline"),))
    result = TimexTagger()(article)
    assert [(article.slice(x.span), x.value) for x in result.timex] == [("On Thursday", "2020-10-22")]
    assert result.text == text


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 ,.-/:'aAMmdyFebruaryOnThursdaylastweek\n"))
        | st.characters(),
        max_size=120,
    ),
    st.sampled_from([None, "2020-10-22", "1998-02-29", "garbage"]),
)
def test_never_raises_and_spans_are_sane(text: str, anchor: str | None) -> None:
    found = find_timex(text, anchor)
    last_end = 0
    for x in found:
        assert last_end <= x.span.start < x.span.end <= len(text)
        last_end = x.span.end
