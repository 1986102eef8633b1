"""Tests for onrecord.evaluate.brat: the PolNeAR brat reader, on tiny fixtures written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.errors import EvaluationError
from onrecord.evaluate.brat import (
    iter_documents,
    parse_ann,
    published_from_name,
    read_document,
    read_speakers,
)

ANN = (
    "T1\tSource 0 3\tBob\n"
    "T2\tCue 4 8\tsaid\n"
    "T3\tContent 9 14;20 25\taaaaa bbbbb\n"
    "T4\tAttribution 4 8\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 30 40\tline one\n"
    "line two of the same span\n"
    "T6\tCue 41 45\tsaid\n"
    "E2\tAttribution-no-source:T6 Content:T5 Cue:T6\n"
    "#1\tAnnotatorNotes T5\tsome note\n"
    "T7\tDiscard 50 55\tjunk\n"
    "E3\tAttribution:T6 Cue:T6\n"
)


def test_parse_ann_reads_roles_and_discontinuous_spans() -> None:
    rels = parse_ann(ANN, "art")
    assert [r.rel for r in rels] == ["E1", "E2"]  # E3 has no Content
    first, second = rels
    assert first.content == ((9, 14), (20, 25))
    assert first.extent == (9, 25)
    assert first.source == ((0, 3),)
    assert first.cue == ((4, 8),)
    assert first.label == "Attribution"
    assert second.source is None
    assert second.label == "Attribution-no-source"
    assert second.article == "art"


def test_parse_ann_rejects_a_dangling_reference() -> None:
    with pytest.raises(EvaluationError, match="T9"):
        parse_ann("T1\tContent 0 3\tabc\nE1\tAttribution:T1 Content:T1 Source:T9\n", "art")


def _write_split(root: Path) -> Path:
    text_dir, ann_dir = root / "dev" / "text", root / "dev" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    (text_dir / "pub_2016-09-12_one.txt").write_text("Bob said hello there.\n", encoding="utf-8")
    (text_dir / "pub_2016-09-13_two.txt").write_text("Nothing here.\n", encoding="utf-8")
    (ann_dir / "pub_2016-09-12_one_b2.ann").write_text("T1\tContent 0 3\tBob\nE1\tContent:T1\n")
    (ann_dir / "pub_2016-09-12_one_a1.ann").write_text(
        "T1\tContent 9 14\thello\nT2\tSource 0 3\tBob\nE1\tContent:T1 Source:T2\n"
    )
    return root


def test_iter_documents_uses_the_alphabetically_first_annotator(tmp_path: Path) -> None:
    docs = list(iter_documents(_write_split(tmp_path)))
    assert [d.name for d in docs] == ["pub_2016-09-12_one", "pub_2016-09-13_two"]
    one, two = docs
    assert one.ann == "pub_2016-09-12_one_a1.ann"
    assert one.relations[0].content == ((9, 14),)
    assert one.slice(one.relations[0].content) == "hello"
    assert one.published == "2016-09-12"
    assert two.relations == ()  # no .ann file
    assert len(list(iter_documents(tmp_path, limit=1))) == 1


def test_iter_documents_needs_the_split_folders(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="PolNeAR"):
        list(iter_documents(tmp_path, "train"))


def test_read_document_rejects_spans_outside_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("short", encoding="utf-8")
    (tmp_path / "a_x.ann").write_text("T1\tContent 0 99\tx\nE1\tContent:T1\n")
    with pytest.raises(EvaluationError, match="outside"):
        read_document(tmp_path / "a.txt", tmp_path / "a_x.ann")


def test_read_document_keeps_the_text_exactly(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("caf\u00e9\r\nline\u00a0two".encode())
    assert read_document(tmp_path / "a.txt", None).text == "caf\u00e9\r\nline\u00a0two"


def test_published_from_name() -> None:
    assert published_from_name("breitbart_2016-09-12_stealth-over") == "2016-09-12"
    assert published_from_name("no-date-here") is None


def test_read_speakers(tmp_path: Path) -> None:
    rows = [
        {"article": "a", "ann": "a_x.ann", "rel": "E1", "content": [9, 14], "source": [0, 3],
         "source_text": "Bob", "cue_text": "said", "canonical": "Bob Smith", "type": "person", "note": "n"},
        {"article": "a", "ann": "a_x.ann", "rel": "E2", "content": [20, 30], "source": None,
         "source_text": None, "cue_text": None, "canonical": None, "type": "unknown", "note": ""},
    ]  # fmt: skip
    path = tmp_path / "speakers.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    lookup = read_speakers(path)
    assert lookup[("a", "E1")].canonical == "Bob Smith"
    assert lookup[("a", "E1")].source == (0, 3)
    assert lookup[("a", "E2")].source is None
    path.write_text('{"article": "a"}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"speakers\.jsonl:1"):
        read_speakers(path)
