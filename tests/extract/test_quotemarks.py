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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er sagte: »Wir sind bereit.« Dann ging er.", ["»Wir sind bereit.«"]),
        ("Sie rief ›Halt‹ und lief.", ["›Halt‹"]),
        ("Il a dit : « Nous sommes prêts », puis il est parti.", ["« Nous sommes prêts »"]),
        ("Il a dit «Nous sommes prêts», puis il est parti.", ["«Nous sommes prêts»"]),
        ("Он сказал: «Мы „готовы“ к этому».", ["«Мы „готовы“ к этому»"]),
        ("Er sagte: „Das ist ‚unmöglich‘, sagte er.“ Ende.", ["„Das ist ‚unmöglich‘, sagte er.“"]),
        ("Sie nannte es ‚Quatsch‘ und ging.", ["‚Quatsch‘"]),
        ("Er sagte: »Das ist ›unmöglich‹.« Ende.", ["»Das ist ›unmöglich‹.«"]),
    ],
)
def test_local_styles_open_and_close_where_their_language_does(text: str, expected: list[str]) -> None:
    assert quotes(text) == expected


def test_english_single_quotes_and_apostrophes_are_unchanged() -> None:
    assert quotes("It's a ‘test’, isn't it? He said ‘no’ and ‘maybe’.") == ["‘test’", "‘no’", "‘maybe’"]
