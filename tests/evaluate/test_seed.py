"""Tests for onrecord.evaluate.seed: one article against a seed gold file, on a tiny fixture written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import EvaluationError
from onrecord.evaluate.seed import evaluate_seed, format_seed_scores, read_seed

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

TEXT = (
    "World\n\nBig Headline Here\n\nSputnik\n"
    'On Monday, Putin said that "talks will go on", calling the meeting "useful." '
    "Peskov said the sides agreed to meet\u00a0again.\n\n"
    '"We are ready," Peskov told reporters.\n'
    "Discuss the Discussion\nDiscuss"
)


def at(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def gold_quote(kind: str, needle: str, speaker: str, cue: str, mention: str | None = None) -> dict[str, Any]:
    start, end = at(needle)
    key = "content_contains" if kind == "indirect" else "content"
    out = {"kind": kind, key: needle, "start": start, "end": end, "speaker": speaker, "cue": cue}
    return out if mention is None else {**out, "speaker_mention": mention}


GOLD: dict[str, Any] = {
    "file": "story.txt",
    "published": "2020-10-19",
    "section": "World",
    "headline": "Big Headline Here",
    "boilerplate": ["Sputnik", "Discuss"],
    "actors": {"Vladimir Putin": ["Putin"], "Dmitry Peskov": ["Peskov"]},
    "quotes": [
        gold_quote("partial", '"talks will go on"', "Vladimir Putin", "said", "Putin"),
        gold_quote("partial", '"useful."', "Vladimir Putin", "calling", "Putin"),
        gold_quote("direct", '"We are ready,"', "Dmitry Peskov", "told", "Peskov"),
        gold_quote("indirect", "the sides agreed to meet\u00a0again", "Dmitry Peskov", "said"),
    ],
    "timex": [
        {"text": "On Monday", "start": at("On Monday")[0], "end": at("On Monday")[1], "value": "2020-10-19"}
    ],
}


def write_seed(root: Path, gold: dict[str, Any] = GOLD) -> Path:
    (root / "story.txt").write_bytes(TEXT.encode("utf-8"))
    path = root / "story.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def pred_quote(
    kind: str, start: int, end: int, name: str | None, cue: str | None = None, mention: str | None = None
) -> dict[str, Any]:
    m = None if mention is None else {"start": 0, "end": 0, "text": mention, "kind": "name"}
    return {
        "kind": kind,
        "start": start,
        "end": end,
        "text": TEXT[start:end],
        "speaker": {"name": name, "actor_id": None, "mention": m},
        "cue": None
        if cue is None
        else {"start": 0, "end": 0, "text": cue, "lemma": cue, "attitude": "neutral"},
        "said_on": None,
    }


def perfect(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """The prediction a perfect extractor would make for ``gold``."""
    lines = [at(b, text) for b in ("\nSputnik\n", "\nDiscuss\n") if b in text]
    boilerplate = [
        {"start": s + 1, "end": e - 1, "text": text[s + 1 : e - 1], "kind": "credit"} for s, e in lines
    ]
    if text.endswith("\nDiscuss"):
        boilerplate.append({"start": len(text) - 7, "end": len(text), "text": "Discuss", "kind": "interface"})
    quotes = [
        pred_quote(q["kind"], q["start"], q["end"], q["speaker"], q["cue"], q.get("speaker_mention"))
        for q in gold["quotes"]
    ]
    return {
        "text": text,
        "section": gold["section"],
        "headline": gold["headline"],
        "published": gold["published"],
        "published_source": "given",
        "boilerplate": boilerplate,
        "quotes": quotes,
        "timex": [{**t, "type": "DATE"} for t in gold["timex"]],
    }


def analyzer(**changes: Any) -> Any:
    def analyze(text: str, published: str | None) -> dict[str, Any]:
        return {**perfect(GOLD, text), **changes}

    return analyze


def test_a_perfect_prediction_scores_one_everywhere(tmp_path: Path) -> None:
    scores = evaluate_seed(write_seed(tmp_path), analyzer())
    assert set(scores.metrics().values()) == {1.0}
    assert scores.boilerplate_extra == ()
    assert "section ok, headline ok, published ok (2020-10-19, given)" in format_seed_scores(scores)


def test_the_analyzer_gets_the_text_exactly_and_the_published_date(tmp_path: Path) -> None:
    seen: list[tuple[str, str | None]] = []

    def analyze(text: str, published: str | None) -> dict[str, Any]:
        seen.append((text, published))
        return {"text": text}

    path = write_seed(tmp_path)
    evaluate_seed(path, analyze)
    evaluate_seed(path, analyze, give_published=False)
    assert seen == [(TEXT, "2020-10-19"), (TEXT, None)]


def test_span_tolerance_only_for_trailing_punctuation(tmp_path: Path) -> None:
    talks, useful, ready = (at(n) for n in ('"talks will go on"', '"useful."', '"We are ready,"'))
    quotes = [
        pred_quote("partial", talks[0], talks[1] + 1, "Vladimir Putin"),  # takes the "," after: ok
        pred_quote("partial", useful[0], useful[1] - 1, "Vladimir Putin"),  # drops the closing mark: ok
        pred_quote("direct", ready[0] + 1, ready[1], "Dmitry Peskov"),  # start off by one: not ok
        pred_quote("direct", ready[0], ready[1] + 2, "Dmitry Peskov"),  # two more characters: not ok
    ]
    scores = evaluate_seed(write_seed(tmp_path), analyzer(quotes=quotes))
    assert [q.found for q in scores.quotes] == [True, True, False, False]
    assert scores.metrics()["quotes_found"] == pytest.approx(2 / 3)
    assert scores.metrics()["quotes_precision"] == pytest.approx(2 / 4)


@pytest.mark.parametrize(
    ("kind", "needle", "found"),
    [
        ("indirect", "Peskov said the sides agreed to meet\u00a0again.", True),  # contains the gold range
        ("indirect", "the sides agreed", True),  # 16 of 30 characters
        ("indirect", "the sides", False),  # 9 of 30
        ("direct", "the sides agreed to meet\u00a0again", False),  # only indirect predictions match
    ],
)
def test_indirect_quotes_match_by_cover(tmp_path: Path, kind: str, needle: str, found: bool) -> None:
    start, end = at(needle)
    scores = evaluate_seed(write_seed(tmp_path), analyzer(quotes=[pred_quote(kind, start, end, None)]))
    assert scores.quotes[3].found is found
    assert scores.metrics()["indirect_found"] == float(found)


def test_speaker_cue_kind_and_mention_checks(tmp_path: Path) -> None:
    start, end = at('"We are ready,"')
    quotes = [pred_quote("partial", start, end, "Mr. Dmitry Peskov", " Told", "Peskov")]
    scores = evaluate_seed(write_seed(tmp_path), analyzer(quotes=quotes))
    check = scores.quotes[2]
    assert (check.found, check.speaker_ok, check.cue_ok, check.kind_ok, check.mention_ok) == (
        True,
        True,
        True,
        False,
        True,
    )
    metrics = scores.metrics()
    assert (metrics["speaker_accuracy"], metrics["kind_accuracy"]) == (1.0, 0.0)
    assert "kind partial/direct" in format_seed_scores(scores)


def test_boilerplate_counts_whole_lines_only(tmp_path: Path) -> None:
    spans = [at("Sputnik"), at("Discuss"), at("World"), at("Big Headline")]  # "Discuss" in "Discuss the…"
    boilerplate = [{"start": s, "end": e, "text": TEXT[s:e], "kind": "credit"} for s, e in spans]
    scores = evaluate_seed(write_seed(tmp_path), analyzer(boilerplate=boilerplate))
    assert scores.boilerplate_found == ("Sputnik",)
    assert scores.boilerplate_missed == ("Discuss",)
    # The section label is not extra; the "Discuss" inside a sentence line is.
    assert scores.boilerplate_extra == ("Discuss", "Big Headline")
    assert scores.metrics()["boilerplate_found"] == 0.5


def test_timex_exact_span_and_value(tmp_path: Path) -> None:
    def timex(needle: str, value: str) -> dict[str, Any]:
        start, end = at(needle)
        return {"start": start, "end": end, "text": needle, "value": value, "type": "DATE"}

    path = write_seed(tmp_path)
    right_value = evaluate_seed(path, analyzer(timex=[timex("Monday", "2020-10-19")]))
    assert (right_value.timex_span, right_value.timex_exact, right_value.timex_value) == (0, 0, 1)
    wrong_value = evaluate_seed(path, analyzer(timex=[timex("On Monday", "2020-10-26")]))
    assert (wrong_value.timex_span, wrong_value.timex_exact, wrong_value.timex_value) == (1, 0, 0)
    assert f"timex missed 'On Monday'@{at('On Monday')[0]}=2020-10-19" in format_seed_scores(wrong_value)


def test_wrong_fields(tmp_path: Path) -> None:
    scores = evaluate_seed(
        write_seed(tmp_path), analyzer(section=None, headline="Other", published=None, published_source=None)
    )
    assert (scores.section_ok, scores.headline_ok, scores.published_ok) == (False, False, False)


def test_bad_gold_offsets_are_an_error(tmp_path: Path) -> None:
    bad = {**GOLD, "timex": [{"text": "On Monday", "start": 0, "end": 9, "value": "2020-10-19"}]}
    with pytest.raises(EvaluationError, match="does not hold"):
        read_seed(write_seed(tmp_path, bad))


def test_an_analyzer_that_changes_the_text_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="changed the text"):
        evaluate_seed(write_seed(tmp_path), lambda text, published: {"text": text.replace("\u00a0", " ")})


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="shared seed data not present")
def test_the_real_seed_file_scores_one_for_its_own_gold() -> None:
    path = SHARED / "seed" / "sputnik-2020-10-22-new-start.gold.json"
    gold, _ = read_seed(path)
    scores = evaluate_seed(path, lambda t, published: perfect(gold, t))
    assert len(scores.quotes) == 19 and scores.timex_gold == 7
    assert set(scores.metrics().values()) == {1.0}
