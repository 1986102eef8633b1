"""A confidence on the language packs' speakers (extract/packs/confidence.py)."""

from __future__ import annotations

from onrecord.extract.packs.confidence import (
    ANY,
    Counts,
    PackConfidence,
    key_of,
    probability,
    shipped,
    with_totals,
)
from onrecord.model import Mention, Quote, RawDocument, Span
from onrecord.pipeline import analyse_routed

HAFEN = (
    "Streit um den Hafen\n\nDie Bürgermeisterin Anna Keller lehnte den Verkauf am Montag ab. "
    "„Der Hafen gehört den Bürgerinnen und Bürgern dieser Stadt“, sagte Keller vor dem Stadtrat."
)


def test_a_rule_and_mention_kind_seen_often_give_their_smoothed_share() -> None:
    counts = with_totals({("cue-after", "name"): (38, 40), ("continues", "none"): (1, 10)})
    assert probability(counts, ("cue-after", "name")) == 39 / 42
    assert probability(counts, ("continues", "none")) == 2 / 12


def test_an_unseen_pair_backs_off_to_its_rule_then_to_every_rule() -> None:
    counts = with_totals({("cue-after", "name"): (9, 10), ("cue-after", "pronoun"): (1, 10)})
    assert probability(counts, ("cue-after", "description")) == (10 + 1) / (20 + 2)
    assert probability(counts, ("resumed", "name")) == (10 + 1) / (20 + 2)
    assert (ANY, ANY) in counts


def test_a_german_speaker_gets_the_shipped_confidence_of_its_rule() -> None:
    article, _, _ = analyse_routed(RawDocument(HAFEN), None)
    quote = next(q for q in article.quotes if q.kind == "direct")
    assert key_of(quote) == ("cue-after", "name")
    assert quote.confidence == round(probability(shipped(), ("cue-after", "name")), 3)
    assert quote.confidence is not None and quote.confidence > 0.8


def test_a_rule_that_is_mostly_wrong_has_its_speaker_withheld() -> None:
    quote = Quote(
        "direct",
        Span(0, 10),
        Mention(Span(20, 25), "pronoun", "p-1"),
        "p-1",
        evidence=("continues the previous speaker",),
    )
    counts: Counts = with_totals({("continues", "pronoun"): (1, 20)})
    article, _, _ = analyse_routed(RawDocument(HAFEN), None)
    scored = PackConfidence(counts)(article.evolve(quotes=(quote,))).quotes[0]
    assert scored.actor_id is None and scored.speaker is None and scored.confidence is None
    assert "speaker withheld" in scored.evidence[-1]


def test_the_shipped_counts_name_only_known_rules() -> None:
    from onrecord.extract.packs.confidence import _RULES

    known = {rule for _, rule in _RULES} | {"other", ANY}
    assert {rule for rule, _ in shipped()} <= known
    assert all(0 <= right <= total for right, total in shipped().values())


def test_the_rules_are_counted_before_any_speaker_is_withheld() -> None:
    """The counts would otherwise shape themselves: a rule withheld today could never be seen again."""
    from onrecord.evaluate.pack_confidence import counting_pipeline

    steps = [c for c in counting_pipeline("de").components if isinstance(c, PackConfidence)]
    assert [s.withhold_below for s in steps] == [0.0]
