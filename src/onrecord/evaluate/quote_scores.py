"""Records of PolNeAR quote scoring: per-document results, their sum, its report (results in, scores out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

MENTION_KINDS = ("name", "pronoun", "description", "none")


@dataclass(frozen=True, slots=True)
class SpeakerCheck:
    """The speaker of one matched gold quote that has a speakers entry, predicted against gold."""

    rel: str
    kind: str
    gold: str | None
    predicted: str | None
    correct: bool
    quoted_prediction: bool
    text: str
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold quoted relation no prediction covered (``rel`` set), or an unmatched quoted prediction."""

    rel: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The counts and the errors for one document; ``matched_*`` are aligned with ``thresholds``."""

    name: str
    thresholds: tuple[float, ...]
    gold: int
    predicted: int
    predicted_indirect: int
    matched_gold: tuple[int, ...]
    matched_predicted: tuple[int, ...]
    matched: int
    fragments: int
    gold_with_speaker: int
    speakers: tuple[SpeakerCheck, ...]
    mention_evaluated: int
    mention_overlapping: int
    misses: tuple[Miss, ...]
    false_alarms: tuple[Miss, ...]

    @property
    def wrong_speakers(self) -> tuple[SpeakerCheck, ...]:
        """The matched quotes whose predicted speaker is not the gold one."""
        return tuple(s for s in self.speakers if not s.correct)


@dataclass(frozen=True, slots=True)
class Detection:
    """Precision, recall and F1 at one coverage threshold (or of who-said-what)."""

    threshold: float
    matched_gold: int
    matched_predicted: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class KindScore:
    """Speaker accuracy over the matched quotes whose gold source mention is of one kind."""

    kind: str
    correct: int
    total: int
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class QuoteScores:
    """The scores of a run over a PolNeAR split (see :mod:`onrecord.evaluate.quotes` for the rules).

    ``predicted`` counts direct and partial predictions only (the precision denominator).
    Speaker, mention and who-said-what figures use the matches at ``threshold``; the speaker ones
    are None when no speakers file was given. ``who_said_what.threshold`` is that threshold.
    """

    documents: int
    gold: int
    predicted: int
    predicted_indirect: int
    threshold: float
    matched: int
    fragments: int
    detection: tuple[Detection, ...]
    gold_with_speaker: int
    speaker_evaluated: int
    speaker_correct: int
    speaker_accuracy: float | None
    speaker_by_kind: tuple[KindScore, ...]
    mention_evaluated: int
    mention_overlapping: int
    mention_overlap: float | None
    who_said_what: Detection | None

    def to_dict(self) -> dict[str, Any]:
        """The scores as JSON-ready nested dicts."""
        return asdict(self)

    def metrics(self) -> dict[str, float]:
        """Flat ``name -> value`` figures for the quality gate (missing figures as 0.0)."""
        out: dict[str, float] = {}
        for d in self.detection:
            key = f"{d.threshold:g}"
            out |= {f"precision@{key}": d.precision, f"recall@{key}": d.recall, f"f1@{key}": d.f1}
        out["mention_overlap"] = self.mention_overlap or 0.0
        if self.who_said_what is not None:
            out["speaker_accuracy"] = self.speaker_accuracy or 0.0
            out |= {f"speaker_accuracy_{k.kind}": k.accuracy or 0.0 for k in self.speaker_by_kind}
            w = self.who_said_what
            out |= {"who_said_what_precision": w.precision, "who_said_what_recall": w.recall}
            out["who_said_what_f1"] = w.f1
        return out


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def prf(matched_predicted: int, predicted: int, matched_gold: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1, each 0.0 when its denominator is 0."""
    precision = matched_predicted / predicted if predicted else 0.0
    recall = matched_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def aggregate(
    results: Iterable[DocumentResult], *, thresholds: Iterable[float], threshold: float, speakers_given: bool
) -> QuoteScores:
    """Sum per-document results into :class:`QuoteScores`.

    Args:
        results: The per-document results, all scored with ``thresholds`` and ``threshold``.
        thresholds: The detection thresholds, in the order the results hold them.
        threshold: The threshold used for speakers, mentions and who-said-what.
        speakers_given: Whether a speakers file was used (else speaker figures are None).
    """
    rs = list(results)
    ts = tuple(thresholds)
    gold, predicted = sum(r.gold for r in rs), sum(r.predicted for r in rs)
    detection = []
    for i, t in enumerate(ts):
        mg, mp = sum(r.matched_gold[i] for r in rs), sum(r.matched_predicted[i] for r in rs)
        detection.append(Detection(t, mg, mp, *prf(mp, predicted, mg, gold)))
    checks = [c for r in rs for c in r.speakers]
    by_kind = []
    for kind in MENTION_KINDS:
        of_kind = [c for c in checks if c.kind == kind]
        correct = sum(c.correct for c in of_kind)
        by_kind.append(KindScore(kind, correct, len(of_kind), _ratio(correct, len(of_kind))))
    with_speaker = sum(r.gold_with_speaker for r in rs)
    right_quoted = sum(c.correct and c.quoted_prediction for c in checks)
    right = sum(c.correct for c in checks)
    wsw = Detection(threshold, right, right_quoted, *prf(right_quoted, predicted, right, with_speaker))
    mention_eval, mention_hit = sum(r.mention_evaluated for r in rs), sum(r.mention_overlapping for r in rs)
    return QuoteScores(
        documents=len(rs),
        gold=gold,
        predicted=predicted,
        predicted_indirect=sum(r.predicted_indirect for r in rs),
        threshold=threshold,
        matched=sum(r.matched for r in rs),
        fragments=sum(r.fragments for r in rs),
        detection=tuple(detection),
        gold_with_speaker=with_speaker,
        speaker_evaluated=len(checks),
        speaker_correct=right,
        speaker_accuracy=_ratio(right, len(checks)) if speakers_given else None,
        speaker_by_kind=tuple(by_kind) if speakers_given else (),
        mention_evaluated=mention_eval,
        mention_overlapping=mention_hit,
        mention_overlap=_ratio(mention_hit, mention_eval),
        who_said_what=wsw if speakers_given else None,
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_quote_scores(scores: QuoteScores) -> str:
    """Human-readable lines summarising :class:`QuoteScores`."""
    s = scores
    lines = [
        f"documents {s.documents}; gold quoted relations {s.gold}; predicted quotes {s.predicted} "
        f"direct/partial (+{s.predicted_indirect} indirect, not counted in precision)",
    ]
    for d in s.detection:
        lines.append(
            f"  cover >= {d.threshold:g}: P {d.precision:.3f}  R {d.recall:.3f}  F1 {d.f1:.3f}  "
            f"(gold matched {d.matched_gold}, predicted matched {d.matched_predicted})"
        )
    lines.append(
        f"  at cover >= {s.threshold:g}: {s.matched} matched, {s.fragments} unmatched pieces of them"
    )
    overlap = f"{_fmt(s.mention_overlap)} ({s.mention_overlapping}/{s.mention_evaluated})"
    lines.append(f"speaker mention overlaps gold source: {overlap}")
    if s.who_said_what is None:
        lines.append("speakers: no speakers file given")
        return "\n".join(lines)
    lines.append(f"speaker accuracy: {_fmt(s.speaker_accuracy)} ({s.speaker_correct}/{s.speaker_evaluated})")
    lines.extend(f"  {k.kind:<12} {_fmt(k.accuracy)} ({k.correct}/{k.total})" for k in s.speaker_by_kind)
    w = s.who_said_what
    lines.append(
        f"who said what: P {w.precision:.3f}  R {w.recall:.3f}  F1 {w.f1:.3f}  "
        f"(right speaker {w.matched_gold} of {s.gold_with_speaker} gold with a speaker)"
    )
    return "\n".join(lines)


def format_document_errors(result: DocumentResult) -> str:
    """The misses, false alarms and wrong speakers of one document, one per line, for debugging."""
    lines = [f"{result.name}: gold {result.gold}, predicted {result.predicted}, matched {result.matched}"]
    lines.extend(f"  missed {m.rel} [{m.start}:{m.end}] {m.text}" for m in result.misses)
    lines.extend(f"  false alarm [{m.start}:{m.end}] {m.text}" for m in result.false_alarms)
    lines.extend(
        f"  wrong speaker {c.rel} ({c.kind}): predicted {c.predicted!r}, gold {c.gold!r}: {c.text}"
        for c in result.wrong_speakers
    )
    return "\n".join(lines)
