"""German tagging with HanTa (the Hanover Tagger: STTS part of speech and lemma) as a spaCy ``Doc``.

No German parser can be installed here (the registries hold only empty placeholders of spaCy's
German models, and the Universal Dependencies German treebanks are too large to be stored with the
project), so German is read by surface patterns (``packs.surface``) over tags and lemmas, as Europe
Media Monitor reads its seventy languages. HanTa's model ships in its package (LGPL-3.0).

spaCy's German tokenizer (rules only, no weights) cuts the text, so every token's offset is one into
the input; sentences end at ". ! ?" outside quotation marks and at line breaks, and HanTa tags each
sentence. ``token.tag_`` is the STTS tag ("VVFIN", "NE"), ``token.pos_`` its Universal tag,
``token.lemma_`` HanTa's lemma.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from onrecord.model import Article

# STTS tag (HanTa's coarse form, "VV(FIN)" -> "VVFIN") -> Universal Dependencies part of speech.
_UPOS = {
    "NN": "NOUN",
    "NE": "PROPN",
    "ART": "DET",
    "ADJ": "ADJ",
    "ADV": "ADV",
    "CARD": "NUM",
    "KON": "CCONJ",
    "KOKOM": "CCONJ",
    "KOUS": "SCONJ",
    "KOUI": "SCONJ",
    "ITJ": "INTJ",
    "PPER": "PRON",
    "PRF": "PRON",
    "PDS": "PRON",
    "PIS": "PRON",
    "PRELS": "PRON",
    "PWS": "PRON",
    "PPOSS": "PRON",
    "PRELAT": "DET",
    "PIAT": "DET",
    "PDAT": "DET",
    "PPOSAT": "DET",
    "PWAT": "DET",
    "PWAV": "ADV",
    "PAV": "ADV",
    "PROAV": "ADV",
    "APPR": "ADP",
    "APPRART": "ADP",
    "APPO": "ADP",
    "APZR": "ADP",
    "PTKZU": "PART",
    "PTKNEG": "PART",
    "PTKVZ": "ADP",
    "PTKANT": "PART",
    "PTKA": "PART",
    "FM": "X",
    "XY": "X",
    "TRUNC": "X",
}
_SENTENCE_END = frozenset(".!?")
_OPENING = frozenset('„“‚»«"')


# Word analyses kept per process: HanTa analyses a word's morphology afresh at each occurrence (93%
# of a German article's time), and a word's analysis depends on the word (and tag) alone.
WORD_CACHE = 50_000  # words (and word-tag pairs) kept: a few tens of MB per worker


@cache
def _tagger() -> Any:
    from functools import lru_cache

    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    tagger.analyze_forward = lru_cache(maxsize=WORD_CACHE)(tagger.analyze_forward)
    tagger._analyze = lru_cache(maxsize=WORD_CACHE)(tagger._analyze)
    return tagger


@cache
def _nlp() -> Any:
    import spacy

    return spacy.blank("de")  # German tokenizer rules, no weights


def _upos(tag: str, word: str) -> str:
    if tag.startswith("$"):
        return "PUNCT"
    if tag.startswith("VA") or tag.startswith("VM"):
        return "AUX"
    if tag.startswith("VV"):
        return "VERB"
    if tag.startswith("ADJ"):
        return "ADJ"
    if tag.startswith("NN"):  # "NNA": a nominalised adjective ("der Vorsitzende")
        return "NOUN"
    if not any(c.isalnum() for c in word):
        return "PUNCT"
    return _UPOS.get(tag, "X")


def sentence_starts(doc: Any) -> list[int]:
    """Token indices that start a sentence: after ". ! ?" (and any closing marks) when the next
    word is capitalised or opens a quotation, and after a line break."""
    starts = [0]
    for i in range(1, len(doc)):
        prev, token = doc[i - 1], doc[i]
        if "\n" in prev.text:
            starts.append(i)
            continue
        if token.is_space or (not prev.whitespace_ and not prev.is_space and token.text in _OPENING):
            continue  # a closing mark glued to the sentence's end: „Ich habe.“
        j = i - 1
        while j >= 0 and doc[j].text in "“”\"«»’'" and j > starts[-1]:
            j -= 1
        if (
            j >= 0
            and doc[j].text[-1:] in _SENTENCE_END
            and (token.text[:1].isupper() or token.text in _OPENING or token.text[:1].isdigit())
        ):
            if doc[j].text[-1:] == "." and len(doc[j].text) > 1 and doc[j].text[:-1].isdigit():
                continue  # an ordinal date: "am 3. Oktober"
            starts.append(i)
    return starts


def parse(text: str) -> Any:
    """``text`` tokenised, split into sentences and tagged, as a spaCy Doc whose text is ``text``."""
    from spacy.tokens import Doc

    cut = _nlp()(text)
    starts = sentence_starts(cut)
    tagger = _tagger()
    tags = ["_SP" if t.is_space else "" for t in cut]
    lemmas = [t.text for t in cut]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(cut)
        tokens = [t.i for t in cut[start:end] if not t.is_space]
        if not tokens:
            continue
        tagged = tagger.tag_sent([cut[i].text for i in tokens], taglevel=1)
        for i, (_, lemma, tag) in zip(tokens, tagged, strict=True):
            tags[i] = tag.replace("(", "").replace(")", "") or "XY"
            if lemma and lemma != "--":
                lemmas[i] = lemma
    first = set(starts)
    return Doc(
        cut.vocab,
        words=[t.text for t in cut],
        spaces=[bool(t.whitespace_) for t in cut],
        tags=tags,
        pos=["SPACE" if tag == "_SP" else _upos(tag, t.text) for t, tag in zip(cut, tags, strict=True)],
        lemmas=lemmas,
        sent_starts=[i in first for i in range(len(cut))],
    )


class HantaParser:
    """Component: the German tagger over the article's analysable text (boilerplate blanked)."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __call__(self, article: Article) -> Article:
        from onrecord.extract.structure import analysable_text

        return article.evolve(doc=parse(analysable_text(article)))
