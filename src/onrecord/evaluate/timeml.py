"""TempEval-3 TimeML gold and scorer: .tml files -> (DCT, raw text, gold TIMEX3) -> TimexScores."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.extract.timex import find_timex
from onrecord.model import Span, TimeExpression

Tagger = Callable[[str, str | None], list[TimeExpression]]

_TAG = re.compile(r"<(/?)([A-Za-z_][\w.-]*)((?:\s[^>]*?)?)(/?)>")
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b([^>]*)>", re.S)
_ANCHOR = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One gold TIMEX3: its span in the stripped text, type and value."""

    span: Span
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeMLDocument:
    """A TimeML document reduced to what the timex scorer needs."""

    name: str
    dct: str | None
    text: str
    timex: tuple[GoldTimex, ...]


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTR.finditer(raw)
    }


def _strip(body: str, name: str) -> tuple[str, tuple[GoldTimex, ...]]:
    """Strip tags from the TEXT content, keeping TIMEX3 spans as offsets into the stripped text."""
    parts: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[GoldTimex] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, tag, raw, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex.append((length, _attrs(raw)))
            continue
        if not open_timex:
            raise EvaluationError(f"{name}: </TIMEX3> without an opening tag; check the file is TimeML")
        start, attrs = open_timex.pop()
        gold.append(GoldTimex(Span(start, length), attrs.get("type", "DATE"), attrs.get("value", "")))
    parts.append(html.unescape(body[pos:]))
    if open_timex:
        raise EvaluationError(f"{name}: unclosed <TIMEX3>; check the file is TimeML")
    gold.sort(key=lambda g: (g.span.start, g.span.end))
    return "".join(parts), tuple(gold)


def read_timeml(path: Path) -> TimeMLDocument:
    """Read one TimeML file: DCT value, the TEXT with all tags stripped, and its gold TIMEX3."""
    raw = path.read_text(encoding="utf-8")
    body = _TEXT.search(raw)
    if body is None:
        raise EvaluationError(f"{path}: no <TEXT> element; is this a TimeML file?")
    dct_match = _DCT.search(raw)
    dct: str | None = None
    if dct_match is not None:
        value = _attrs(dct_match.group(1)).get("value", "")
        anchor = _ANCHOR.match(value)
        dct = anchor.group(0) if anchor else None
    text, gold = _strip(body.group(1), str(path))
    return TimeMLDocument(path.stem, dct, text, gold)


def timeml_files(tml_dir: Path | Sequence[Path]) -> list[Path]:
    """All *.tml files under a folder (recursively) or a list of folders, sorted."""
    folders = [tml_dir] if isinstance(tml_dir, Path) else list(tml_dir)
    files = sorted(f for folder in folders for f in Path(folder).rglob("*.tml"))
    if not files:
        shown = ", ".join(str(f) for f in folders) or "(no folder given)"
        raise EvaluationError(f"no .tml files under {shown}; point at a TempEval-3 TimeML folder")
    return files


@dataclass(frozen=True, slots=True)
class TimexScores:
    """Timex extraction scores in the TempEval-3 style (strict and relaxed span match, value)."""

    documents: int
    gold: int
    predicted: int
    strict_matches: int
    relaxed_matches: int
    value_matches: int
    strict_precision: float
    strict_recall: float
    strict_f1: float
    relaxed_precision: float
    relaxed_recall: float
    relaxed_f1: float
    value_accuracy: float
    value_f1: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DocumentMatch:
    """The alignment of predicted and gold expressions in one document (for error analysis)."""

    document: TimeMLDocument
    predicted: tuple[TimeExpression, ...]
    pairs: tuple[tuple[GoldTimex, TimeExpression], ...]
    missed: tuple[GoldTimex, ...]
    spurious: tuple[TimeExpression, ...]


def align(document: TimeMLDocument, predicted: Sequence[TimeExpression]) -> DocumentMatch:
    """Pair gold and predicted expressions one-to-one by overlap, preferring exact spans."""
    preds = sorted(predicted, key=lambda p: (p.span.start, p.span.end))
    used: set[int] = set()
    pairs: list[tuple[GoldTimex, TimeExpression]] = []
    missed: list[GoldTimex] = []
    for g in document.timex:
        overlapping = [i for i, p in enumerate(preds) if i not in used and p.span.overlaps(g.span)]
        exact = [i for i in overlapping if preds[i].span == g.span]
        if not overlapping:
            missed.append(g)
            continue
        chosen = (exact or overlapping)[0]
        used.add(chosen)
        pairs.append((g, preds[chosen]))
    spurious = tuple(p for i, p in enumerate(preds) if i not in used)
    return DocumentMatch(document, tuple(preds), tuple(pairs), tuple(missed), spurious)


def _prf(matches: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = matches / predicted if predicted else 0.0
    r = matches / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(matches: Iterable[DocumentMatch]) -> TimexScores:
    """Aggregate per-document alignments into corpus scores."""
    docs = gold = predicted = strict = relaxed = value = 0
    for m in matches:
        docs += 1
        gold += len(m.document.timex)
        predicted += len(m.predicted)
        relaxed += len(m.pairs)
        strict += sum(1 for g, p in m.pairs if g.span == p.span)
        value += sum(1 for g, p in m.pairs if g.value == p.value)
    sp, sr, sf = _prf(strict, predicted, gold)
    rp, rr, rf = _prf(relaxed, predicted, gold)
    accuracy = value / relaxed if relaxed else 0.0
    return TimexScores(
        docs, gold, predicted, strict, relaxed, value, sp, sr, sf, rp, rr, rf, accuracy, rf * accuracy
    )


def match_corpus(tml_dir: Path | Sequence[Path], tagger: Tagger = find_timex) -> list[DocumentMatch]:
    """Tag every document of a TimeML corpus and align the result with its gold."""
    result = []
    for path in timeml_files(tml_dir):
        doc = read_timeml(path)
        result.append(align(doc, tagger(doc.text, doc.dct)))
    return result


def evaluate_timex(tml_dir: Path | Sequence[Path], tagger: Tagger = find_timex) -> TimexScores:
    """Score ``tagger`` (text, anchor) -> expressions against TempEval-3 TimeML gold.

    Args:
        tml_dir: a folder searched recursively for *.tml, or a list of such folders.
        tagger: the temporal tagger; the anchor passed is the document creation time.

    Returns:
        Strict (exact span) and relaxed (any overlap, one-to-one) precision/recall/F1, value
        accuracy over relaxed matches and value F1 = relaxed F1 x value accuracy.

    Raises:
        EvaluationError: no .tml files were found, or a file is not TimeML.
    """
    return score(match_corpus(tml_dir, tagger))


def format_scores(scores: TimexScores) -> str:
    """A few human-readable lines summarising ``scores``."""
    s = scores
    return "\n".join(
        [
            f"documents {s.documents}, gold {s.gold}, predicted {s.predicted}",
            f"strict   P {s.strict_precision:.3f}  R {s.strict_recall:.3f}  F1 {s.strict_f1:.3f}"
            f"  ({s.strict_matches} exact)",
            f"relaxed  P {s.relaxed_precision:.3f}  R {s.relaxed_recall:.3f}  F1 {s.relaxed_f1:.3f}"
            f"  ({s.relaxed_matches} overlapping)",
            f"value    accuracy {s.value_accuracy:.3f}  F1 {s.value_f1:.3f}  ({s.value_matches} correct)",
        ]
    )
