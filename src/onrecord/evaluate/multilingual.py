"""Score statements and speakers on hand-labelled non-English news (gold folder + analyzer in, scores out).

The folder holds ``<lang>/<name>.txt``, ``<name>.meta.json`` and ``<name>.gold.json`` in the
seed's gold format, except that every statement, direct, partial or indirect, has a ``start``/
``end`` span (``content`` = the text there) and a ``speaker_latin`` beside the article's own
``speaker`` (see the folder's README). The analyzer gets each text with the gold's published date
(the meta file's when the gold has none).

Choices:

* A prediction is a quote of the ``Article.to_dict()`` contract, scored by its own ``start``/``end``
  (the quoted words with their marks for a partial quote, each piece of a quote told in pieces),
  because the gold labels exactly those spans; its ``content`` (the clause around) is not used.
* A prediction matches a gold statement when it covers at least ``threshold`` (0.5) of the gold
  span's characters. Matching is one-to-one and greedy by cover, first between the same family
  (direct/partial with direct/partial, indirect with indirect), then across families for what is
  left, so a broad indirect clause cannot take the quoted words inside it from the quote that
  predicted exactly them. Kinds are not otherwise compared.
* Precision counts every prediction, indirect ones too: here the gold holds all three kinds.
* Speakers: a matched statement's speaker is right when the predicted canonical name is the gold
  ``speaker`` or its ``speaker_latin`` by :func:`onrecord.evaluate.names.same_speaker`. As in
  :mod:`onrecord.evaluate.quotes`, where a speakers entry with a null canonical counts and is right
  only when the prediction names nobody, every gold statement carries a speaker judgement: a null
  ``speaker`` (the text does not say who) counts in speaker accuracy (over matched statements) and
  in who-said-what recall (over all gold statements), and is right only for a null prediction.
  Who-said-what precision is over all predictions.
* An article the analyzer refuses (an onrecord error, e.g. "no language pack for ...") is listed
  as not analysed, with the reason; its gold statements count as missed.
* Cross-language identity: for each ``speaker_latin`` labelled in two or more languages, the
  predicted names of its matched statements in each language. It is consistent when the analyzer
  named it in at least two of those languages and every name normalises to the same tokens. The
  per-article analyzer's actor ids are local to an article, so names are all there is to compare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError, OnrecordError
from onrecord.evaluate.names import normalize_name, same_speaker
from onrecord.evaluate.quote_scores import Detection, prf
from onrecord.evaluate.quotes import PredictedQuote
from onrecord.evaluate.spans import Range, coverage, greedy_match

Analyzer = Callable[[str, str | None], dict[str, Any]]

LANGUAGES = ("de", "fr", "ru", "es")  # the report's order; other languages follow, sorted
ALL = "all"


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One gold statement: its kind, span and speaker in the article's and in Latin spelling."""

    kind: str
    span: Range
    speaker: str | None
    speaker_latin: str | None

    @property
    def quoted(self) -> bool:
        """Whether the statement carries quotation marks (direct or partial)."""
        return self.kind in ("direct", "partial")


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One article of the gold folder: its text, date, language and statements."""

    name: str
    language: str
    published: str | None
    text: str
    quotes: tuple[GoldQuote, ...]


@dataclass(frozen=True, slots=True)
class Stretch:
    """A missed gold statement or an unmatched prediction: kind, offsets and a snippet."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SpeakerCheck:
    """A matched gold statement, its gold speaker and the predicted one."""

    kind: str
    start: int
    end: int
    text: str
    gold: str | None
    gold_latin: str | None
    predicted: str | None
    correct: bool


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """The counts and errors of one article; ``error`` is why it was not analysed, else None."""

    name: str
    language: str
    gold: int
    gold_without_speaker: int
    predicted: int
    speakers: tuple[SpeakerCheck, ...]
    misses: tuple[Stretch, ...]
    false_alarms: tuple[Stretch, ...]
    error: str | None = None

    @property
    def matched(self) -> int:
        """Gold statements matched by a prediction."""
        return len(self.speakers)

    @property
    def right(self) -> int:
        """Matched statements with the right speaker."""
        return sum(c.correct for c in self.speakers)


@dataclass(frozen=True, slots=True)
class LanguageScores:
    """Statement detection, who-said-what and speaker accuracy over one language (or all)."""

    language: str
    articles: int
    not_analysed: int
    gold: int
    gold_without_speaker: int
    predicted: int
    detection: Detection
    who_said_what: Detection
    speaker_accuracy: float | None


@dataclass(frozen=True, slots=True)
class CrossLanguageSpeaker:
    """The names the analyzer gave one speaker's matched statements, per language."""

    speaker_latin: str
    languages: tuple[str, ...]
    names: dict[str, list[str | None]]
    consistent: bool


@dataclass(frozen=True, slots=True)
class MultilingualScores:
    """The scores of a run over the gold folder (see the module docstring for the rules)."""

    threshold: float
    languages: tuple[LanguageScores, ...]
    cross_language: tuple[CrossLanguageSpeaker, ...]
    cross_language_consistent: float | None
    articles: tuple[ArticleResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """The scores as JSON-ready nested dicts."""
        return asdict(self)

    def metrics(self) -> dict[str, float]:
        """Flat figures for the quality gate: ``f1_de``, ``wsw_f1_all``, ... (undefined as 0.0)."""
        out: dict[str, float] = {}
        for s in self.languages:
            d, w, lang = s.detection, s.who_said_what, s.language
            out |= {f"precision_{lang}": d.precision, f"recall_{lang}": d.recall, f"f1_{lang}": d.f1}
            out |= {f"wsw_precision_{lang}": w.precision, f"wsw_recall_{lang}": w.recall}
            out[f"wsw_f1_{lang}"] = w.f1
            out[f"speaker_accuracy_{lang}"] = s.speaker_accuracy or 0.0
        out["cross_language_consistent"] = self.cross_language_consistent or 0.0
        return out


def read_gold(gold_path: Path) -> GoldArticle:
    """Read one ``.gold.json`` with its text and meta file, checking every span against the text.

    Raises:
        EvaluationError: A file is missing or malformed, or a span does not hold its content.
    """
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (gold_path.parent / gold["file"]).read_bytes().decode("utf-8")
        meta_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        quotes = tuple(_gold_quote(text, q) for q in gold["quotes"])
        language = str(gold["language"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvaluationError(
            f"{gold_path}: cannot read the gold, its text or meta ({exc!r}); fix the gold"
        ) from exc
    return GoldArticle(
        name=gold_path.name.removesuffix(".gold.json"),
        language=language,
        published=gold.get("published") or meta.get("published"),
        text=text,
        quotes=quotes,
    )


def _gold_quote(text: str, q: dict[str, Any]) -> GoldQuote:
    start, end = int(q["start"]), int(q["end"])
    if text[start:end] != q["content"]:
        raise ValueError(f"[{start}:{end}] does not hold {q['content']!r}")
    return GoldQuote(q["kind"], (start, end), q["speaker"], q.get("speaker_latin"))


def read_gold_folder(folder: Path) -> list[GoldArticle]:
    """Every ``*.gold.json`` under ``folder`` (``<lang>/<name>.gold.json``), in path order.

    Raises:
        EvaluationError: The folder holds no gold file, or one is malformed.
    """
    paths = sorted(folder.rglob("*.gold.json")) if folder.is_dir() else []
    if not paths:
        raise EvaluationError(
            f"{folder}: no <lang>/<name>.gold.json file; give the multilingual gold folder"
            " (or set ONRECORD_DATA)"
        )
    return [read_gold(p) for p in paths]


def predicted(prediction: dict[str, Any]) -> tuple[PredictedQuote, ...]:
    """The quotes of an ``Article.to_dict()`` contract dict, each by its own span.

    Raises:
        EvaluationError: The dict does not follow the contract.
    """
    try:
        return tuple(
            PredictedQuote(
                kind=q["kind"],
                span=(int(q["start"]), int(q["end"])),
                name=(q.get("speaker") or {}).get("name"),
                mention=None,
            )
            for q in prediction.get("quotes") or ()
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EvaluationError(
            f"analyzer output does not follow the Article.to_dict() contract ({exc!r}); fix the analyzer"
        ) from exc


def match(gold: Sequence[GoldQuote], preds: Sequence[PredictedQuote], threshold: float) -> dict[int, int]:
    """Match predictions to gold statements one-to-one, best cover first, same family first.

    Returns:
        A mapping from gold index to predicted index.
    """

    def scores(same_family: bool, taken: dict[int, int]) -> Iterator[tuple[float, int, int]]:
        used = set(taken.values())
        for pi, p in enumerate(preds):
            for gi, g in enumerate(gold):
                if pi not in used and gi not in taken and (not same_family or p.quoted == g.quoted):
                    yield coverage(p.span, [g.span]), pi, gi

    matched = greedy_match(scores(True, {}), threshold)
    matched.update(greedy_match(scores(False, matched), threshold))
    return matched


def score_article(article: GoldArticle, prediction: dict[str, Any], threshold: float = 0.5) -> ArticleResult:
    """Score one article's predicted quotes and speakers against its gold statements.

    Raises:
        EvaluationError: The analyzer changed the text or broke the contract.
    """
    if prediction.get("text") != article.text:
        raise EvaluationError(
            f"{article.name}: the analyzer changed the text, so its offsets cannot be scored"
        )
    gold, preds = article.quotes, predicted(prediction)
    matched = match(gold, preds, threshold)
    used = set(matched.values())
    return ArticleResult(
        name=article.name,
        language=article.language,
        gold=len(gold),
        gold_without_speaker=sum(g.speaker is None for g in gold),
        predicted=len(preds),
        speakers=tuple(_check(article.text, gold[gi], preds[pi]) for gi, pi in sorted(matched.items())),
        misses=tuple(
            _stretch(article.text, g.kind, g.span) for gi, g in enumerate(gold) if gi not in matched
        ),
        false_alarms=tuple(
            _stretch(article.text, p.kind, p.span) for pi, p in enumerate(preds) if pi not in used
        ),
    )


def _not_analysed(article: GoldArticle, reason: str) -> ArticleResult:
    misses = tuple(_stretch(article.text, g.kind, g.span) for g in article.quotes)
    unnamed = sum(g.speaker is None for g in article.quotes)
    return ArticleResult(
        article.name, article.language, len(article.quotes), unnamed, 0, (), misses, (), reason
    )


def _check(text: str, gold: GoldQuote, pred: PredictedQuote) -> SpeakerCheck:
    if gold.speaker is None:
        correct = same_speaker(pred.name, None)
    else:
        correct = same_speaker(pred.name, gold.speaker) or (
            gold.speaker_latin is not None and same_speaker(pred.name, gold.speaker_latin)
        )
    start, end = gold.span
    return SpeakerCheck(
        gold.kind, start, end, _snippet(text[start:end]), gold.speaker, gold.speaker_latin, pred.name, correct
    )


def _stretch(text: str, kind: str, span: Range) -> Stretch:
    return Stretch(kind, span[0], span[1], _snippet(text[span[0] : span[1]]))


def _snippet(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def language_scores(language: str, results: Sequence[ArticleResult], threshold: float) -> LanguageScores:
    """Sum the results of one language (or of all) into :class:`LanguageScores`."""
    gold, pred = sum(r.gold for r in results), sum(r.predicted for r in results)
    matched, right = sum(r.matched for r in results), sum(r.right for r in results)
    return LanguageScores(
        language=language,
        articles=len(results),
        not_analysed=sum(r.error is not None for r in results),
        gold=gold,
        gold_without_speaker=sum(r.gold_without_speaker for r in results),
        predicted=pred,
        detection=Detection(threshold, matched, matched, *prf(matched, pred, matched, gold)),
        who_said_what=Detection(threshold, right, right, *prf(right, pred, right, gold)),
        speaker_accuracy=right / matched if matched else None,
    )


def cross_language(
    articles: Sequence[GoldArticle], results: Sequence[ArticleResult]
) -> tuple[CrossLanguageSpeaker, ...]:
    """The predicted names of every speaker labelled (by ``speaker_latin``) in two or more languages."""
    labelled: dict[str, set[str]] = {}
    for article in articles:
        for q in article.quotes:
            if q.speaker_latin:
                labelled.setdefault(q.speaker_latin, set()).add(article.language)
    found: dict[str, dict[str, set[str | None]]] = {}
    for r in results:
        for c in r.speakers:
            if c.gold_latin and len(labelled.get(c.gold_latin, ())) > 1:
                found.setdefault(c.gold_latin, {}).setdefault(r.language, set()).add(c.predicted)
    out = []
    for latin, languages in sorted(labelled.items()):
        if len(languages) < 2:
            continue
        names = {lang: sorted(found.get(latin, {}).get(lang, set()), key=str) for lang in _ordered(languages)}
        named = [(lang, n) for lang, ns in names.items() for n in ns if n]
        consistent = len({lang for lang, _ in named}) > 1 and len({normalize_name(n) for _, n in named}) == 1
        out.append(CrossLanguageSpeaker(latin, tuple(names), names, consistent))
    return tuple(out)


def _ordered(languages: Iterable[str]) -> list[str]:
    """Languages in the report's order: de, fr, ru, es, then the others sorted."""
    return sorted(
        set(languages),
        key=lambda lang: (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang),
    )


def evaluate_multilingual(
    folder: Path,
    analyze: Analyzer,
    *,
    threshold: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
) -> MultilingualScores:
    """Run ``analyze`` over every article of the gold folder and score it per language.

    Args:
        folder: The gold folder (``<lang>/<name>.txt``, ``.meta.json``, ``.gold.json``).
        analyze: ``(text, published) -> Article.to_dict()``; an onrecord error it raises marks
            that article as not analysed (its statements missed) and the run goes on.
        threshold: The least fraction of a gold span a prediction must cover.
        progress: Called with ``(done, total)`` after each article.

    Returns:
        The scores per language and overall, the cross-language names and each article's errors.

    Raises:
        EvaluationError: The folder holds no gold, a gold file is malformed, or the analyzer
            output is unusable.
    """
    articles = read_gold_folder(folder)
    results = []
    for done, article in enumerate(articles, 1):
        try:
            prediction = analyze(article.text, article.published)
        except OnrecordError as exc:
            results.append(_not_analysed(article, str(exc)))
        else:
            results.append(score_article(article, prediction, threshold))
        if progress is not None:
            progress(done, len(articles))
    by_language = [
        language_scores(lang, [r for r in results if r.language == lang], threshold)
        for lang in _ordered(r.language for r in results)
    ]
    speakers = cross_language(articles, results)
    consistent = sum(s.consistent for s in speakers) / len(speakers) if speakers else None
    return MultilingualScores(
        threshold=threshold,
        languages=(*by_language, language_scores(ALL, results, threshold)),
        cross_language=speakers,
        cross_language_consistent=consistent,
        articles=tuple(results),
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_multilingual(scores: MultilingualScores, *, errors: bool = False) -> str:
    """The report: scores per language, cross-language names, a per-article table (and errors)."""
    lines = [
        f"statements (direct, partial, indirect) matched at cover >= {scores.threshold:g}; who said what:"
        " matched with the gold speaker (article's or Latin spelling); precision over every prediction",
        f"{'language':<9}{'articles':>9}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"
        f"{'right':>7}{'WSW P':>7}{'WSW R':>7}{'WSW F1':>7}  speaker accuracy",
    ]
    for s in scores.languages:
        d, w = s.detection, s.who_said_what
        lines.append(
            f"{s.language:<9}{s.articles:>9}{s.gold:>6}{s.predicted:>6}{d.matched_gold:>7}"
            f"{d.precision:>7.3f}{d.recall:>7.3f}{d.f1:>7.3f}{w.matched_gold:>7}"
            f"{w.precision:>7.3f}{w.recall:>7.3f}{w.f1:>7.3f}  {_fmt(s.speaker_accuracy)}"
            + (f" ({s.not_analysed} not analysed)" if s.not_analysed else "")
        )
    lines.extend(_format_cross_language(scores))
    lines.append(f"{'article':<40}{'language':>9}{'gold':>6}{'pred':>6}{'match':>7}{'WSW right':>11}")
    for r in scores.articles:
        lines.append(f"{r.name:<40}{r.language:>9}{r.gold:>6}{r.predicted:>6}{r.matched:>7}{r.right:>11}")
    lines.extend(f"  {r.name}: not analysed: {r.error}" for r in scores.articles if r.error is not None)
    if errors:
        lines.extend(format_article_errors(r) for r in scores.articles)
    return "\n".join(lines)


def _format_cross_language(scores: MultilingualScores) -> list[str]:
    speakers = scores.cross_language
    consistent = sum(s.consistent for s in speakers)
    lines = [
        "cross-language identity: speakers labelled in two or more languages (by Latin name) that the"
        " analyzer named in two or more of them, one name everywhere (actor ids are per article, so"
        f" names are compared): {consistent}/{len(speakers)} ({_fmt(scores.cross_language_consistent)})"
    ]
    for s in speakers:
        named = "; ".join(
            f"{lang} {', '.join(_name(n) for n in names) if names else 'no statement found'}"
            for lang, names in s.names.items()
        )
        lines.append(f"  {s.speaker_latin}: {named}{'' if s.consistent else '  (not consistent)'}")
    return lines


def _name(name: str | None) -> str:
    return "nobody" if name is None else repr(name)


def format_article_errors(result: ArticleResult) -> str:
    """The misses, false alarms and wrong speakers of one article, one per line, for debugging."""
    r = result
    lines = [
        f"{r.name} ({r.language}): gold {r.gold}, predicted {r.predicted}, matched {r.matched},"
        f" right speaker {r.right}"
    ]
    if r.error is not None:
        lines.append(f"  not analysed: {r.error}")
    lines.extend(f"  missed {m.kind} [{m.start}:{m.end}] {m.text}" for m in r.misses)
    lines.extend(f"  false alarm {m.kind} [{m.start}:{m.end}] {m.text}" for m in r.false_alarms)
    lines.extend(
        f"  wrong speaker [{c.start}:{c.end}]: predicted {c.predicted!r}, gold {c.gold!r}"
        + (f" ({c.gold_latin!r})" if c.gold_latin and c.gold_latin != c.gold else "")
        + f": {c.text}"
        for c in r.speakers
        if not c.correct
    )
    return "\n".join(lines)
