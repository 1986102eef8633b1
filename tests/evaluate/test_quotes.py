"""Tests for onrecord.evaluate.quotes: the PolNeAR quote scorer, on a tiny hand-made corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import EvaluationError
from onrecord.evaluate.brat import Speaker, iter_documents, read_speakers
from onrecord.evaluate.quotes import (
    evaluate_quotes,
    format_document_errors,
    format_quote_scores,
    has_quotation_mark,
    mention_kind,
    quoted_relations,
    score_documents,
)
from onrecord.evaluate.spans import greedy_match

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

TEXT = (
    'Headline\n\n"We will win," said Bob Smith. He added that taxes are "too high" for families. '
    'Officials said the plan failed. "Never again," the senator said, "not on my watch."\n'
)
NAME = "pub_2016-09-12_story"


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def ann_line(tid: str, role: str, *needles: str) -> str:
    ranges = ";".join("{} {}".format(*span(n)) for n in needles)
    return f"{tid}\t{role} {ranges}\t{' '.join(needles)}\n"


def write_corpus(root: Path) -> Path:
    """Three quoted relations (E1, E2, E4; E4 discontinuous) and one unquoted (E3)."""
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir(parents=True)
    (root / "dev" / "text" / f"{NAME}.txt").write_text(TEXT, encoding="utf-8")
    ann = (
        ann_line("T1", "Content", '"We will win,"')
        + ann_line("T2", "Source", "Bob Smith")
        + "E1\tAttribution:T2 Content:T1 Source:T2\n"
        + ann_line("T3", "Content", 'taxes are "too high" for families')
        + ann_line("T4", "Source", "He")
        + "E2\tAttribution:T4 Content:T3 Source:T4\n"
        + ann_line("T5", "Content", "the plan failed")
        + ann_line("T6", "Source", "Officials")
        + "E3\tAttribution:T6 Content:T5 Source:T6\n"
        + ann_line("T7", "Content", '"Never again,"', '"not on my watch."')
        + ann_line("T8", "Source", "the senator")
        + "E4\tAttribution:T8 Content:T7 Source:T8\n"
    )
    (root / "dev" / "attributions" / f"{NAME}_aa.ann").write_text(ann, encoding="utf-8")
    entries = [
        ("E1", '"We will win,"', "Bob Smith", "Bob Smith"),
        ("E2", 'taxes are "too high" for families', "He", "Bob Smith"),
        ("E4", '"Never again,"', "the senator", "Jane Doe"),
    ]
    rows = [
        {"article": NAME, "ann": f"{NAME}_aa.ann", "rel": rel, "content": list(span(content)),
         "source": list(span(source)), "source_text": source, "cue_text": "said",
         "canonical": canonical, "type": "person", "note": ""}
        for rel, content, source, canonical in entries
    ]  # fmt: skip
    (root / "speakers.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return root


def quote(kind: str, needle: str, name: str | None = None, mention: str | None = None) -> dict[str, Any]:
    start, end = span(needle)
    m = (
        None
        if mention is None
        else {**dict(zip(("start", "end"), span(mention), strict=True)), "kind": "name"}
    )
    speaker = {"name": name, "actor_id": None, "mention": m}
    return {"kind": kind, "start": start, "end": end, "text": needle, "speaker": speaker, "cue": None}


PREDICTED = [
    quote("direct", '"We will win,"', "Bob Smith", "Bob Smith"),  # E1, cover 1.0, right speaker
    quote("partial", '"too high"'),  # E2, cover 10/33 = 0.303
    quote("direct", '"Never again,"', "Smith"),  # E4, cover 14/33 = 0.42
    quote("direct", '"not on my watch."', "Smith"),  # E4, cover 19/33 = 0.58, wrong speaker
    quote("indirect", "the plan failed"),  # unquoted gold: not scored
    quote("direct", "Headline"),  # a false alarm
]


def fake_analyzer(quotes: list[dict[str, Any]], seen: list[tuple[str, str | None]] | None = None) -> Any:
    def analyze(text: str, published: str | None) -> dict[str, Any]:
        if seen is not None:
            seen.append((text, published))
        return {"text": text, "quotes": quotes}

    return analyze


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "yes" loudly', True),
        ("It doesn’t matter", False),
        ("Trump Was ‘Mocking’ Clinton Camp", True),
        ("the salience of ethnic ties in voters’ preferences", False),
        ("the U.N.'s Security Council", False),
        ("taxes ''make sense,'' he said", True),
        ("a «citation» here", True),
        ("It’s ‘in Their Heads.’", True),
        ("back in the ’90s", False),
    ],
)
def test_has_quotation_mark(text: str, quoted: bool) -> None:
    assert has_quotation_mark(text, ((0, len(text)),)) is quoted


def test_has_quotation_mark_reads_only_the_ranges() -> None:
    text = 'no marks here "but here"'
    assert not has_quotation_mark(text, ((0, 13),))
    assert has_quotation_mark(text, ((0, 3), (14, 20)))


def _speaker(source_text: str | None, canonical: str | None, type_: str = "person") -> Speaker:
    return Speaker("a", "a_x.ann", "E1", (0, 1), None, source_text, "said", canonical, type_)


@pytest.mark.parametrize(
    ("source_text", "canonical", "type_", "kind"),
    [
        ("he", "Kerr Putney", "person", "pronoun"),
        ("They", "Democrats", "group", "pronoun"),
        ("who", "Stevie Wonder", "person", "pronoun"),
        ("Mr. Sharpton", "Al Sharpton", "person", "name"),
        ("the Security Council", "United Nations Security Council", "organization", "name"),
        ("The New York businessman", "Donald Trump", "person", "description"),
        ("the daily", "The Daily Caller", "organization", "description"),  # lower-case: not a name
        ("D.C. conduct standards", "d.c. conduct standards", "unknown", "description"),
        (None, None, "unknown", "none"),
    ],
)
def test_mention_kind(source_text: str | None, canonical: str | None, type_: str, kind: str) -> None:
    assert mention_kind(_speaker(source_text, canonical, type_)) == kind


def test_greedy_match_takes_the_best_cover_first() -> None:
    # pred 0 covers gold 0 by 0.6 and gold 1 by 0.9; pred 1 covers only gold 0, by 0.8.
    assert greedy_match([(0.6, 0, 0), (0.9, 0, 1), (0.8, 1, 0)], 0.5) == {1: 0, 0: 1}
    assert greedy_match([(0.4, 0, 0)], 0.5) == {}


def test_gold_is_the_quoted_relations(tmp_path: Path) -> None:
    (doc,) = iter_documents(write_corpus(tmp_path))
    assert [r.rel for r in quoted_relations(doc)] == ["E1", "E2", "E4"]


def test_detection_scores_by_threshold(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    scores = evaluate_quotes(root, fake_analyzer(PREDICTED))
    assert (scores.documents, scores.gold, scores.predicted, scores.predicted_indirect) == (1, 3, 5, 1)
    at = {d.threshold: d for d in scores.detection}
    # 0.3: E1-P0, E2-P1, E4-P3 (P3 covers E4 better than P2) -> P 3/5, R 3/3.
    assert (at[0.3].matched_gold, at[0.3].precision, at[0.3].recall) == (3, 3 / 5, 1.0)
    assert at[0.3].f1 == pytest.approx(0.75)
    # 0.5: E1-P0, E4-P3 -> P 2/5, R 2/3, F1 0.5.
    assert (at[0.5].precision, at[0.5].recall) == (2 / 5, 2 / 3)
    assert at[0.5].f1 == pytest.approx(0.5)
    # 0.8: E1-P0 only -> P 1/5, R 1/3, F1 0.25.
    assert (at[0.8].precision, at[0.8].recall) == (1 / 5, 1 / 3)
    assert at[0.8].f1 == pytest.approx(0.25)
    assert scores.matched == 2
    assert scores.fragments == 1  # P2 "Never again," lies inside matched E4
    assert scores.who_said_what is None and scores.speaker_accuracy is None  # no speakers file


def test_speakers_mentions_and_who_said_what(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    scores = evaluate_quotes(root, fake_analyzer(PREDICTED), speakers=root / "speakers.jsonl")
    # Matched at 0.5: E1 (Bob Smith, right, name mention) and E4 (Smith vs Jane Doe, description).
    assert (scores.speaker_correct, scores.speaker_evaluated, scores.speaker_accuracy) == (1, 2, 0.5)
    kinds = {k.kind: (k.correct, k.total) for k in scores.speaker_by_kind}
    assert kinds == {"name": (1, 1), "pronoun": (0, 0), "description": (0, 1), "none": (0, 0)}
    # P0's mention overlaps "Bob Smith"; P3 has no mention.
    assert (scores.mention_overlapping, scores.mention_evaluated, scores.mention_overlap) == (1, 2, 0.5)
    wsw = scores.who_said_what
    assert wsw is not None
    assert (wsw.precision, wsw.recall) == (1 / 5, 1 / 3)
    assert wsw.f1 == pytest.approx(0.25)
    assert scores.gold_with_speaker == 3
    metrics = scores.metrics()
    assert metrics["f1@0.5"] == pytest.approx(0.5)
    assert metrics["speaker_accuracy_name"] == 1.0
    assert json.loads(json.dumps(scores.to_dict()))["gold"] == 3
    report = format_quote_scores(scores)
    assert "cover >= 0.5: P 0.400  R 0.667  F1 0.500" in report
    assert "who said what: P 0.200  R 0.333  F1 0.250" in report


def test_an_indirect_prediction_counts_for_recall_not_precision(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    broad = quote("indirect", 'He added that taxes are "too high" for families')
    scores = evaluate_quotes(root, fake_analyzer([broad]))
    at = {d.threshold: d for d in scores.detection}
    assert (scores.predicted, scores.predicted_indirect) == (0, 1)
    assert (at[0.5].matched_gold, at[0.5].matched_predicted, at[0.5].precision) == (1, 0, 0.0)
    assert at[0.5].recall == 1 / 3


def test_quoted_predictions_are_matched_before_indirect_ones(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    broad = quote("indirect", 'He added that taxes are "too high" for families')
    inner = quote("partial", 'are "too high" for families')  # covers 27/33 of E2
    scores = evaluate_quotes(root, fake_analyzer([broad, inner]))
    at = {d.threshold: d for d in scores.detection}
    assert (at[0.5].matched_gold, at[0.5].matched_predicted, at[0.5].precision) == (1, 1, 1.0)


def test_discontinuous_gold_counts_only_range_characters(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    # From the first range's start to the gap's end: 14 of the 33 range characters.
    start, _ = span('"Never again,"')
    gap_end, _ = span('"not on my watch."')
    wide = {**quote("direct", '"Never again,"'), "start": start, "end": gap_end}
    scores = evaluate_quotes(root, fake_analyzer([wide]), thresholds=(0.4, 0.5))
    assert [d.matched_gold for d in scores.detection] == [1, 0]


def test_per_document_errors(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    (result,) = score_documents(root, fake_analyzer(PREDICTED), speakers=root / "speakers.jsonl")
    assert [m.rel for m in result.misses] == ["E2"]
    assert [m.text for m in result.false_alarms] == ['"too high"', '"Never again,"', "Headline"]
    assert [(w.rel, w.predicted, w.gold) for w in result.wrong_speakers] == [("E4", "Smith", "Jane Doe")]
    report = format_document_errors(result)
    assert "missed E2" in report and "wrong speaker E4" in report


def test_the_analyzer_gets_text_and_published_date(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    seen: list[tuple[str, str | None]] = []
    calls: list[tuple[int, int]] = []
    evaluate_quotes(root, fake_analyzer([], seen), progress=lambda done, total: calls.append((done, total)))
    assert seen == [(TEXT, "2016-09-12")]
    assert calls == [(1, 1)]


def test_an_analyzer_that_changes_the_text_is_an_error(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    with pytest.raises(EvaluationError, match="changed the text"):
        evaluate_quotes(root, lambda text, published: {"text": text.strip(), "quotes": []})


def test_malformed_predictions_are_an_error(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    with pytest.raises(EvaluationError, match="contract"):
        evaluate_quotes(root, fake_analyzer([{"kind": "direct"}]))


@pytest.mark.skipif(not (SHARED / "polnear").is_dir(), reason="shared PolNeAR data not present")
def test_real_polnear_dev_gold_matches_the_speakers_file() -> None:
    polnear = SHARED / "polnear"
    speakers = read_speakers(polnear / "polnear-dev-speakers.jsonl")
    docs = list(iter_documents(polnear, "dev"))
    assert len(docs) == 84
    quoted = {(d.name, r.rel): (d, r) for d in docs for r in quoted_relations(d)}
    assert len(speakers) == 710
    assert set(speakers) <= set(quoted)
    # The 22 more: headline relations quoted with single marks only (‘Mocking’), which the
    # speakers file leaves out.
    extra = [quoted[key] for key in set(quoted) - set(speakers)]
    assert len(extra) == 22
    for doc, rel in extra:
        assert rel.extent[0] < 100
        assert not any(c in doc.slice(rel.content) for c in '"“”')
    for (name, rel_id), entry in speakers.items():
        assert quoted[(name, rel_id)][1].extent == entry.content
    scores = evaluate_quotes(polnear, fake_analyzer([]), speakers=polnear / "polnear-dev-speakers.jsonl")
    assert (scores.documents, scores.gold, scores.gold_with_speaker) == (84, 732, 710)
