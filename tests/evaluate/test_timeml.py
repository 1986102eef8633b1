"""Tests for the TimeML reader and the TempEval-3 style timex scorer (.tml in, scores out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.errors import EvaluationError
from onrecord.evaluate.timeml import evaluate_timex, format_scores, read_timeml
from onrecord.model import Span, TimeExpression

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

# Written for these tests: a DCT, entities, nested non-timex tags and three gold TIMEX3.
SNIPPET = "\n".join(
    [
        '<?xml version="1.0" ?>',
        "<TimeML>",
        "<DOCID>toy_0001</DOCID>",
        '<DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-02" functionInDocument="CREATION_TIME">'
        "03/02/01</TIMEX3></DCT>",
        "<TEXT>",
        'Smith &amp; Co. <EVENT eid="e1" class="REPORTING">said</EVENT> '
        '<TIMEX3 tid="t1" type="DATE" value="2001-03-01">Thursday</TIMEX3> that sales '
        '<EVENT eid="e2" class="OCCURRENCE">rose</EVENT> for '
        '<TIMEX3 tid="t2" type="DURATION" value="P3M">three months</TIMEX3>, &quot;a record&quot; for '
        '<TIMEX3 tid="t3" type="DATE" value="2001">this year</TIMEX3>.',
        "</TEXT>",
        '<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0" />',
        "</TimeML>",
    ]
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "toy_0001.tml").write_text(SNIPPET, encoding="utf-8")
    return tmp_path


def test_read_timeml_strips_tags_and_keeps_offsets(corpus: Path) -> None:
    doc = read_timeml(corpus / "nested" / "toy_0001.tml")
    assert doc.name == "toy_0001"
    assert doc.dct == "2001-03-02"
    assert "<" not in doc.text
    assert doc.text.startswith('\nSmith & Co. said Thursday that sales rose for three months, "a record"')
    assert [(doc.text[g.span.start : g.span.end], g.type, g.value) for g in doc.timex] == [
        ("Thursday", "DATE", "2001-03-01"),
        ("three months", "DURATION", "P3M"),
        ("this year", "DATE", "2001"),
    ]


def _fake_tagger(text: str, anchor: str | None) -> list[TimeExpression]:
    """One exact and right, one overlapping but wrong, one spurious; "this year" is missed."""
    assert anchor == "2001-03-02"
    thursday = text.index("Thursday")
    months = text.index("three months")
    record = text.index("record")
    return [
        TimeExpression(Span(thursday, thursday + 8), "2001-03-01"),
        TimeExpression(Span(months + 6, months + 12), "P3Y", "DURATION"),
        TimeExpression(Span(record, record + 6), "PRESENT_REF"),
    ]


def test_scores_have_the_expected_numbers(corpus: Path) -> None:
    scores = evaluate_timex(corpus, _fake_tagger)
    assert (scores.documents, scores.gold, scores.predicted) == (1, 3, 3)
    assert (scores.strict_matches, scores.relaxed_matches, scores.value_matches) == (1, 2, 1)
    assert scores.strict_precision == pytest.approx(1 / 3)
    assert scores.strict_recall == pytest.approx(1 / 3)
    assert scores.strict_f1 == pytest.approx(1 / 3)
    assert scores.relaxed_f1 == pytest.approx(2 / 3)
    assert scores.value_accuracy == pytest.approx(1 / 2)
    assert scores.value_f1 == pytest.approx(1 / 3)
    assert scores.to_dict()["relaxed_precision"] == pytest.approx(2 / 3)
    text = format_scores(scores)
    assert "strict" in text and "relaxed" in text and "value" in text
    assert len(text.splitlines()) == 4


def test_accepts_a_list_of_folders_and_the_default_tagger(corpus: Path, tmp_path: Path) -> None:
    scores = evaluate_timex([corpus / "nested"])
    assert scores.documents == 1
    assert scores.gold == 3
    assert scores.relaxed_matches >= 2  # "Thursday" and "three months" at least


def test_empty_folder_raises_evaluation_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(EvaluationError, match=r"no \.tml files"):
        evaluate_timex(tmp_path / "empty")


def test_unbalanced_timex_raises_evaluation_error(tmp_path: Path) -> None:
    (tmp_path / "bad.tml").write_text("<TEXT>a <TIMEX3 tid='t1' value='2001'>b</TEXT>", encoding="utf-8")
    with pytest.raises(EvaluationError, match="unclosed"):
        evaluate_timex(tmp_path)


@pytest.mark.slow
def test_full_tempeval3_training_corpus() -> None:
    """Measured 2026-11-28: relaxed F1 0.949, value F1 0.827 on TimeBank + AQUAINT; floors just below."""
    folder = SHARED / "tempeval3"
    if not folder.is_dir():
        pytest.skip("../shared/data/tempeval3 is absent")
    scores = evaluate_timex([folder / "TimeBank", folder / "AQUAINT"])
    assert scores.documents == 256
    assert scores.gold == 1822
    assert scores.relaxed_f1 >= 0.945
    assert scores.value_f1 >= 0.82
