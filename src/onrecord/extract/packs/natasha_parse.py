"""Russian parsing with natasha (segmenter, morphology, UD syntax, names) as a spaCy ``Doc``.

natasha's annotations become a spaCy ``Doc`` over exactly the input text (whitespace that is not a
single space becomes a token of its own, as spaCy's tokenizer makes it), so the shared attributor
(``packs.attribution``) reads Russian as it reads French, and every offset is one into the input.
Each name entity's normal form (nominative: "Марии Захаровой" -> "Мария Захарова") is kept in
``doc.user_data["normal_names"]`` by its character span.

natasha's models run on numpy, whose thread pool the ingest and Spark workers limit to one thread
(``processes.one_thread_per_worker``: with the default pool an article costs twice the CPU).
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import Any

from onrecord.model import Article

NORMAL_NAMES = "normal_names"


@cache
def _models() -> tuple[Any, ...]:
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    return (
        Segmenter(),
        MorphVocab(),
        NewsMorphTagger(embedding),
        NewsSyntaxParser(embedding),
        NewsNERTagger(embedding),
    )


@cache
def _vocab() -> Any:
    import spacy

    return spacy.blank("ru").vocab  # Russian lexical attributes (lower case, punctuation), no pipes


def parse(text: str) -> Any:
    """``text`` annotated by natasha, as a spaCy Doc whose text is ``text``."""
    from natasha import Doc as NatashaDoc
    from spacy.tokens import Doc

    segmenter, morph_vocab, morph, syntax, ner = _models()
    words: list[str] = []
    spaces: list[bool] = []
    pos: list[str] = []
    lemmas: list[str] = []
    deps: list[str] = []
    heads: list[int] = []
    morphs: list[str] = []
    ids: dict[str, int] = {}
    pending: list[tuple[int, str]] = []  # (token index, natasha head id)
    at = 0

    def add(word: str, tag: str, lemma: str, dep: str, feats: str) -> int:
        words.append(word)
        spaces.append(False)
        pos.append(tag)
        lemmas.append(lemma)
        deps.append(dep)
        heads.append(len(words) - 1)
        morphs.append(feats)
        return len(words) - 1

    def gap(until: int) -> None:
        nonlocal at
        between = text[at:until]
        if between == " " and words:
            spaces[-1] = True
        elif between:
            i = add(between, "SPACE", between, "dep", "")
            heads[i] = i - 1 if i > 0 else i
        at = until

    names: list[tuple[int, int, str, str]] = []  # (start, end, type, normal form)
    for line in re.finditer(r"[^\n]+", text):  # a line break ends a sentence, as in English
        if not line.group().strip():
            continue
        found = NatashaDoc(line.group())
        found.segment(segmenter)
        found.tag_morph(morph)
        found.parse_syntax(syntax)
        found.tag_ner(ner)
        base = line.start()
        for sent in found.sents:
            for token in sent.tokens:
                gap(base + token.start)
                token.lemmatize(morph_vocab)
                feats = "|".join(f"{k}={v}" for k, v in sorted((token.feats or {}).items()))
                word = text[base + token.start : base + token.stop]
                i = add(word, token.pos or "X", token.lemma or token.text, token.rel or "dep", feats)
                ids[f"{base}:{token.id}"] = i
                pending.append((i, f"{base}:{token.head_id}"))
                at = base + token.stop
        for span in found.spans:
            span.normalize(morph_vocab)
            names.append((base + span.start, base + span.stop, span.type, span.normal or span.text))
    gap(len(text))
    for i, head in pending:
        heads[i] = ids.get(head, i)
    _break_cycles(heads)
    iob = ["O"] * len(words)
    normal: dict[tuple[int, int], str] = {}
    starts = _starts(words, spaces)
    for start, stop, kind, form in names:
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, stop)
        inside = [i for i in range(first, last) if pos[i] != "SPACE"]
        if not inside or kind not in ("PER", "ORG", "LOC"):
            continue
        for k, i in enumerate(inside):
            iob[i] = ("B-" if k == 0 else "I-") + kind
        normal[(start, stop)] = form
    doc = Doc(
        _vocab(),
        words=words,
        spaces=spaces,
        pos=pos,
        lemmas=lemmas,
        deps=deps,
        heads=heads,
        morphs=morphs,
        ents=iob,
    )
    doc.user_data[NORMAL_NAMES] = normal
    return doc


def _break_cycles(heads: list[int]) -> None:
    """A token whose heads lead back to itself (the parser's rare cycle) becomes a root, so the
    tree spaCy walks is a tree."""
    done: set[int] = set()
    for start in range(len(heads)):
        path: list[int] = []
        seen: set[int] = set()
        i = start
        while i not in done and heads[i] != i:
            if i in seen:
                heads[i] = i  # cut the cycle here
                break
            seen.add(i)
            path.append(i)
            i = heads[i]
        done.update(path)
        done.add(i)


def _starts(words: list[str], spaces: list[bool]) -> list[int]:
    out, at = [], 0
    for word, space in zip(words, spaces, strict=True):
        out.append(at)
        at += len(word) + (1 if space else 0)
    return out


class NatashaParser:
    """Component: natasha over the article's analysable text (boilerplate blanked)."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __call__(self, article: Article) -> Article:
        from onrecord.extract.structure import analysable_text

        return article.evolve(doc=parse(analysable_text(article)))
