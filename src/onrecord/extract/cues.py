"""Cues: spaCy tokens -> the verb or phrase introducing a statement, from the cue lexicon."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from onrecord.extract.lexicons import table


@dataclass(frozen=True, slots=True)
class CueEntry:
    """A lexicon cue: its lemma sequence and attitude class."""

    lemmas: tuple[str, ...]
    attitude: str


@cache
def cue_index() -> dict[str, tuple[CueEntry, ...]]:
    """Cue entries keyed by their first lemma, longest first."""
    index: dict[str, list[CueEntry]] = {}
    for row in table("cues.tsv"):
        lemmas = tuple(row[0].casefold().split())
        attitude = row[1] if len(row) > 1 else "neutral"
        index.setdefault(lemmas[0], []).append(CueEntry(lemmas, attitude))
    return {k: tuple(sorted(v, key=lambda e: -len(e.lemmas))) for k, v in index.items()}


def match_cue(token: Any) -> tuple[int, CueEntry] | None:
    """If a cue starts at ``token``, return (number of tokens, entry).

    Single-word cues must be verbs ("said", "noting"), so a noun like "statement" or "report" is
    not taken for one; "according to" is the one non-verbal multi-word cue.
    """
    entries = cue_index().get(token.lemma_.casefold()) or cue_index().get(token.lower_)
    if not entries:
        return None
    doc = token.doc
    for entry in entries:
        n = len(entry.lemmas)
        if n == 1:
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                return 1, entry
            continue
        if token.i + n > len(doc):
            continue
        following = doc[token.i + 1 : token.i + n]
        same = all(
            t.lemma_.casefold() == lemma or t.lower_ == lemma
            for t, lemma in zip(following, entry.lemmas[1:], strict=True)
        )
        verbal = entry.lemmas[0] == "according" or token.pos_ == "VERB" or token.tag_.startswith("VB")
        if same and verbal:
            return n, entry
    return None


@cache
def nominal_index() -> dict[str, CueEntry]:
    """Nominal cues ("claim", "statement") keyed by lemma."""
    return {
        row[0]: CueEntry((row[0],), row[1] if len(row) > 1 else "neutral")
        for row in table("nominal_cues.tsv")
    }


def match_nominal(token: Any) -> CueEntry | None:
    """A noun that introduces a statement, when the token is one."""
    if token.pos_ != "NOUN":
        return None
    return nominal_index().get(token.lemma_.casefold())
