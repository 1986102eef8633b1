"""Corpus stories: MinHash signatures survive a round trip, near-duplicates meet, others do not."""

from __future__ import annotations

from corpus.sample import WIRE
from onrecord.corpus.dedup import StoryIndex, from_bytes, signature, to_bytes


def test_signature_round_trip_and_grouping() -> None:
    first = signature("Headline one. " + WIRE)
    copy = signature("Another outlet's headline. " + WIRE + " Reporting by a wire agency.")
    other = signature(" ".join(f"unrelated word{i}" for i in range(80)))
    assert first is not None and copy is not None and other is not None
    restored = from_bytes(to_bytes(first))
    assert restored.jaccard(first) == 1.0
    index = StoryIndex()
    index.add(1, 10, restored)
    assert index.find(copy) == 10
    assert index.find(other) is None
    assert len(index) == 1


def test_short_text_has_no_signature() -> None:
    assert signature("Too short to compare.") is None
