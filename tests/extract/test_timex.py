"""Tests for the temporal tagger: seed gold, tense, spans and values (text in, TimeExpressions out)."""

from __future__ import annotations

import itertools
import json
import re
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


# Fixed publication dates, several tenses: (anchor, text, surface, value).
@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        ("1998-08-17", "Albright said Friday that the bombs killed 250.", "Friday", "1998-08-14"),
        ("1998-08-17", "She will fly to Nairobi on Friday.", "Friday", "1998-08-21"),
        ("1998-08-17", "The talks were held last Monday.", "last Monday", "1998-08-10"),
        ("1998-08-17", "The report is due next Monday.", "next Monday", "1998-08-24"),
        ("1998-08-17", "The bomb went off on Aug. 7.", "Aug. 7", "1998-08-07"),
        ("1998-08-17", "The embassy reopens Sept. 1.", "Sept. 1", "1998-09-01"),
        ("1998-01-05", "Sales rose in December.", "in December", "1997-12"),
        ("1998-12-20", "The plant opens in January.", "in January", "1999-01"),
        ("1989-11-02", "Profit for the year ended March 31 rose.", "the year", "P1Y"),
        ("1989-10-26", "Orders grew from the low levels of the early summer.", "the early summer", "1989-SU"),
        ("1989-10-26", "Demand will stay high well into the summer.", "the summer", "1990-SU"),
        ("2000-01-07", "Protesters rallied Friday night.", "Friday night", "2000-01-07TNI"),
        ("2000-01-07", "The ruling is expected early next week.", "early next week", "2000-W02"),
        ("2000-01-07", "He left three weeks ago.", "three weeks ago", "1999-W50"),
        ("2000-01-07", "It will be decided in two years.", "two years", "P2Y"),
        ("1999-03-12", "NATO was founded 50 years ago.", "50 years ago", "1949"),
        ("1999-03-12", "Greece joined in 1952.", "1952", "1952"),
        ("2020-10-22", "The vote is set for Nov. 3.", "Nov. 3", "2020-11-03"),
        ("2020-10-22", "He was born on 3 November 1950.", "3 November 1950", "1950-11-03"),
        ("2020-10-22", "He will speak on Christmas Day.", "Christmas Day", "2020-12-25"),
        ("2021-01-10", "Talks collapsed on Christmas Day.", "Christmas Day", "2020-12-25"),
    ],
)
def test_tense_and_anchor_table(anchor: str, text: str, surface: str, value: str) -> None:
    assert tagged(text, anchor).get(surface) == value


@settings(max_examples=200, deadline=None)
@given(
    st.dates(
        min_value=__import__("datetime").date(1600, 3, 1), max_value=__import__("datetime").date(2199, 10, 1)
    ),
    st.integers(min_value=1, max_value=12),
    st.one_of(st.none(), st.integers(min_value=1, max_value=31)),
    st.sampled_from(["past", "future"]),
    st.sampled_from(["SP", "SU", "FA", "WI"]),
    st.sampled_from([None, -1, 0, 1]),
)
def test_normalization_never_raises(
    anchor: object, month: int, day: int | None, direction: str, season: str, step: int | None
) -> None:
    from onrecord.extract import timex_normalize as tn

    d = anchor  # a datetime.date
    assert re.fullmatch(r"\d{4}-\d\d(-\d\d)?", tn.month_value(d, month, day, direction))  # type: ignore[arg-type]
    assert tn.season_value(d, season, step, direction).endswith(season)  # type: ignore[arg-type]
    for unit in ("D", "W", "M", "Q", "Y", "E", "C"):
        assert tn.shift(d, unit, -3)  # type: ignore[arg-type]
    assert tn.weekday_date(d, (month % 7) + 1, direction).isoweekday() == (month % 7) + 1  # type: ignore[arg-type]


# Financial reports: which quarter "a year earlier", "the latest quarter" and the like refer to.
@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        # one explicit quarter is enough to make "a year earlier" that quarter a year before
        (
            "1989-11-02",
            "Citadel posted a third-quarter net loss, versus net income of $5.3 million a year earlier.",
            "a year earlier",
            "1988-Q3",
        ),
        # a quarter still ahead ("will result in a fourth-quarter charge") is an outlook, not the subject
        (
            "1989-11-02",
            "Third-quarter net rose. The quake will result in a fourth-quarter charge. "
            "Earnings fell 59% in the latest quarter.",
            "the latest quarter",
            "1989-Q3",
        ),
        # a second quarter named as a contrast does not take over from the story's quarter
        (
            "1989-11-01",
            "Kimberly-Clark posted a gain in third-quarter net income. After a flat second quarter, it "
            "attributed the gain to prices. Charges were taken in the year-earlier period.",
            "the year-earlier period",
            "1988-Q3",
        ),
        # "the current quarter" is the quarter now running, not the one reported
        (
            "1989-10-26",
            "Third-quarter sales rose. Auctions are held in the second and fourth quarters, with the "
            "current quarter having begun well.",
            "the current quarter",
            "1989-Q4",
        ),
        ("1989-11-01", "Net income compared with the corresponding period last year.", None, None),
        (
            "1989-10-26",
            "Earnings will be lower for the last half of 1989.",
            "the last half of 1989",
            "1989-H2",
        ),
        ("1989-11-01", "U.K. sales for last year's quarter were about $3 million.", None, None),
    ],
)
def test_financial_quarters(anchor: str, text: str, surface: str | None, value: str | None) -> None:
    if surface is None:  # the phrase itself is one expression: last year's same quarter
        found = find_timex("Third-quarter profit fell. " + text, anchor)
        assert found[-1].value == "1988-Q3"
        assert len(found) == 2
        return
    assert tagged(text, anchor).get(surface) == value


# Expressions that refer back to the day or month last named, not to the publication date.
@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        (
            "1989-10-27",
            "In March, the company received an offer. The following month, it put itself up for sale.",
            "The following month",
            "1989-04",
        ),
        (
            "1989-10-30",
            "The index closed at 2082.1 on Friday, down 4.5% from the previous Friday.",
            "the previous Friday",
            "1989-10-20",
        ),
        (
            "1998-11-21",
            "Slepian was killed on Oct. 23. The two men showed up at his house the day after.",
            "the day after",
            "1998-10-24",
        ),
        (
            "1999-10-24",
            "He was killed on Oct. 23, 1999. Earlier that day, the family sent a fax.",
            "Earlier that day",
            "1999-10-23",
        ),
        # an apposition names the same day: the day before the plunge *is* Oct. 12
        (
            "1989-10-30",
            "Eight trading days after Oct. 12, the day before the stock market plunge, stocks fell.",
            "the day before",
            "1989-10-12",
        ),
        (
            "2000-02-24",
            "The day before last Tuesday's hearing, he went home.",
            "The day before last Tuesday",
            "2000-02-21",
        ),
        # without "that" the day is the day of writing, even after a future date was named
        (
            "2020-10-22",
            "The treaty is set to expire on 5 February 2021. Earlier in the day, Putin spoke.",
            "Earlier in the day",
            "2020-10-22",
        ),
        ("2000-02-24", "A hearing is set for the week of March 6.", "the week of March 6", "2000-W10"),
        ("1989-10-30", "Its stock hit a high for the year of $42.875 in June.", "the year", "1989"),
    ],
)
def test_discourse_reference(anchor: str, text: str, surface: str, value: str) -> None:
    assert tagged(text, anchor).get(surface) == value


def test_nine_month_comparison_is_with_last_year_not_the_quarter() -> None:
    text = (
        "Third-quarter profit jumped 45% from a year earlier. For the nine months, it earned $18.9 "
        "million, compared with a loss a year earlier."
    )
    values = [x.value for x in find_timex(text, "1989-10-26") if "year" in text[x.span.start : x.span.end]]
    assert values == ["1988-Q3", "1988"]


@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        # "later" counts from an event of the story: the span is the length, as TimeBank tags it
        ("1998-01-14", "But a minute and a half later, a pilot called.", "a minute and a half", "PT1M30S"),
        ("1998-01-14", "It lasted two and a half years.", None, None),
        (
            "1998-02-23",
            "We saw it in the winter of nineteen ninety-four.",
            "the winter of nineteen ninety-four",
            "1994-WI",
        ),
        (
            "1989-11-02",
            "At mid-afternoon yesterday, shares were up.",
            "mid-afternoon yesterday",
            "1989-11-01TAF",
        ),
        ("1989-10-26", "Rules should be in place by year's end.", "year's end", "1989"),
        (
            "1989-10-26",
            "Holders may buy shares at the then current market price.",
            "then current",
            "PAST_REF",
        ),
        # "next to" is a place, not a future: the bombing on Friday is the Friday before
        (
            "1998-08-08",
            "Many were killed in the blasts next to the embassies on Friday.",
            "Friday",
            "1998-08-07",
        ),
    ],
)
def test_more_constructions(anchor: str, text: str, surface: str | None, value: str | None) -> None:
    if surface is None:
        assert [x.value for x in find_timex(text, anchor)] == ["P2Y6M"]
        return
    assert tagged(text, anchor).get(surface) == value


def test_quoted_programme_titles_are_not_dates() -> None:
    text = (
        'Baker, speaking on ABC News\' "This Week," said so. Gonzalez said on CBS\'s ""60 Minutes."" '
        "This week he left."
    )
    assert tagged(text, "1990-08-13") == {"This week": "1990-W33"}


# Tense cues read the way TimeML annotators do: a plan points ahead even when told in the past, a
# passive or adjectival participle carries no tense, a plan overtaken ("had been due") points back.
@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        ("2020-10-21", "The crew planned to leave Kabul on Thursday.", "Thursday", "2020-10-22"),
        ("2020-10-21", "The bill will be signed on Friday.", "Friday", "2020-10-23"),
        (
            "2003-11-03",
            "The dividend would be paid on a still unset date in January.",
            "in January",
            "2004-01",
        ),
        ("2020-10-21", "The company reported on Monday that sales fell.", "Monday", "2020-10-19"),
        ("2020-10-21", "The talks are supposed to conclude by Friday.", "Friday", "2020-10-23"),
        ("2020-10-19", "The envoys could arrive as soon as Tuesday.", "Tuesday", "2020-10-20"),
        ("2020-10-19", "The offer had been due to lapse Friday evening.", "Friday evening", "2020-10-16TEV"),
        ("2020-10-19", "The ban is due to lapse Friday evening.", "Friday evening", "2020-10-23TEV"),
        ("2020-10-21", "Ships reached the port Tuesday, a spokesman said.", "Tuesday", "2020-10-20"),
        # a deadline points ahead whatever the verb's tense, unless it opens the clause or a past
        # perfect puts it behind
        (
            "2020-10-22",
            "Officials postponed until Tuesday morning any vote.",
            "Tuesday morning",
            "2020-10-27TMO",
        ),
        (
            "2020-10-19",
            "The board gave the buyers until 9 a.m. Tuesday to sign.",
            "9 a.m. Tuesday",
            "2020-10-20T09:00",
        ),
        ("2020-10-22", "The firm said it needed the papers by Monday.", "Monday", "2020-10-26"),
        ("2020-08-01", "Directors declared a dividend payable Dec. 7.", "Dec. 7", "2020-12-07"),
        ("2020-10-22", "By Monday, officials had hardened their stance.", "Monday", "2020-10-19"),
        ("2020-10-22", "It was not until Tuesday that Castro spoke.", "Tuesday", "2020-10-20"),
        ("2020-10-22", "Members had filed reports by Wednesday.", "Wednesday", "2020-10-21"),
        # the sentence before does not lend its tense to one that opens with the expression
        (
            "2019-07-25",
            "Ministers will meet in May. On Tuesday, chaos in the capital.",
            "On Tuesday",
            "2019-07-23",
        ),
    ],
)
def test_tense_cues(anchor: str, text: str, surface: str, value: str) -> None:
    assert tagged(text, anchor).get(surface) == value


# Span and granularity conventions of the TimeML guidelines, TimeBank's majority where they are silent.
@pytest.mark.parametrize(
    ("anchor", "text", "surface", "value"),
    [
        (
            "2003-05-06",
            "In the year-ago second quarter, the mill lost $2 million.",
            "the year-ago second quarter",
            "2002-Q2",
        ),
        (
            "2003-05-06",
            "Sales for the year-earlier nine months were flat.",
            "the year-earlier nine months",
            "P9M",
        ),
        ("2003-05-06", "Two weeks later, the mill closed.", "Two weeks", "P2W"),
        ("2003-05-06", "A few days later, the board resigned.", "A few days", "PXD"),
        ("2003-05-06", "Losses in past years were smaller.", "past years", "PAST_REF"),
        ("2003-05-06", "Credits will cut taxes in future quarters.", "future quarters", "FUTURE_REF"),
        ("2003-05-06", "It hopes for better coming quarters.", "coming quarters", "FUTURE_REF"),
        ("2003-05-06", 'It will sell the unit "as soon as possible."', "as soon as possible", "FUTURE_REF"),
        ("2003-05-06", "Growth may slow in the next couple of years.", "the next couple of years", "P2Y"),
        ("2003-04-14", "Pilgrims arrived as Easter week began.", "Easter week", "2003-W16"),
        (
            "2003-05-06",
            "Prices may fall through the first two quarters of 2004.",
            "the first two quarters of 2004",
            "2004-H1",
        ),
        ("2003-05-06", "In the quarter ended Feb. 28, it lost money.", "the quarter", "2003-Q1"),
        ("2003-11-03", "In the quarter ended July 31, it lost money.", "the quarter", "2003-Q2"),
        ("2003-11-03", "Sales fell in the latest fiscal year.", "the latest fiscal year", "2002"),
        ("2003-11-03", "It will raise money at a later date.", "a later date", "FUTURE_REF"),
        ("2003-11-03", "He calls her twice a week.", "a week", "P1W"),
        # a modifier is a word of its own: "over" inside "cover" is no "over eight hours"
        ("2003-11-03", "Once the guards cover eight hours, they change.", "eight hours", "PT8H"),
        ("2003-11-03", "The summit will be held on Dec. 4 and 5.", "5", "2003-12-05"),
        ("2003-11-03", "Talks ran from May 12 to 14, 2002.", "14, 2002", "2002-05-14"),
    ],
)
def test_guideline_conventions(anchor: str, text: str, surface: str, value: str) -> None:
    assert tagged(text, anchor).get(surface) == value


@pytest.mark.parametrize(
    "text",
    [
        "Justices Sandra Day O'Connor and Anthony Kennedy agreed.",
        "Mothers led the March of the Combatant Mothers downtown.",
        "Rates rose 2 to 3 percent.",
        "The plant makes 10,000 units a year and saves $2 million a month.",
        "Troops will stay in the region for the foreseeable future.",
    ],
)
def test_names_are_not_timex(text: str) -> None:
    assert find_timex(text, ANCHOR) == []
