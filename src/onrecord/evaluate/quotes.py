"""Score predicted quotes against PolNeAR's quoted relations (gold + contract dicts in, scores out).

Gold: the relations whose content contains a quotation mark. Predictions: the ``quotes`` of the
``Article.to_dict()`` contract the analyzer returns, so the scorer does not depend on how the
extractor works.

Choices (measured on PolNeAR dev, alphabetically first .ann file per article, 84 documents):

* Quotation marks are ``" “ ” « » „ ‟``, a doubled ``''`` (NYT style), and the single marks
  ``‘ ’ '`` at a word boundary. An apostrophe between two letters ("doesn’t") is not a mark; a
  closing-position ``’``/``'`` counts only after an opening single mark in the same content, so a
  plural possessive ("voters’ preferences") or "U.N.'s" is not a quotation. This finds 732 quoted
  relations on dev: the 710 of ``polnear-dev-speakers.jsonl`` plus 22 headline relations quoted
  with single marks only (‘Mocking’), which that file leaves out; they count as gold for detection
  but carry no speaker entry.
* A predicted quote matches a gold relation when it covers at least ``threshold`` of the gold
  content characters (only characters inside the content ranges count, never the gap of a
  discontinuous span). Matching is one-to-one, greedy by descending coverage; direct and partial
  predictions are matched first, then indirect predictions may take the gold relations left over,
  so a broad indirect span never takes a gold quote away from a quoted prediction.
* Precision counts only direct and partial predictions (those with quotation marks): the gold
  holds only quoted relations, so an indirect prediction has no gold to be wrong against. An
  indirect prediction that covers a gold quote still counts towards recall.
* A gold relation quoted in two pieces ("…," he said, "…") is one gold item, so an extractor that
  finds the two pieces matches one and the other counts against precision; ``fragments`` counts
  those unmatched predictions that lie inside a matched gold relation.
* Speaker accuracy, mention overlap and who-said-what use the matches at ``threshold`` (0.5).
  Speaker accuracy is over matched quotes with a speakers entry (an entry made from another
  annotator's .ann file is ignored); mention overlap is over matched quotes whose gold relation
  has a Source span; who-said-what counts a quote matched with the right canonical speaker, its
  precision over direct and partial predictions, its recall over gold with a speakers entry.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.evaluate.brat import Document, Ranges, Relation, Speaker, iter_documents, read_speakers
from onrecord.evaluate.names import name_tokens, same_speaker
from onrecord.evaluate.quote_scores import (
    MENTION_KINDS,
    DocumentResult,
    Miss,
    QuoteScores,
    SpeakerCheck,
    aggregate,
    format_document_errors,
    format_quote_scores,
)
from onrecord.evaluate.spans import Range, coverage, greedy_match, overlaps

Analyzer = Callable[[str, str | None], dict[str, Any]]

_DOUBLE_MARKS = frozenset('"“”«»„‟')
_SINGLE_MARKS = frozenset("'‘’")
_OPENS_AFTER = frozenset('([{—–-/“"')  # a single mark after these opens
_PRONOUNS = frozenset(
    {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours"}
    | {"yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself"}
    | {"it", "its", "itself", "they", "them", "their", "theirs", "themselves"}
    | {"who", "whom", "whose", "which", "that"}  # relative pronouns need an antecedent too
)
_ARTICLES = frozenset({"The", "A", "An"})


def _single_mark_role(text: str, i: int) -> str | None:
    """Classify the single mark at ``text[i]``: "double" (``''``), "open", "close" or None (apostrophe)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev in _SINGLE_MARKS or nxt in _SINGLE_MARKS:
        return "double"
    if prev.isalpha() and nxt.isalpha():
        return None
    if (prev.isspace() or prev in _OPENS_AFTER) and not nxt.isspace():
        return "open"
    if text[i] != "‘" and not prev.isspace() and not nxt.isalnum():
        return "close"
    return None


def has_quotation_mark(text: str, ranges: Ranges) -> bool:
    """Whether the characters of ``ranges`` in ``text`` hold a quotation mark (see module docstring).

    Args:
        text: The article text (neighbouring characters decide what a single mark is).
        ranges: The content ranges of a relation.

    Returns:
        True for a double mark, a doubled single mark, or an opening single mark later closed.
    """
    opened = False
    for start, end in sorted(ranges):
        for i in range(start, end):
            if text[i] in _DOUBLE_MARKS:
                return True
            if text[i] in _SINGLE_MARKS:
                role = _single_mark_role(text, i)
                if role == "double" or (role == "close" and opened):
                    return True
                opened = opened or role == "open"
    return False


def quoted_relations(doc: Document) -> tuple[Relation, ...]:
    """The gold relations of ``doc`` whose content contains a quotation mark."""
    return tuple(r for r in doc.relations if has_quotation_mark(doc.text, r.content))


def mention_kind(speaker: Speaker) -> str:
    """The kind of the gold source mention: "pronoun", "name", "description", or "none" (no source).

    Rule: "pronoun" when the whole ``source_text`` is a personal, possessive or relative pronoun
    ("he", "They", "his", "who"); "name" when the speaker is a named person or organisation and
    the source text has a capitalised token (other than a leading "The"/"A"/"An") that is one of
    the canonical name's tokens ("Mr. Sharpton" for Al Sharpton, "the Security Council" for
    United Nations Security Council); "description" otherwise ("the Republican nominee",
    "officials"). On dev: 447 name, 173 pronoun, 80 description, 10 none.
    """
    text = (speaker.source_text or "").strip()
    if not text:
        return "none"
    if text.casefold().strip(".,;:") in _PRONOUNS:
        return "pronoun"
    if speaker.canonical and speaker.type in ("person", "organization"):
        canonical = set(name_tokens(speaker.canonical))
        words = text.split()
        if words[0] in _ARTICLES:
            words = words[1:]
        for word in words:
            if word[:1].isupper() and any(t in canonical for t in name_tokens(word)):
                return "name"
    return "description"


@dataclass(frozen=True, slots=True)
class PredictedQuote:
    """The parts of one predicted quote (a contract dict) the scorer reads."""

    kind: str
    span: Range
    name: str | None
    mention: Range | None
    confidence: float | None = None

    @property
    def quoted(self) -> bool:
        """Whether the prediction carries quotation marks (direct or partial)."""
        return self.kind in ("direct", "partial")


def predicted_quotes(prediction: dict[str, Any]) -> tuple[PredictedQuote, ...]:
    """Read the quotes of one ``Article.to_dict()`` contract dict.

    Raises:
        EvaluationError: The dict does not follow the contract.
    """
    try:
        quotes: list[PredictedQuote] = []
        for q in prediction.get("quotes") or ():
            speaker = q.get("speaker") or {}
            mention = speaker.get("mention")
            # A statement is scored by its content (the reported clause around a partial quote,
            # or all pieces of a quote told in pieces); pieces sharing one content count once.
            content = q.get("content") or q
            span = (int(content["start"]), int(content["end"]))
            if any(p.span == span and p.quoted == (q["kind"] != "indirect") for p in quotes):
                continue
            quotes.append(
                PredictedQuote(
                    kind=q["kind"],
                    span=span,
                    name=speaker.get("name"),
                    mention=(int(mention["start"]), int(mention["end"])) if mention else None,
                    confidence=_confidence(speaker.get("confidence")),
                )
            )
        return tuple(quotes)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EvaluationError(
            f"analyzer output does not follow the Article.to_dict() contract ({exc!r}); fix the analyzer"
        ) from exc


def _confidence(value: Any) -> float | None:
    """A speaker confidence from the contract, or None when absent."""
    return None if value is None else float(value)


def match_quotes(
    gold: Sequence[Ranges], predicted: Sequence[PredictedQuote], threshold: float
) -> dict[int, int]:
    """Match predicted quotes to gold content spans one-to-one, best cover first.

    Args:
        gold: The content ranges of each gold relation.
        predicted: The predicted quotes.
        threshold: The least fraction of gold characters a prediction must cover.

    Returns:
        A mapping from gold index to predicted index. Direct and partial predictions are matched
        first; indirect ones may then take the gold left over.
    """

    def scores(quoted: bool, skip: Iterable[int] = ()) -> Iterator[tuple[float, int, int]]:
        taken = set(skip)
        for pi, pred in enumerate(predicted):
            if pred.quoted == quoted:
                for gi, ranges in enumerate(gold):
                    if gi not in taken:
                        yield coverage(pred.span, ranges), pi, gi

    matched = greedy_match(scores(quoted=True), threshold)
    matched.update(greedy_match(scores(quoted=False, skip=matched), threshold))
    return matched


def score_document(
    doc: Document,
    prediction: dict[str, Any],
    *,
    speakers: dict[tuple[str, str], Speaker] | None = None,
    thresholds: Sequence[float] = (0.3, 0.5, 0.8),
    threshold: float = 0.5,
) -> DocumentResult:
    """Score one document's predicted quotes against its quoted relations.

    Args:
        doc: The gold document.
        prediction: The analyzer's ``Article.to_dict()`` for ``doc.text``.
        speakers: The speakers lookup by ``(article, rel)``; entries made from another
            annotator's .ann file than ``doc.ann`` are ignored.
        thresholds: Coverage thresholds for detection precision and recall.
        threshold: The threshold whose matches are used for speakers, mentions and errors.

    Returns:
        The counts and the error lists (misses, false alarms, wrong speakers) of the document.

    Raises:
        EvaluationError: The prediction's text differs from the document text (offsets would not
            line up) or the prediction does not follow the contract.
    """
    if prediction.get("text") != doc.text:
        raise EvaluationError(f"{doc.name}: the analyzer changed the text, so its offsets cannot be scored")
    gold = quoted_relations(doc)
    preds = predicted_quotes(prediction)
    spans = [g.content for g in gold]
    per_threshold = [match_quotes(spans, preds, t) for t in thresholds]
    matched = match_quotes(spans, preds, threshold)
    entries = [_entry(speakers, doc, g) for g in gold]
    pairs = [(gold[gi], preds[pi]) for gi, pi in sorted(matched.items())]
    checks = [
        _check(doc, gold[gi], entry, preds[pi])
        for gi, pi in sorted(matched.items())
        if (entry := entries[gi])
    ]
    with_source = [(g.source, p.mention) for g, p in pairs if g.source]
    unmatched = [p for pi, p in enumerate(preds) if p.quoted and pi not in matched.values()]
    return DocumentResult(
        name=doc.name,
        thresholds=tuple(thresholds),
        gold=len(gold),
        predicted=sum(p.quoted for p in preds),
        predicted_indirect=sum(not p.quoted for p in preds),
        matched_gold=tuple(len(m) for m in per_threshold),
        matched_predicted=tuple(sum(preds[pi].quoted for pi in m.values()) for m in per_threshold),
        matched=len(matched),
        fragments=sum(any(_inside(p.span, g.extent) for g, _ in pairs) for p in unmatched),
        gold_with_speaker=sum(e is not None for e in entries),
        speakers=tuple(checks),
        mention_evaluated=len(with_source),
        mention_overlapping=sum(m is not None and overlaps(m, src or ()) for src, m in with_source),
        misses=tuple(_miss(doc, g.rel, g.extent) for gi, g in enumerate(gold) if gi not in matched),
        false_alarms=tuple(_miss(doc, "", p.span) for p in unmatched),
    )


def _entry(speakers: dict[tuple[str, str], Speaker] | None, doc: Document, rel: Relation) -> Speaker | None:
    """The speakers entry of ``rel``, if it was made from the same annotator file."""
    entry = speakers.get((doc.name, rel.rel)) if speakers else None
    if entry is None or (entry.ann and doc.ann and entry.ann != doc.ann):
        return None
    return entry


def _check(doc: Document, rel: Relation, entry: Speaker, pred: PredictedQuote) -> SpeakerCheck:
    """Compare the predicted speaker of a matched quote with its gold canonical speaker."""
    return SpeakerCheck(
        rel=rel.rel,
        kind=mention_kind(entry),
        gold=entry.canonical,
        predicted=pred.name,
        correct=same_speaker(pred.name, entry.canonical),
        quoted_prediction=pred.quoted,
        text=_snippet(doc.text[rel.extent[0] : rel.extent[1]]),
        confidence=pred.confidence,
    )


def _inside(span: Range, outer: Range) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def _miss(doc: Document, rel: str, span: Range) -> Miss:
    return Miss(rel=rel, start=span[0], end=span[1], text=_snippet(doc.text[span[0] : span[1]]))


def _snippet(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def score_documents(
    polnear_dir: Path,
    analyze: Analyzer,
    *,
    split: str = "dev",
    speakers: Path | None = None,
    thresholds: Sequence[float] = (0.3, 0.5, 0.8),
    threshold: float = 0.5,
    limit: int | None = None,
    names: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[DocumentResult]:
    """Run ``analyze`` over a PolNeAR split and score each document (see :func:`evaluate_quotes`).

    Yields:
        One :class:`DocumentResult` per document, with its error lists, for debugging.
    """
    lookup = read_speakers(speakers) if speakers is not None else None
    docs = list(iter_documents(polnear_dir, split, limit=limit, names=names))
    for done, doc in enumerate(docs, 1):
        prediction = analyze(doc.text, doc.published)
        yield score_document(doc, prediction, speakers=lookup, thresholds=thresholds, threshold=threshold)
        if progress is not None:
            progress(done, len(docs))


def evaluate_quotes(
    polnear_dir: Path,
    analyze: Analyzer,
    *,
    split: str = "dev",
    speakers: Path | None = None,
    thresholds: Sequence[float] = (0.3, 0.5, 0.8),
    threshold: float = 0.5,
    limit: int | None = None,
    names: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> QuoteScores:
    """Score an analyzer's quotes and speakers against PolNeAR's quoted relations.

    Each article is passed to ``analyze`` as its decoded text with the date in its file name
    (``publisher_YYYY-MM-DD_slug``) as the published date.

    Args:
        polnear_dir: The PolNeAR directory (holding ``train/`` and ``dev/``).
        analyze: ``(text, published) -> Article.to_dict()``.
        split: "dev" or "train".
        speakers: The speakers file (``polnear-dev-speakers.jsonl``); without it no speaker,
            who-said-what figures are computed.
        thresholds: Coverage thresholds reported for quote detection.
        threshold: The threshold whose matches speaker, mention and who-said-what figures use.
        limit: Score at most this many articles (in name order).
        names: Score only these articles (the held-out train slice: the articles of
            ``polnear-train-speakers.jsonl``).
        progress: Called with ``(done, total)`` after each article.

    Returns:
        The aggregated scores; use :func:`score_documents` for per-document errors.

    Raises:
        EvaluationError: Gold data is missing or malformed, or the analyzer output is unusable.
    """
    results = score_documents(
        polnear_dir,
        analyze,
        split=split,
        speakers=speakers,
        thresholds=thresholds,
        threshold=threshold,
        limit=limit,
        names=names,
        progress=progress,
    )
    return aggregate(results, thresholds=thresholds, threshold=threshold, speakers_given=speakers is not None)


__all__ = [
    "MENTION_KINDS",
    "Analyzer",
    "DocumentResult",
    "Miss",
    "PredictedQuote",
    "QuoteScores",
    "SpeakerCheck",
    "evaluate_quotes",
    "format_document_errors",
    "format_quote_scores",
    "has_quotation_mark",
    "match_quotes",
    "mention_kind",
    "predicted_quotes",
    "quoted_relations",
    "score_document",
    "score_documents",
]
