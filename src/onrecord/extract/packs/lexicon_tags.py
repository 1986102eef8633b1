"""Tags from the pack's word lists, for a language with no tagger that can be installed (Spanish).

The surface patterns (``packs.surface``) need few facts about a word: is it a cue verb (and which),
a closed-class word (determiner, preposition, pronoun, conjunction), a name, or anything else. A pack
gives its closed-class words (``words.tsv``), its cue verbs (``cues.tsv``) with the regular endings
that make their forms (``conjugation.tsv``) and their irregular forms (``irregular.tsv``); a
capitalised word inside a sentence is a name (tag "NE"), and so is one opening a sentence when the
word after it is capitalised too ("Mohammed Ben Sulayem replicó"). Every other word is a noun.

spaCy's tokenizer rules for the language (no weights) cut the text, so every offset is one into the
input; sentences end as in ``hanta_parse.sentence_starts``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from onrecord.model import Article


@cache
def lexicon(code: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The pack's closed-class words (word -> part of speech) and cue forms (form -> (lemma, tag))."""
    from onrecord.extract.packs import PACKS, _rows

    pack = PACKS[code]
    closed = {r[0].strip(): r[1].strip() for r in _rows(pack, "words.tsv")}
    endings = {r[0].strip(): r[1].split() for r in _rows(pack, "conjugation.tsv")}
    forms: dict[str, tuple[str, str]] = {}
    for row in _rows(pack, "cues.tsv"):
        lemma = row[0].strip()
        for ending, made in endings.items():
            if lemma.endswith(ending):
                stem = lemma[: -len(ending)]
                for k, end in enumerate(made):
                    forms.setdefault(stem + end, (lemma, "VVPP" if k == len(made) - 1 else "VVFIN"))
    for row in _rows(pack, "irregular.tsv"):
        form, lemma = row[0].strip(), row[1].strip()
        forms[form] = (lemma, "VVPP" if form.endswith(("cho", "to", "do")) else "VVFIN")
    return closed, forms


@cache
def _nlp(code: str) -> Any:
    import spacy

    return spacy.blank(code)


def parse(text: str, code: str) -> Any:
    """``text`` tokenised, split into sentences and tagged from the word lists, as a spaCy Doc."""
    from spacy.tokens import Doc

    from onrecord.extract.packs.hanta_parse import sentence_starts

    cut = _nlp(code)(text)
    starts = set(sentence_starts(cut))
    closed, forms = lexicon(code)
    tags: list[str] = []
    pos: list[str] = []
    lemmas: list[str] = []
    opening = set(starts)  # a word may be capitalised because it opens a sentence or a quotation
    for t in cut:
        if t.text in '"“«„—–' and t.i + 1 < len(cut):
            opening.add(t.i + 1)
    for t in cut:
        low = t.lower_
        tag, upos, lemma = "NN", "NOUN", t.text
        if t.is_space:
            tag, upos = "_SP", "SPACE"
        elif not any(c.isalnum() for c in t.text):
            tag, upos = "$", "PUNCT"
        elif t.like_num:
            tag, upos = "CARD", "NUM"
        elif low in forms and not (t.text[:1].isupper() and t.i not in opening):
            lemma, tag = forms[low]
            upos = "VERB"
        elif low in closed and not (t.text[:1].isupper() and t.i not in opening):
            upos = closed[low]
            tag = {"AUX": "VAFIN"}.get(upos, upos)
            lemma = low
        elif t.text[:1].isupper():
            nxt = cut[t.i + 1] if t.i + 1 < len(cut) else None
            if t.i not in opening or (nxt is not None and nxt.text[:1].isupper() and not nxt.is_punct):
                tag, upos = "NE", "PROPN"
        tags.append(tag)
        pos.append(upos)
        lemmas.append(lemma)
    return Doc(
        cut.vocab,
        words=[t.text for t in cut],
        spaces=[bool(t.whitespace_) for t in cut],
        tags=tags,
        pos=pos,
        lemmas=lemmas,
        sent_starts=[t.i in starts for t in cut],
    )


class LexiconTagger:
    """Component: the word-list tagger over the article's analysable text (boilerplate blanked)."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __init__(self, code: str) -> None:
        self.code = code

    def __call__(self, article: Article) -> Article:
        from onrecord.extract.structure import analysable_text

        return article.evolve(doc=parse(analysable_text(article), self.code))
