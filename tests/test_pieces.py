"""A long article analysed in bounded pieces: every quote found once, offsets into the whole text,
one actor per person across pieces (texts written for these tests)."""

from __future__ import annotations

import itertools

import pytest

from onrecord import analyze, pieces
from onrecord.model import Span


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_CHARS", 1_500)
    monkeypatch.setattr(pieces, "CONTEXT_CHARS", 400)
    monkeypatch.setattr(pieces, "TAIL_CHARS", 200)


def _hearing(rounds: int) -> str:
    opening = (
        "Harbour Hearing\n\nKremlin spokesman Dmitry Peskov and the harbour director Anna Berg spoke to"
        " the committee on Monday about the port treaty.\n\n"
    )
    turns = []
    for i in range(rounds):
        turns.append(f'"The talks on clause {i} are not finished," Peskov said. "We need more time."\n\n')
        turns.append(f'Berg disagreed about clause {i}. "The port cannot wait," she said.\n\n')
    return opening + "".join(turns)


def test_ranges_cover_the_text_and_cut_where_paragraphs_start() -> None:
    text = "".join(f"Paragraph {i} " + "word " * 60 + "\n\n" for i in range(40))
    starts = [i for i in range(len(text)) if i == 0 or text[i - 2 : i] == "\n\n"]
    paragraphs = [Span(s, s) for s in starts]
    cut = pieces.ranges(text, paragraphs, size=1_000)
    assert cut[0][0] == 0 and cut[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cut))
    assert all(end - start <= 1_000 for start, end in cut)
    assert all(start in starts for start, _ in cut)


def test_one_endless_paragraph_is_cut_after_a_sentence() -> None:
    text = 'The minister said "no." ' * 400
    cut = pieces.ranges(text, [Span(0, len(text))], size=1_000)
    assert len(cut) > 5 and cut[-1][1] == len(text)
    assert all(text[:start].rstrip().endswith('."') for start, _ in cut[1:])


@pytest.mark.usefixtures("small_pieces")
def test_a_long_hearing_in_pieces_finds_every_quote_once_with_its_speaker() -> None:
    text = _hearing(30)
    assert pieces.needs_pieces(text)
    article = analyze(text, published="2024-03-04")
    direct = [q for q in article.quotes if q.kind == "direct"]
    said = [q for q in direct if "not finished" in q.span.text(text)]
    assert len(said) == 30
    assert len({q.span for q in article.quotes}) == len(article.quotes)  # none twice
    for q in said:
        assert q.span.text(text).startswith('"The talks on clause')  # offsets into the whole text
        speaker = article.actor(q.actor_id)
        assert speaker is not None and speaker.name == "Dmitry Peskov"
    berg = [q for q in direct if "cannot wait" in q.span.text(text)]
    assert len(berg) == 30 and {article.actor(q.actor_id).name for q in berg} == {"Anna Berg"}  # type: ignore[union-attr]
    peskov = [a for a in article.actors if "Peskov" in a.name]
    assert [a.name for a in peskov] == ["Dmitry Peskov"]
    for actor in article.actors:
        for mention in actor.mentions:
            assert text[mention.span.start : mention.span.end].strip()


def test_a_short_article_is_analysed_whole() -> None:
    assert not pieces.needs_pieces(_hearing(3))
