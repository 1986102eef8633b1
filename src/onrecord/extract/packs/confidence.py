"""A confidence on every speaker a language pack gives: how often its rule was right on labelled text.

The packs' attributions come from rules (a cue after the quotation, a sentence in reported speech
continuing the speaker before, the person named last, ...), and each is as good as the rule and the
mention it found (a name is surer than a pronoun, a pronoun than a description). ``confidence.tsv``
holds, for each (rule, mention kind), how many attributions the hand-labelled non-English articles
judged right out of how many (``onrecord.evaluate.pack_confidence``, ``scripts/calibrate-packs``);
a statement's confidence is that share, smoothed ((right + 1) / (total + 2)), falling back to the
rule's share over every mention kind, then to every rule's. Measured leave-one-article-out, so it is
a calibrated probability on articles it was not counted from.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib import resources

from onrecord.model import Article, Quote

TABLE = "confidence.tsv"
ANY = "*"
# Below this a rule is wrong far more often than right: the statement is kept and its speaker
# withheld (saying why), as the English chooser withholds its least sure choices.
WITHHOLD_BELOW = 0.25

# Evidence text -> the rule that gave it (the packs write evidence as words for the reader).
_RULES = (
    (re.compile(r"^cue '.*' after the quotation$"), "cue-after"),
    (re.compile(r"^cue '.*' before the quotation$"), "cue-before"),
    (re.compile(r"^cue '.*'$"), "cue-clause"),
    (re.compile(r"^continues the previous speaker$"), "continues"),
    (re.compile(r"^the sentence's subject, no cue$"), "subject"),
    (re.compile(r"^reported speech after a statement$"), "reported-mood"),
    (re.compile(r"^inside a reported clause$"), "inside-clause"),
    (re.compile(r"^the speaker of the sentence before$"), "sentence-before"),
    (re.compile(r"^the source named before$"), "anaphoric"),
    (re.compile(r"^the person named last, no subject$"), "named-last"),
    (re.compile(r"^the same speaker, after the narrator's words$"), "resumed"),
    (re.compile(r"^introduced by the paragraph before$"), "introduced"),
)


def rule_of(quote: Quote) -> str:
    """The rule that attributed ``quote`` (its first evidence), or "other"."""
    first = quote.evidence[0] if quote.evidence else ""
    return next((rule for pattern, rule in _RULES if pattern.match(first)), "other")


def key_of(quote: Quote) -> tuple[str, str]:
    """(rule, mention kind) of an attributed statement."""
    return rule_of(quote), quote.speaker.kind if quote.speaker is not None else "none"


Counts = dict[tuple[str, str], tuple[int, int]]  # (rule, mention kind) -> (right, total)


def probability(counts: Counts, key: tuple[str, str]) -> float:
    """The smoothed share of right attributions for ``key``, backing off to its rule, then to all."""
    rule = (key[0], ANY)
    for k in (key, rule, (ANY, ANY)):
        if k in counts and counts[k][1] > 0:
            right, total = counts[k]
            return (right + 1) / (total + 2)
    return 0.5


def with_totals(counts: Counts) -> Counts:
    """``counts`` with each rule's total over mention kinds and the grand total added."""
    out = dict(counts)
    for (rule, kind), (right, total) in counts.items():
        if ANY in (rule, kind):
            continue
        for k in ((rule, ANY), (ANY, ANY)):
            r, t = out.get(k, (0, 0))
            out[k] = (r + right, t + total)
    return out


@cache
def shipped() -> Counts:
    """The counts shipped with onrecord (``extract/packs/confidence.tsv``)."""
    text = resources.files("onrecord.extract.packs").joinpath(TABLE).read_text(encoding="utf-8")
    counts: Counts = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rule, kind, right, total = line.split("\t")
            counts[(rule, kind)] = (int(right), int(total))
    return with_totals(counts)


class PackConfidence:
    """Component: the confidence of each attributed statement of a language pack."""

    requires = ("quotes",)
    provides = ("confidence",)

    def __init__(self, counts: Counts | None = None, withhold_below: float = WITHHOLD_BELOW) -> None:
        self.counts = counts
        self.withhold_below = withhold_below  # 0: withhold nothing (counting the rules themselves)

    def __call__(self, article: Article) -> Article:
        counts = self.counts if self.counts is not None else shipped()
        return article.evolve(quotes=tuple(self._scored(q, counts) for q in article.quotes))

    def _scored(self, quote: Quote, counts: Counts) -> Quote:
        if not quote.actor_id:
            return quote
        p = probability(counts, key_of(quote))
        if p < self.withhold_below:
            rule = rule_of(quote)
            return replace(
                quote,
                speaker=None,
                actor_id=None,
                evidence=(*quote.evidence, f"speaker withheld: '{rule}' is right {p:.0%} of the time"),
            )
        return replace(quote, confidence=round(p, 3))
