"""Quotation marks: every style in real news, nesting, multi-paragraph quotes, stray marks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.extract.quotemarks import find_quotations
from onrecord.extract.structure import iter_lines


def quotes(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quotations(text, list(iter_lines(text)))]


@pytest.mark.parametrize(
    "quoted",
    [
        "“Curly double.”",
        '"Straight double."',
        "‘Curly single.’",
        "«Guillemets.»",
        "„German low.“",
        "‹Single angle.›",
        "``Typewriter.''",
        "''Two apostrophes.''",
    ],
)
def test_every_quotation_style(quoted: str) -> None:
    assert quotes(f"The minister said {quoted} Then she left.") == [quoted]


def test_nested_quotes_stay_inside_the_outer_one() -> None:
    text = "“He told me ‘never again’ and walked out,” she said."
    assert quotes(text) == ["“He told me ‘never again’ and walked out,”"]


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Russia’s president didn’t say ‘no’ to O’Brien’s plan, officials’ notes show."
    assert quotes(text) == ["‘no’"]


def test_multi_paragraph_quotation() -> None:
    text = "“This is the first paragraph of a long statement.\n\n“And this is its end,” he said.\n"
    assert quotes(text) == ["“This is the first paragraph of a long statement.\n\n“And this is its end,”"]


def test_stray_mark_does_not_break_the_rest() -> None:
    text = "He said “this never closes.\n\nShe then said “this one does” and left.\n"
    assert quotes(text) == ["“this one does”"]


def test_ten_thousand_marks_run_fast_and_in_bounds() -> None:
    text = "“" * 10_000 + " word " + "”" * 3
    found = find_quotations(text, list(iter_lines(text)))
    assert all(0 <= s.start < s.end <= len(text) for s in found)


@given(st.text(alphabet=st.sampled_from(list("ab .,\n\"“”‘’'«»„`-")), max_size=300))
def test_spans_are_well_formed_for_any_input(text: str) -> None:
    spans = find_quotations(text, list(iter_lines(text)))
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        previous_end = span.end
