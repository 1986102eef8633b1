"""Tests for the publication dater: given, metadata, dateline, inferred and none (Article in, date out)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.extract.published import PublicationDater, infer
from onrecord.extract.structure import StructureParser
from onrecord.model import Article

DATER = PublicationDater()


def dated(text: str, **fields: str) -> Article:
    return DATER(StructureParser()(Article(text=text, **fields)))  # type: ignore[arg-type]


def test_given_date_is_kept_with_its_provenance() -> None:
    article = dated("On Thursday, he said so.", published="2021-01-05", published_source="given")
    assert (article.published, article.published_source) == ("2021-01-05", "given")
    assert article.published_evidence == ("published 2021-01-05: given by the caller",)
    assert ("published_confidence", "high") in article.metadata


def test_metadata_date_is_kept() -> None:
    article = dated("Text.", published="2019-03-01", published_source="metadata")
    assert article.published_source == "metadata"
    assert "metadata" in article.published_evidence[0]


def test_dateline_with_year() -> None:
    text = "Talks resume\n\nWASHINGTON, Oct. 5, 2020 (Reuters) - Officials said on Monday that talks resume."
    article = dated(text)
    assert (article.published, article.published_source) == ("2020-10-05", "dateline")


def test_dateline_year_from_the_text() -> None:
    text = (
        "Kremlin hopes for treaty\n\nMOSCOW, October 23 (TASS) – Peskov said the treaty is set to expire "
        "on 5 February 2021."
    )
    article = dated(text)
    assert (article.published, article.published_source) == ("2020-10-23", "dateline")
    assert any("year 2020" in line for line in article.published_evidence)


def test_dateline_without_any_year_leaves_the_date_empty() -> None:
    article = dated("Kremlin hopes for treaty\n\nMOSCOW, October 23 (TASS) – Peskov spoke to reporters.")
    assert article.published is None and article.published_source is None
    assert any("no year" in line for line in article.published_evidence)
    assert "left empty" in article.published_evidence[-1]


def test_date_line_above_the_story() -> None:
    article = dated("Friday, January 4, 2019\n\nAn apartment building collapsed on Monday in Magnitogorsk.")
    assert (article.published, article.published_source) == ("2019-01-04", "dateline")


def test_seed_is_inferred_with_its_reasoning(seed_text: str) -> None:
    article = dated(seed_text)
    assert (article.published, article.published_source) == ("2020-10-22", "inferred")
    lines = article.published_evidence
    assert "'On Thursday' (past tense) → a Thursday on or before publication" in lines
    assert "'On 16 October' in the past → published on or after 2020-10-16" in lines
    assert "'5 February 2021' in the future → published before 2021-02-05" in lines
    assert "first Thursday satisfying all constraints: 2020-10-22" in lines
    assert ("published_confidence", "medium") in article.metadata


def test_seed_timex_are_normalized_against_the_inferred_date(seed_text: str) -> None:
    from onrecord.extract.timex import TimexTagger

    article = TimexTagger()(dated(seed_text))
    values = {article.slice(x.span): x.value for x in article.timex}
    assert values["On Thursday"] == "2020-10-22"
    assert values["Earlier in the day"] == "2020-10-22"
    assert values["in February"] == "2021-02"


def test_weekday_alone_does_not_pin_a_date() -> None:
    article = dated("On Thursday, Peskov said there is hope.")
    assert article.published is None
    assert "left empty" in article.published_evidence[-1]
    assert ("published_confidence", "none") in article.metadata


def test_bounds_alone_do_not_pin_a_date() -> None:
    result = infer("On 16 October 2020, he said it. The deal expires on 5 February 2021.")
    assert result.date is None
    assert "'On 16 October 2020' in the past → published on or after 2020-10-16" in result.evidence


def test_old_dated_background_does_not_pin_a_weekday() -> None:
    # A dated event with its year may be years old: "Sunday" cannot be placed after it.
    assert infer("The law passed on July 1, 2016. On Sunday, protesters gathered.").date is None


def test_year_less_date_and_weekday_pin_the_day() -> None:
    text = "On 3 March, the minister resigned. On Friday, his successor said talks will end on 1 June 2021."
    result = infer(text)
    assert result.date == "2021-03-05"
    assert result.confidence == "low"


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("On Thursday 16 October 2020 will said ,.\n5FebMay")), max_size=120)
)
def test_inference_never_raises_and_dates_are_valid(text: str) -> None:
    result = infer(text)
    if result.date is not None:
        dt.date.fromisoformat(result.date)
    assert result.evidence
