"""Property tests over hostile text: the structure parser, time normalization, and the whole pipeline
(quote finder, speaker resolution, statement dates) never crash, and every span they give is inside
the text and well formed. tests/extract holds the narrower properties (quote marks, timex values)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.extract.structure import StructureParser
from onrecord.extract.timex import find_timex
from onrecord.model import RawDocument
from onrecord.pipeline import Pipeline, analyze_raw
from reliability.hostile import CONTROLS, FORMATS, check_spans

WORDS = [
    "Peskov", "Dmitry", "said", "told", "added", "he", "she", "the", "spokesman", "Kremlin", "on",
    "Monday", "last", "week", "2020", "October", "22", "yesterday", "in", "May", "that", "“", "”",
    '"', "'", "«", "»", "„", "‘", "’", ":", ",", ".", "—", "\n", "\n\n", "Mr.", "Trump", "according",
    "to", "Reuters", "PHOTO", "Discuss", "Share", "بيسكوف", "שלום", "普京", "Путин",
]  # fmt: skip
NEWSY = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet=st.sampled_from(list(CONTROLS + FORMATS + "  \t\r")), max_size=3),
        st.text(max_size=6),
    ),
    max_size=60,
).map(" ".join)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(NEWSY)
def test_structure_spans_are_inside_the_text(text: str) -> None:
    article = Pipeline([StructureParser()])(RawDocument(text=text))
    record = article.to_dict()
    check_spans(record, text)
    for paragraph in article.paragraphs:
        assert 0 <= paragraph.span.start <= paragraph.span.end <= len(text)


@FAST
@given(NEWSY, st.sampled_from([None, "2020-10-22", "1999-12-31", "0001-01-01", "9999-12-31"]))
def test_time_expressions_are_spans_with_values(text: str, anchor: str | None) -> None:
    for timex in find_timex(text, anchor):
        assert 0 <= timex.span.start < timex.span.end <= len(text)
        assert timex.value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY, st.sampled_from([None, "2020-10-22", "0001-01-01", "9999-12-31"]))
def test_the_pipeline_never_crashes_and_every_span_is_well_formed(text: str, published: str | None) -> None:
    if not text.strip():
        return
    article = analyze_raw(RawDocument(text=text), published)
    record = article.to_dict()
    assert record["text"] == text
    check_spans(record, text)
    for quote in article.quotes:
        statement, span = quote.statement, quote.span
        assert 0 <= statement.start <= span.start <= span.end <= statement.end <= len(text)
        if quote.actor_id is not None:
            assert article.actor(quote.actor_id) is not None  # the speaker resolved to a known actor
