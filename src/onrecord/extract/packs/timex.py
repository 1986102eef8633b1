"""A pack's time expressions: text + publication date -> TimeExpression spans and TimeML values
(Article -> Article), every word and pattern read from the pack's ``timex.tsv``.

A pack's file holds word lists (``kind<TAB>word<TAB>value[<TAB>exact]``: months in every case the
language inflects them, weekdays, "hier", "la semaine dernière", ...) and patterns over them
(``pattern<TAB>rule<TAB>template``): ``{slot}`` stands for a word list (``day``, ``year``,
``monthnum`` and ``number`` also take digits), ``[...]`` is optional, a space is any whitespace and
anything else is literal text. A word matches as written, or capitalized at a sentence start
unless marked ``exact`` (German "morgen": "Morgen" is the morning). A preposition (a ``prep``
slot) gives context but is left out of the span unless it opens the sentence ("в четверг" ->
"четверг", "В четверг, ..." whole), as the English grammar keeps only a sentence-opening "On":
a scene-setting date must open its sentence for ``dates.StatementDater`` to carry it on.

Values are normalised as in English (``timex_normalize``): a weekday or a date without a year
points back from the publication date unless the verb governing it is in the future (read from
the parse when the article has one, else from the pack's future and past cue words nearest it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.extract import timex_normalize as tn
from onrecord.extract.timex_grammar import Found
from onrecord.model import Article, Span, TimeExpression

# Digits a slot takes besides its words. A year is four digits from 1600 to 2099 (as in English),
# never part of a longer number, a decimal or a percentage.
_DIGITS = {
    "day": r"(?<![\d.,])(?:3[01]|[12]\d|0?[1-9])(?!\d)",
    "monthnum": r"(?<!\d)(?:1[0-2]|0?[1-9])(?!\d)",
    "year": r"(?<![\d,])(?:1[6-9]\d\d|20\d\d)(?!\d|[.,]\d|\s*%)",
    "number": r"(?<![\d.,])\d{1,3}(?![\d%]|[.,]\d)",
}
_CUE_KINDS = ("future", "past", "future_suffix", "past_suffix")
_TEMPLATE_PARTS = re.compile(r"(\{\w+\}|\[|\]| )")
# A sentence ends at . ! ? or a line break; not after a digit (German "am 22. Oktober").
_SENTENCE_END = re.compile(r"(?<!\d)[.!?…]+\s+|\n")
_QUOTE_MARK = re.compile(r"[«»“”„\"]")
_OPENERS = " \t\u00a0«“„\"'‘(—–-"
_WORD = re.compile(r"\w+")
_TRAILING_WORD = re.compile(r"(\w+)[ \t\u00a0]+$")
# A suffix cue counts only on words this long: "-ra" marks "déclarera", not "opéra" or "Sarra".
_SUFFIX_MIN = 5


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a slot: as the pack writes it (its case matters) and what it stands for."""

    form: str
    value: str
    exact: bool = False  # never capitalized at a sentence start


@dataclass(frozen=True)
class Grammar:
    """One language's time words and patterns (a pack's ``timex.tsv``)."""

    slots: dict[str, dict[str, tuple[Word, ...]]]  # slot -> folded form -> its words ("Morgen", "morgen")
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (rule, regex) in the file's order
    blocks: frozenset[tuple[str, str]]  # (word before, word): "la mañana" is the morning
    cues: dict[str, frozenset[str]]  # future / past words, future_suffix / past_suffix endings


def _fold(text: str) -> str:
    return " ".join(text.split()).replace("’", "'").lower()


def _rows(code: str) -> list[list[str]]:
    from onrecord.extract.packs import PACKS

    folder = PACKS[code].folder if code in PACKS else code
    path = resources.files("onrecord.extract.packs").joinpath(folder, "timex.tsv")
    if not path.is_file():
        raise OnrecordError(f"no time words for {code!r}: add extract/packs/{folder}/timex.tsv")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        [c.strip() for c in line.split("\t")] for line in lines if line.strip() and not line.startswith("#")
    ]


@cache
def grammar(code: str) -> Grammar:
    """The time grammar of a pack, read once per process."""
    slots: dict[str, dict[str, tuple[Word, ...]]] = {}
    templates: list[tuple[str, str]] = []
    blocks: set[tuple[str, str]] = set()
    cues: dict[str, set[str]] = {kind: set() for kind in _CUE_KINDS}
    for row in _rows(code):
        kind, word, value = row[0], row[1], row[2] if len(row) > 2 else ""
        if kind == "pattern":
            if word not in _RULES:
                raise OnrecordError(f"{code} timex.tsv: unknown rule {word!r} (one of {', '.join(_RULES)})")
            templates.append((word, value))
        elif kind == "block":
            blocks.add((_fold(word), _fold(value)))
        elif kind in cues:
            cues[kind].add(_fold(word))
        else:
            same = slots.setdefault(kind, {}).get(_fold(word), ())
            slots[kind][_fold(word)] = (*same, Word(word, value, row[3:4] == ["exact"]))
    patterns = tuple((rule, _compile(template, slots)) for rule, template in templates)
    return Grammar(slots, patterns, frozenset(blocks), {k: frozenset(v) for k, v in cues.items()})


def _slot(name: str, slots: dict[str, dict[str, tuple[Word, ...]]]) -> str:
    """A slot's regex: its words (longest first, any whitespace inside, either apostrophe) or digits."""
    forms = sorted((ws[0].form for ws in slots.get(name, {}).values()), key=len, reverse=True)
    words = "|".join(re.escape(f).replace(r"\ ", r"\s+").replace("'", "['’]") for f in forms)
    parts = ([rf"(?<!\w)(?:{words})(?!\w)"] if words else []) + ([_DIGITS[name]] if name in _DIGITS else [])
    if not parts:
        raise OnrecordError(f"a timex pattern uses {{{name}}}, which has no words")
    return "|".join(parts)


def _compile(template: str, slots: dict[str, dict[str, tuple[Word, ...]]]) -> re.Pattern[str]:
    out = []
    for part in _TEMPLATE_PARTS.split(template):
        if part == "[":
            out.append("(?:")
        elif part == "]":
            out.append(")?")
        elif part == " ":
            out.append(r"\s+")
        elif part.startswith("{"):
            out.append(f"(?P<{part[1:-1]}>{_slot(part[1:-1], slots)})")
        elif part:
            out.append(re.escape(part).replace("'", "['’]"))
    # Case is checked word by word after matching (``_span_start``), so the scan ignores it.
    return re.compile(r"(?<!\w)" + "".join(out) + r"(?!\w)", re.IGNORECASE)


# --- values ----------------------------------------------------------------------------------------

Values = dict[str, str]  # slot -> the value of its word (or its digits)
Way = Callable[[], tn.Direction]  # the tense around the expression, computed only when needed


def _step(v: Values) -> int | None:
    """-1 "last", +1 "next", 0 "this" (a ``det`` may say it: "ce jeudi"), None when nothing says."""
    said = v.get("step_before") or v.get("step_after") or v.get("det")
    return int(said) if said and said.lstrip("+-").isdigit() else None


def _date(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    """ "le 22 octobre", "22 октября 2024 года", "22.10.2024": a day; its year the nearest one."""
    month, day = int(v.get("month") or v["monthnum"]), int(v["day"])
    year = int(v["year"]) if "year" in v else None
    try:
        dt.date(year or 2000, month, day)  # 2000 was a leap year: "29 février" without a year stands
    except ValueError:
        return None
    if year is not None:
        return f"{year:04d}-{month:02d}-{day:02d}", "DATE"
    return tn.month_value(anchor, month, day, way()), "DATE"


def _month(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    """ "en mars", "im März 2023", "mars dernier": a month; "last March" is before this month."""
    month = int(v["month"])
    if "year" in v:
        return f"{int(v['year']):04d}-{month:02d}", "DATE"
    if anchor is None:
        return f"XXXX-{month:02d}", "DATE"
    step, year = _step(v), anchor.year
    if not step:
        return tn.month_value(anchor, month, None, way()), "DATE"
    year += (month <= anchor.month) if step > 0 else -(month >= anchor.month)
    return f"{year:04d}-{month:02d}", "DATE"


def _weekday(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    """ "jeudi", "в четверг", "letzten Freitag": the nearest such day back (or ahead in the future
    tense); "last"/"next" never the publication day itself, as in English; "this" ("ce jeudi",
    "diesen Freitag") the one of the publication's week."""
    weekday = int(v["weekday"])
    if anchor is None:
        return f"XXXX-WXX-{weekday}", "DATE"
    step = _step(v)
    if step == 0:
        when = anchor + dt.timedelta(days=weekday - anchor.isoweekday())
    else:
        when = tn.weekday_date(anchor, weekday, way() if step is None else "past" if step < 0 else "future")
        if step and when == anchor:
            when += dt.timedelta(days=7 * step)
    return _with_part(tn.day(when), v)


def _relday(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    """ "hier", "вчера вечером", "heute Morgen": a day counted from the publication date."""
    value = tn.shift(anchor, "D", int(v["relday"]))
    return _with_part(value, v) if anchor is not None else (value, "DATE")


def _with_part(day: str, v: Values) -> Found:
    return (f"{day}T{v['part']}", "TIME") if "part" in v else (day, "DATE")


def _relative(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    """ "la semaine dernière" (W-1), "в этом году" (Y0): the week, month or year it names."""
    unit, step = v["relative"][0], int(v["relative"][1:])
    return tn.shift(anchor, unit, step), "DATE"


def _year(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
    return v["year"], "DATE"


def _counted(sign: int) -> Callable[[Values, dt.date | None, Way], Found | None]:
    """ "il y a deux jours" (sign -1), "через неделю" (+1): a day, week, month or year from the
    publication date; a vague amount ("quelques jours") only says past or future."""

    def value(v: Values, anchor: dt.date | None, way: Way) -> Found | None:
        amount = v.get("number", "1")
        if not amount.isdigit():
            return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "DATE"
        return tn.shift(anchor, v["unit"], sign * int(amount)), "DATE"

    return value


_RULES: dict[str, Callable[[Values, dt.date | None, Way], Found | None]] = {
    "date": _date,
    "month": _month,
    "weekday": _weekday,
    "relday": _relday,
    "relative": _relative,
    "year": _year,
    "ago": _counted(-1),
    "ahead": _counted(1),
}


# --- finding ---------------------------------------------------------------------------------------


def find_pack_timex(
    text: str, anchor: str | None, code: str, *, doc: Any = None, exclude: Sequence[Span] = ()
) -> list[TimeExpression]:
    """Find a language's time expressions in ``text`` and normalise them against ``anchor``.

    Args:
        text: the text to tag; spans are offsets into it.
        anchor: the publication date "YYYY-MM-DD", or None (values then underspecified:
            "XXXX-10-22", "XXXX-WXX-4", "PAST_REF").
        code: the pack's language code.
        doc: the parse of ``text`` (a spaCy Doc over the same offsets), read for tense; optional.
        exclude: spans (boilerplate) where nothing is tagged.

    Returns:
        Non-overlapping expressions sorted by start, the longest match winning, then the earlier
        pattern of the pack's file.
    """
    words = grammar(code)
    date = tn.parse_anchor(anchor)
    candidates = [
        (m.start() - m.end(), order, m.start(), rule, m)
        for order, (rule, pattern) in enumerate(words.patterns)
        for m in pattern.finditer(text)
    ]
    candidates.sort(key=lambda c: c[:3])
    blocked = bytearray(len(text))
    for s in exclude:
        blocked[s.start : s.end] = b"\x01" * (s.end - s.start)
    found = []
    for _, _, _, rule, m in candidates:
        if blocked.find(1, m.start(), m.end()) != -1:
            continue
        start = _span_start(words, text, m)
        if start is None:
            continue
        values = {k: _value(words, k, g) for k, g in m.groupdict().items() if g is not None}
        result = _RULES[rule](values, date, partial(direction, words, text, start, m.end(), doc))
        if result is not None:
            blocked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append(TimeExpression(Span(start, m.end()), *result))
    return sorted(found, key=lambda x: x.span.start)


def _value(words: Grammar, slot: str, text: str) -> str:
    written = " ".join(text.split()).replace("’", "'")
    found = words.slots.get(slot, {}).get(_fold(text), ())
    word = next((w for w in found if w.form == written), found[0] if found else None)
    return word.value if word is not None else text  # digits stand for themselves


def _span_start(words: Grammar, text: str, m: re.Match[str]) -> int | None:
    """Where the expression starts (a preposition left out unless it opens the sentence), or None
    when a word is in the wrong case or the word before blocks it."""
    start = m.start()
    for slot, found in m.groupdict().items():
        if found is None:
            continue
        at = m.start(slot)
        if slot.startswith("prep"):
            if at == start and not (found[0].isupper() and _opens_sentence(text, at)):
                start = m.end(slot)
                while text[start].isspace():  # a slot is never last: something follows the space
                    start += 1
            continue
        written = " ".join(found.split()).replace("’", "'")
        candidates = words.slots.get(slot, {}).get(_fold(found))
        if candidates and not any(_case_fits(w, written, text, at) for w in candidates):
            return None  # (no candidates: digits)
    before = _TRAILING_WORD.search(text, max(0, start - 40), start)
    first = _WORD.match(text, start)
    if before and first and (_fold(before[1]), _fold(first[0])) in words.blocks:
        return None
    return start


def _case_fits(word: Word, written: str, text: str, at: int) -> bool:
    """As the pack writes it, or capitalized where a sentence opens (unless exact)."""
    if written == word.form:
        return True
    capital = word.form[:1].upper() + word.form[1:]
    return not word.exact and written == capital and _opens_sentence(text, at)


def _opens_sentence(text: str, at: int) -> bool:
    i = at
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in ".!?…:\n\r"


# --- tense -----------------------------------------------------------------------------------------


def direction(words: Grammar, text: str, start: int, end: int, doc: Any = None) -> tn.Direction:
    """Whether the expression at [start, end) points back or ahead: the tense of the verb governing
    it in the parse, else the nearest cue word of its sentence (future winning ties), else past."""
    if doc is not None:
        way = _parse_direction(doc, start, end)
        if way is not None:
            return way
    left, right = _sentence(text, start, end)
    best: tuple[int, int, tn.Direction] = (10**9, 1, "past")
    for m in _WORD.finditer(text, left, right):
        if m.start() < end and m.end() > start:
            continue
        way = _cue(words, m.group(0))
        if way is not None:
            gap = start - m.end() if m.end() <= start else m.start() - end
            best = min(best, (gap, 0 if way == "future" else 1, way))
    return best[2]


def _cue(words: Grammar, written: str) -> tn.Direction | None:
    cues, word = words.cues, written.lower()
    if word in cues["future"]:
        return "future"
    if word in cues["past"]:
        return "past"
    if len(word) >= _SUFFIX_MIN and written[0].islower():  # a verb, not a name ("Ankara") or noun
        if any(word.endswith(s) for s in cues["future_suffix"]):
            return "future"
        if any(word.endswith(s) for s in cues["past_suffix"]):
            return "past"
    return None


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), cut at quotation marks so a quote's tense stays its own."""
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = m.end()
    after = _SENTENCE_END.search(text, end, end + 400)
    right = after.start() if after else min(len(text), end + 400)
    for m in _QUOTE_MARK.finditer(text, left, start):
        left = m.end()
    quote = _QUOTE_MARK.search(text, end, right)
    return left, quote.start() if quote else right


def _parse_direction(doc: Any, start: int, end: int) -> tn.Direction | None:
    """The tense of the verb the expression hangs on (UD morphology): future if it or an auxiliary
    is ("sera appliquée jeudi", "состоится в четверг"), past if it is a finite past or a perfect
    ("a déclaré jeudi", "заявил в четверг"); None when the parse does not say."""
    from onrecord.extract.quotes import TokenIndex

    tokens = TokenIndex.of(doc).inside(Span(start, end))
    ids = {t.i for t in tokens}
    verb = next((t for t in tokens if t.head.i not in ids), None)
    for _ in range(3):  # "le 22 octobre" -> "octobre" -> the verb
        if verb is None or verb.pos_ in ("VERB", "AUX"):
            break
        verb = verb.head if verb.head.i != verb.i else None
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux")]
    if any("Fut" in t.morph.get("Tense") for t in (verb, *auxiliaries)):
        return "future"
    if any("Past" in a.morph.get("Tense") for a in auxiliaries):
        return "past"  # "был подписан"
    # A participle is past with a tense auxiliary ("a déclaré"), not a passive one ("est prévu").
    perfect = any(a.dep_ in ("aux", "aux:tense") for a in auxiliaries)
    form = verb.morph.get("VerbForm")
    if "Past" in verb.morph.get("Tense") and ("Fin" in form or ("Part" in form and perfect)):
        return "past"
    return None


class PackTimeExpressions:
    """Component: adds ``timex`` in a pack's language, anchored on ``published``, skipping
    boilerplate (as the English ``TimexTagger``); reads the parse for tense when there is one."""

    requires = ("published", "boilerplate")
    provides = ("timex",)

    def __init__(self, code: str) -> None:
        self.code = code
        grammar(code)  # a missing or malformed timex.tsv fails when the pipeline is built

    def __call__(self, article: Article) -> Article:
        exclude = [b.span for b in article.boilerplate]
        found = find_pack_timex(article.text, article.published, self.code, doc=article.doc, exclude=exclude)
        return article.evolve(timex=tuple(found))
