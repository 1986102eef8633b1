"""Experiment (issue 8): run spaCy's expensive components only on quote and cue candidate sentences.

    .venv/bin/python bench/bench_two_tier.py [--window 0 1] [--sample N]

Not part of the product: it measures what the two-tier analysis the issue suggests would give, so
the decision in bench/NOTES.md can be rerun. For each text of the seed and the PolNeAR dev set:

- candidates: sentences (rule-based sentencizer, line breaks end one) holding a double quotation
  mark, a word form of the cue lexicon (``cues.tsv``, ``nominal_cues.tsv``, every inflection from
  spaCy's own lemma rules and exceptions) or a piece of a quotation (``find_quotations``), widened
  by ``--window`` sentences each side;
- variant ``mask``: the sentences outside the candidates are blanked like boilerplate (same length,
  offsets unchanged) before the whole model runs, so the tagger, parser and NER see only candidates;
- variant ``ner-everywhere``: the full model runs, then the tags, lemmas and labels outside the
  candidates are wiped, which is what running only NER (or a name finder) outside them would give at
  best; it measures the quality side only (the speed side is the parser's share, below).

It prints the share of characters the models would read, the quality (``onrecord eval quotes`` and
the seed) and the CPU seconds of each variant, beside the full pipeline on the same texts.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from onrecord.evaluate.quotes import evaluate_quotes
from onrecord.extract import parse
from onrecord.extract.cues import cue_index, nominal_index
from onrecord.extract.quotemarks import find_quotations
from onrecord.extract.structure import analysable_text
from onrecord.ingest.document import from_text
from onrecord.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POLNEAR = SHARED / "polnear"
_DOUBLE = re.compile('["“”„‟«»]')
_WORD = re.compile(r"[A-Za-z]+")


@cache
def cue_forms() -> frozenset[str]:
    """Every inflected form of a cue lemma: spaCy's lemma exceptions inverted, its suffix rules run
    backwards, and doubled final consonants ("admitted")."""
    lookups = parse.load_nlp(fast=False).get_pipe("lemmatizer").lookups
    exceptions, rules = lookups.get_table("lemma_exc"), lookups.get_table("lemma_rules")
    lemmas = set(cue_index()) | set(nominal_index())
    forms = set(lemmas)
    for pos in ("verb", "noun"):
        forms.update(form for form, ls in exceptions[pos].items() if lemmas & set(ls))
    for lemma in lemmas:
        for old, new in [*rules["verb"], *rules["noun"]]:
            if lemma.endswith(new):
                forms.add(lemma[: len(lemma) - len(new)] + old)
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return frozenset(forms)


@cache
def sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of rule-based sentences, cut again at line breaks."""
    out = []
    for sent in sentencizer()(text).sents:
        start = sent.start_char
        for newline in re.finditer("\n", text[sent.start_char : sent.end_char]):
            out.append((start, sent.start_char + newline.end()))
            start = sent.start_char + newline.end()
        if start < sent.end_char:
            out.append((start, sent.end_char))
    return out


def outside(text: str, spans: list[tuple[int, int]], article: Any, window: int) -> list[bool]:
    """For each sentence span: whether it lies outside every candidate window."""
    quotes = find_quotations(text, [p.span for p in article.paragraphs])
    forms = cue_forms()
    flags = [
        bool(_DOUBLE.search(text[a:b]))
        or any(w.lower() in forms for w in _WORD.findall(text[a:b]))
        or any(q.start < b and a < q.end for q in quotes)
        for a, b in spans
    ]
    return [not any(flags[max(0, i - window) : i + window + 1]) for i in range(len(spans))]


class Counter:
    def __init__(self) -> None:
        self.chars = self.kept = 0


def masked_parser(window: int, counter: Counter) -> Callable[[Any, Any], Any]:
    def call(_self: Any, article: Any) -> Any:
        text = analysable_text(article)
        spans = sentences(text)
        chars = list(text)
        for (a, b), out in zip(spans, outside(text, spans, article, window), strict=True):
            counter.chars += b - a
            if out:
                chars[a:b] = [c if c in "\r\n" else " " for c in chars[a:b]]
            else:
                counter.kept += b - a
        return article.evolve(doc=parse.load_nlp()("".join(chars)))

    return call


def ner_everywhere_parser(window: int, counter: Counter) -> Callable[[Any, Any], Any]:
    def call(_self: Any, article: Any) -> Any:
        from spacy.attrs import DEP, LEMMA, LOWER, POS, TAG
        from spacy.parts_of_speech import X

        nlp = parse.load_nlp()
        doc = nlp(analysable_text(article))
        sents = list(doc.sents)
        spans = [(s.start_char, s.end_char) for s in sents]
        columns = doc.to_array([POS, TAG, DEP, LEMMA, LOWER])
        for sent, out in zip(sents, outside(doc.text, spans, article, window), strict=True):
            counter.chars += len(sent)
            if out:
                rows = slice(sent.start, sent.end)
                columns[rows, 0] = X
                columns[rows, 1] = nlp.vocab.strings.add("XX")
                columns[rows, 2] = nlp.vocab.strings.add("dep")
                columns[rows, 3] = columns[rows, 4]
            else:
                counter.kept += len(sent)
        doc.from_array([POS, TAG, DEP, LEMMA], columns[:, :4])
        return article.evolve(doc=doc)

    return call


def run(variant: str, window: int, sample: int | None) -> None:
    counter = Counter()
    stock = parse.Parser.__call__
    if variant == "mask":
        parse.Parser.__call__ = masked_parser(window, counter)  # type: ignore[method-assign]
    elif variant == "ner-everywhere":
        parse.Parser.__call__ = ner_everywhere_parser(window, counter)  # type: ignore[method-assign]
    pipeline = Pipeline()
    pipeline(from_text("Warm-up: the model loads once, outside the timing, she said."))
    counter.chars = counter.kept = 0
    try:
        start = time.process_time()
        scores = evaluate_quotes(
            POLNEAR,
            lambda text, published: pipeline(from_text(text), published).to_dict(),
            speakers=POLNEAR / "polnear-dev-speakers.jsonl",
            limit=sample,
        )
        seconds = time.process_time() - start
    finally:
        parse.Parser.__call__ = stock  # type: ignore[method-assign]
    share = counter.kept / counter.chars if counter.chars else 1.0
    metrics = scores.metrics()
    shown = ", ".join(
        f"{k} {metrics[k]:.3f}"
        for k in ("f1@0.5", "speaker_accuracy", "speaker_accuracy_pronoun", "speaker_accuracy_description",
                  "who_said_what_f1")
    )  # fmt: skip
    who = "the tagger and parser" if variant == "ner-everywhere" else "the models"
    read = f"{who} read {share:.0%} of the text"
    print(f"{variant} (window {window}): {read}; CPU {seconds:.1f} s; {shown}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--sample", type=int, help="only the first N PolNeAR dev texts")
    args = parser.parse_args()
    run("full", 0, args.sample)
    for window in args.window:
        for variant in ("mask", "ner-everywhere"):
            run(variant, window, args.sample)


if __name__ == "__main__":
    main()
