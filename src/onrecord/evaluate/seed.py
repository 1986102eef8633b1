"""Score one analysed article against a hand-made seed gold file (gold JSON + analyzer in, scores out).

The gold file (``<name>.gold.json``) sits beside its text (``file``) and holds: published,
section, headline, boilerplate (strings), actors ``{canonical: [mentions]}``, quotes (kind,
start, end, speaker, speaker_mention, cue; indirect ones give ``content_contains`` and the offsets
of that substring) and timex (text, start, end, value).

Matching rules:

* Direct and partial quotes match on span: the predicted start equals the gold start and the end
  equals the gold end, or differs by one character that is punctuation (a trailing period or a
  closing mark that one side includes and the other does not). Any predicted kind may match;
  whether the kind is right is scored separately.
* Indirect quotes match when a predicted indirect quote covers at least half of the gold
  ``content_contains`` substring (containing it covers all of it); one-to-one, best cover first.
* Speakers compare canonical names with :func:`onrecord.evaluate.names.same_speaker`; cues compare
  the cue text casefolded; mentions (direct and partial only) compare the mention text.
* Timex: "span" is an exact span, "exact" an exact span with the gold value, "value" any
  predicted timex overlapping the gold span with the gold value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.evaluate.names import same_speaker
from onrecord.evaluate.spans import Range, coverage, greedy_match

Analyzer = Callable[[str, str | None], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """One gold quote and what the prediction matched to it had (None fields when not found)."""

    kind: str
    start: int
    end: int
    text: str
    found: bool
    gold_speaker: str | None
    predicted_speaker: str | None = None
    predicted_kind: str | None = None
    gold_cue: str | None = None
    predicted_cue: str | None = None
    speaker_ok: bool | None = None
    cue_ok: bool | None = None
    kind_ok: bool | None = None
    mention_ok: bool | None = None
    quoted_prediction: bool = False


@dataclass(frozen=True, slots=True)
class SeedScores:
    """The scores of one seed article (see the module docstring for the matching rules)."""

    file: str
    section_ok: bool
    headline_ok: bool
    published_ok: bool
    published: str | None
    published_source: str | None
    boilerplate_found: tuple[str, ...]
    boilerplate_missed: tuple[str, ...]
    boilerplate_extra: tuple[str, ...]
    quotes: tuple[QuoteCheck, ...]
    predicted_quoted: int
    predicted_indirect: int
    timex_gold: int
    timex_predicted: int
    timex_span: int
    timex_exact: int
    timex_value: int
    timex_missed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The scores as JSON-ready nested dicts."""
        return asdict(self)

    def metrics(self) -> dict[str, float]:
        """Flat ``name -> value`` figures for the quality gate (fractions; 0.0 when undefined)."""
        quoted = [q for q in self.quotes if q.kind != "indirect"]
        indirect = [q for q in self.quotes if q.kind == "indirect"]
        found = [q for q in self.quotes if q.found]
        boilerplate = len(self.boilerplate_found) + len(self.boilerplate_missed)
        return {
            "section_ok": float(self.section_ok),
            "headline_ok": float(self.headline_ok),
            "published_ok": float(self.published_ok),
            "boilerplate_found": _frac(len(self.boilerplate_found), boilerplate),
            "quotes_found": _frac(sum(q.found for q in quoted), len(quoted)),
            "quotes_precision": _frac(sum(q.quoted_prediction for q in quoted), self.predicted_quoted),
            "indirect_found": _frac(sum(q.found for q in indirect), len(indirect)),
            "speaker_accuracy": _frac(sum(bool(q.speaker_ok) for q in found), len(found)),
            "cue_accuracy": _frac(sum(bool(q.cue_ok) for q in found), len(found)),
            "kind_accuracy": _frac(sum(bool(q.kind_ok) for q in found), len(found)),
            "mention_accuracy": _frac(
                sum(bool(q.mention_ok) for q in found), sum(q.mention_ok is not None for q in found)
            ),
            "timex_exact": _frac(self.timex_exact, self.timex_gold),
            "timex_value": _frac(self.timex_value, self.timex_gold),
            "timex_precision": _frac(self.timex_exact, self.timex_predicted),
        }


def _frac(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def read_seed(gold_path: Path) -> tuple[dict[str, Any], str]:
    """Read a seed gold file and the text it names, checking the gold offsets against the text.

    Returns:
        The gold dict and the text exactly as decoded (UTF-8) from the .txt file.

    Raises:
        EvaluationError: A file is missing or malformed, or a gold span does not match the text.
    """
    try:
        gold: dict[str, Any] = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (gold_path.parent / gold["file"]).read_bytes().decode("utf-8")
    except (OSError, ValueError, KeyError) as exc:
        raise EvaluationError(f"{gold_path}: cannot read the seed gold or its text ({exc!r})") from exc
    for item in (*gold.get("quotes", ()), *gold.get("timex", ())):
        expected = item.get("content") or item.get("content_contains") or item.get("text")
        if text[item["start"] : item["end"]] != expected:
            raise EvaluationError(
                f"{gold_path}: [{item['start']}:{item['end']}] does not hold {expected!r}; fix the gold"
            )
    return gold, text


def evaluate_seed(gold_path: Path, analyze: Analyzer, *, give_published: bool = True) -> SeedScores:
    """Run ``analyze`` on a seed article and score it against its gold file.

    Args:
        gold_path: The ``.gold.json`` file; its ``file`` field names the text beside it.
        analyze: ``(text, published) -> Article.to_dict()``; it gets the text exactly as decoded.
        give_published: Pass the gold published date to the analyzer (as a crawler would from
            page metadata); False passes None, to score date inference.

    Returns:
        The scores, with the gold items that were missed, for debugging.

    Raises:
        EvaluationError: Gold is malformed, or the analyzer returned another text.
    """
    gold, text = read_seed(gold_path)
    pred = analyze(text, gold.get("published") if give_published else None)
    if pred.get("text") != text:
        raise EvaluationError(
            f"{gold_path.name}: the analyzer changed the text, so its offsets cannot be scored"
        )
    found, missed, extra = _boilerplate(text, gold, pred)
    preds = list(pred.get("quotes") or ())
    span, exact, value, timex_missed = _timex(gold.get("timex") or [], pred.get("timex") or [])
    return SeedScores(
        file=str(gold.get("file")),
        section_ok=_same_text(pred.get("section"), gold.get("section")),
        headline_ok=_same_text(pred.get("headline"), gold.get("headline")),
        published_ok=pred.get("published") == gold.get("published"),
        published=pred.get("published"),
        published_source=pred.get("published_source"),
        boilerplate_found=found,
        boilerplate_missed=missed,
        boilerplate_extra=extra,
        quotes=_quotes(text, gold.get("quotes") or [], preds),
        predicted_quoted=sum(q.get("kind") in ("direct", "partial") for q in preds),
        predicted_indirect=sum(q.get("kind") == "indirect" for q in preds),
        timex_gold=len(gold.get("timex") or []),
        timex_predicted=len(pred.get("timex") or []),
        timex_span=span,
        timex_exact=exact,
        timex_value=value,
        timex_missed=timex_missed,
    )


def _same_text(predicted: Any, gold: Any) -> bool:
    """Equal after collapsing whitespace (None only equals None)."""
    if predicted is None or gold is None:
        return predicted is gold
    return " ".join(str(predicted).split()) == " ".join(str(gold).split())


def _occurrences(text: str, needle: str) -> list[Range]:
    """Where a boilerplate string stands as a whole line; anywhere if never as a line.

    Whole lines first because a short label also occurs inside words ("Discuss" in "Discussion").
    """
    found, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip() == needle:
            start = pos + line.index(needle)
            found.append((start, start + len(needle)))
        pos += len(line)
    if found or not needle:
        return found
    start = text.find(needle)
    while start >= 0:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return found


def _boilerplate(
    text: str, gold: dict[str, Any], pred: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Gold boilerplate strings found and missed, and predicted boilerplate matching no gold string.

    A gold string is found when one of its occurrences lies inside a predicted boilerplate span.
    A predicted span holding the gold section label is not counted as extra.
    """
    spans = [(int(b["start"]), int(b["end"])) for b in pred.get("boilerplate") or ()]
    found: list[str] = []
    missed: list[str] = []
    gold_spans: list[Range] = []
    for needle in gold.get("boilerplate") or ():
        occurrences = _occurrences(text, needle)
        gold_spans.extend(occurrences)
        covered = any(s <= o[0] and o[1] <= e for o in occurrences for s, e in spans)
        (found if covered else missed).append(needle)
    extra = [
        text[s:e]
        for s, e in spans
        if not any(s < ge and gs < e for gs, ge in gold_spans)
        and not _same_text(text[s:e], gold.get("section"))
    ]
    return tuple(found), tuple(missed), tuple(extra)


def _end_ok(text: str, gold_end: int, pred_end: int) -> bool:
    """Equal ends, or ends one character apart where that character is punctuation."""
    if pred_end == gold_end:
        return True
    if abs(pred_end - gold_end) != 1:
        return False
    char = text[min(pred_end, gold_end)]
    return not char.isalnum() and not char.isspace()


def _quotes(text: str, gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> tuple[QuoteCheck, ...]:
    """Match gold quotes to predictions (see the module docstring) and check each match."""
    used: set[int] = set()
    matched: dict[int, int] = {}
    for gi, g in enumerate(gold):
        if g["kind"] == "indirect":
            continue
        candidates = [
            (abs(int(p["end"]) - g["end"]), pi)
            for pi, p in enumerate(preds)
            if pi not in used and int(p["start"]) == g["start"] and _end_ok(text, g["end"], int(p["end"]))
        ]
        if candidates:
            matched[gi] = min(candidates)[1]
            used.add(matched[gi])
    scores = [
        (coverage((int(p["start"]), int(p["end"])), [(g["start"], g["end"])]), pi, gi)
        for pi, p in enumerate(preds)
        if p.get("kind") == "indirect" and pi not in used
        for gi, g in enumerate(gold)
        if g["kind"] == "indirect"
    ]
    matched.update(greedy_match(scores, 0.5))
    return tuple(_check(text, g, preds[matched[gi]] if gi in matched else None) for gi, g in enumerate(gold))


def _check(text: str, gold: dict[str, Any], pred: dict[str, Any] | None) -> QuoteCheck:
    """Compare one gold quote with the prediction matched to it (if any)."""
    base = QuoteCheck(
        kind=gold["kind"],
        start=gold["start"],
        end=gold["end"],
        text=text[gold["start"] : gold["end"]],
        found=pred is not None,
        gold_speaker=gold.get("speaker"),
        gold_cue=gold.get("cue"),
    )
    if pred is None:
        return base
    speaker = pred.get("speaker") or {}
    mention = (speaker.get("mention") or {}).get("text")
    cue = (pred.get("cue") or {}).get("text")
    gold_mention = gold.get("speaker_mention")
    return replace(
        base,
        predicted_speaker=speaker.get("name"),
        predicted_kind=pred.get("kind"),
        predicted_cue=cue,
        speaker_ok=same_speaker(speaker.get("name"), gold.get("speaker")),
        cue_ok=cue is not None and cue.strip().casefold() == str(gold.get("cue", "")).strip().casefold(),
        kind_ok=pred.get("kind") == gold["kind"],
        mention_ok=None if gold_mention is None else (mention or "").strip() == gold_mention.strip(),
        quoted_prediction=pred.get("kind") in ("direct", "partial"),
    )


def _timex(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> tuple[int, int, int, tuple[str, ...]]:
    """Count gold timex found by exact span, by exact span and value, and by value on an overlapping span.

    Returns:
        ``(span, exact, value, missed)`` where ``missed`` describes the gold timex not found exactly.
    """
    span = exact = value = 0
    missed = []
    for g in gold:
        same = [p for p in preds if (int(p["start"]), int(p["end"])) == (g["start"], g["end"])]
        near = [p for p in preds if int(p["start"]) < g["end"] and g["start"] < int(p["end"])]
        span += bool(same)
        value += any(p.get("value") == g["value"] for p in near)
        if any(p.get("value") == g["value"] for p in same):
            exact += 1
        else:
            got = ", ".join(f"{p.get('text')!r}={p.get('value')}" for p in near) or "nothing"
            missed.append(f"{g['text']!r}@{g['start']}={g['value']} (predicted {got})")
    return span, exact, value, tuple(missed)


def format_seed_scores(scores: SeedScores) -> str:
    """Human-readable lines summarising :class:`SeedScores`, with the misses."""
    s, m = scores, scores.metrics()
    quoted = [q for q in s.quotes if q.kind != "indirect"]
    indirect = [q for q in s.quotes if q.kind == "indirect"]
    lines = [
        f"{s.file}: section {_ok(s.section_ok)}, headline {_ok(s.headline_ok)}, "
        f"published {_ok(s.published_ok)} ({s.published}, {s.published_source})",
        f"boilerplate found {len(s.boilerplate_found)}/{len(s.boilerplate_found) + len(s.boilerplate_missed)}"
        + (f"; missed {list(s.boilerplate_missed)}" if s.boilerplate_missed else "")
        + (f"; extra {list(s.boilerplate_extra)}" if s.boilerplate_extra else ""),
        f"quotes: direct/partial found {sum(q.found for q in quoted)}/{len(quoted)} "
        f"(precision {m['quotes_precision']:.3f} of {s.predicted_quoted} predicted), "
        f"indirect found {sum(q.found for q in indirect)}/{len(indirect)}",
        f"  on found quotes: speaker {m['speaker_accuracy']:.3f}, cue {m['cue_accuracy']:.3f}, "
        f"kind {m['kind_accuracy']:.3f}, mention {m['mention_accuracy']:.3f}",
        f"timex: exact {s.timex_exact}/{s.timex_gold}, span {s.timex_span}, value {s.timex_value}, "
        f"predicted {s.timex_predicted}",
    ]
    for q in s.quotes:
        if not q.found:
            lines.append(f"  missed {q.kind} [{q.start}:{q.end}] {q.text[:80]!r}")
        elif not (q.speaker_ok and q.cue_ok and q.kind_ok):
            lines.append(
                f"  [{q.start}:{q.end}] kind {q.predicted_kind}/{q.kind}, speaker {q.predicted_speaker!r}/"
                f"{q.gold_speaker!r}, cue {q.predicted_cue!r}/{q.gold_cue!r}"
            )
    lines.extend(f"  timex missed {t}" for t in s.timex_missed)
    return "\n".join(lines)


def _ok(flag: bool) -> str:
    return "ok" if flag else "WRONG"
