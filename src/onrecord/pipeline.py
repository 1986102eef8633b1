"""The pipeline: RawDocument -> Article through an explicit, ordered list of components.

Each component is a callable Article -> Article declaring what it ``requires`` and ``provides``;
the order is checked once when the pipeline is built, so a misordered pipeline fails at start-up,
not halfway through a corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from onrecord.errors import AnalysisError, InputError, OnrecordError
from onrecord.model import Article, PublishedSource, RawDocument
from onrecord.pieces import analyse_in_pieces, needs_pieces

PIPELINE_VERSION = "0.1.0"
# The longest text analysed: spaCy's limit as set in extract/parse.py (its parser needs about 1 GB
# per 100,000 characters); checked up front so a 50 MB file fails at once with a plain reason.
MAX_TEXT_CHARS = 3_000_000


class Component(Protocol):
    """A pipeline stage."""

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def provides(self) -> tuple[str, ...]: ...

    def __call__(self, article: Article) -> Article: ...


def default_components() -> list[Component]:
    """The standard English pipeline, in order."""
    from onrecord.extract.actor_vetting import ActorVetter
    from onrecord.extract.dates import StatementDater
    from onrecord.extract.parse import Parser
    from onrecord.extract.published import PublicationDater
    from onrecord.extract.quotes import QuoteFinder
    from onrecord.extract.speaker_chooser import SpeakerChooser
    from onrecord.extract.speakers import SpeakerResolver
    from onrecord.extract.structure import StructureParser
    from onrecord.extract.timex import TimexTagger

    return [
        StructureParser(),
        Parser(),
        PublicationDater(),
        TimexTagger(),
        QuoteFinder(),
        SpeakerResolver(),
        SpeakerChooser(),
        ActorVetter(),
        StatementDater(),
    ]


class Pipeline:
    """An ordered list of components, checked once."""

    def __init__(self, components: Sequence[Component] | None = None) -> None:
        self.components = list(components) if components is not None else default_components()
        self._check_order()

    def _check_order(self) -> None:
        available = {"text", "published"}
        for component in self.components:
            missing = [need for need in getattr(component, "requires", ()) if need not in available]
            if missing:
                name = type(component).__name__
                raise OnrecordError(
                    f"pipeline order: {name} needs {', '.join(missing)}, which no earlier step provides"
                )
            available.update(getattr(component, "provides", ()))

    def __call__(self, raw: RawDocument, published: str | None = None) -> Article:
        if len(raw.text) > MAX_TEXT_CHARS:
            raise InputError(
                raw.source,
                f"text too long to analyse ({len(raw.text):,} characters, at most {MAX_TEXT_CHARS:,}):"
                " is it one article?",
            )
        article = to_article(raw, published)
        head, tail = self._split()
        for component in head:
            article = component(article)
        if tail and needs_pieces(article.text):
            return analyse_in_pieces(article, lambda piece: self._run(tail, piece))
        return self._run(tail, article)

    def _split(self) -> tuple[list[Component], list[Component]]:
        """The steps before the parse (cheap, over the whole text) and the parse and after (per
        piece of a long article, see ``onrecord.pieces``)."""
        at = next((i for i, c in enumerate(self.components) if "doc" in getattr(c, "provides", ())), None)
        if at is None:
            return self.components, []
        return self.components[:at], self.components[at:]

    @staticmethod
    def _run(components: Sequence[Component], article: Article) -> Article:
        for component in components:
            article = component(article)
        return article.evolve(doc=None)


def to_article(raw: RawDocument, published: str | None = None) -> Article:
    """Start an Article from a RawDocument; a date given by the user wins over the page's own."""
    date: str | None = raw.published
    source: PublishedSource | None = raw.published_source
    if published is not None:
        date, source = published, "given"
    return Article(
        text=raw.text,
        source=raw.source,
        format=raw.format,
        headline_text=raw.title,
        published=date,
        published_source=source,
        metadata=(*raw.metadata, ("encoding", raw.encoding)),
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input's result: an article, or the error that stopped it; ``notice`` says what a reader
    should know (a language onrecord has no pack for: structure only)."""

    source: str
    article: Article | None = None
    error: InputError | None = None
    notice: str | None = None


def run_many(
    loaders: Iterable[tuple[str, Callable[[], RawDocument]]],
    published: str | None = None,
    pipeline: Pipeline | None = None,
    timeout: float | None = None,
    route: bool = False,
) -> Iterator[Outcome]:
    """Analyse many documents; a bad one is reported as an Outcome with its error, and the run goes on.

    One whose analysis takes longer than ``timeout`` seconds fails with that reason (``onrecord.budget``).
    With ``route``, each document's language is detected (``metadata["language"]``), and one in a
    language without a pack gets its structure only, with a notice saying so.
    """
    from onrecord.budget import time_budget
    from onrecord.corpus.language import no_pack

    pipe = pipeline or Pipeline()
    for source, load in loaders:
        try:
            raw = load()
        except InputError as exc:
            yield Outcome(source, error=exc)
            continue
        notice = None
        try:
            with time_budget(timeout, source):
                if route:
                    article, language, analysed = analyse_routed(raw, published)
                    notice = None if analysed else no_pack(language)
                    article = article.evolve(metadata=(*article.metadata, ("language", language)))
                else:
                    article = pipe(raw, published)
        except InputError as exc:
            yield Outcome(source, error=exc)
            continue
        except Exception as exc:
            yield Outcome(
                source, error=AnalysisError(source, f"analysis failed: {type(exc).__name__}: {exc}")
            )
            continue
        yield Outcome(source, article=article, notice=notice)


def analyse_routed(raw: RawDocument, published: str | None = None) -> tuple[Article, str, bool]:
    """(article, language, analysed): the text's language detected and its pipeline run; a language
    without a pack gets its structure only (analysed False). What analyze, ingest, reanalyze and
    the evaluation of other languages share."""
    from onrecord.corpus.language import SUPPORTED, detect

    language = detect(raw.text)
    if language in SUPPORTED:
        return for_language(language)(raw, published), language, True
    return structure_only()(raw, published), language, False


def analyze_raw(raw: RawDocument, published: str | None = None, language: str | None = None) -> Article:
    """Analyse one RawDocument with the pipeline of its language (English when not given; each
    pipeline built once per process)."""
    return for_language(language)(raw, published)


def for_language(language: str | None) -> Pipeline:
    """The pipeline of a language: English's own, or a language pack's (``extract/packs``)."""
    if language is None or language == "en":
        return _default()
    return _pack(language)


@cache
def _pack(language: str) -> Pipeline:
    from onrecord.extract.packs import PACKS, components

    if language not in PACKS:
        raise OnrecordError(f"no language pack for {language!r}")
    return Pipeline(components(language))


@cache
def _default() -> Pipeline:
    return Pipeline()


@cache
def structure_only() -> Pipeline:
    """Structure (paragraphs, headline, boilerplate) only: what runs for a language without a pack."""
    from onrecord.extract.structure import StructureParser

    return Pipeline([StructureParser()])
