"""Timex grammar: lexicon/timex.tsv -> regex fragments, word-to-number readers and the rule registry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from onrecord.extract import timex_normalize as tn
from onrecord.extract.lexicons import table

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Found = tuple[str, TimexType]
# How far back (characters) "the quarter" or "a year earlier" still refers to a quarter named
# explicitly; WSJ files hold several short earnings stories, each about its own quarter.
_QUARTER_REACH = 1000
_DAY_VALUE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?!\d)")
_MONTH_VALUE = re.compile(r"(\d{4})-(\d\d)$")
# A comparison in a sentence about one of these is with last year's same period, which TimeBank
# writes as the year more often than not ("For the nine months, ... a year earlier" -> 1988;
# measured on TBAQ: 6 values right, 2 lost where the gold gives the quarter for the same phrasing).
_LONGER_PERIOD = re.compile(r"(?i)\b(?:nine|six)\s+months\b|\bfirst\s+half\b|\b(?:full|fiscal)\s+year\b")


@dataclass(slots=True)
class Context:
    """What a rule may consult: the text, the anchor, the tense around a match, discourse state.

    ``last_quarter`` and ``last_year`` are the latest explicit quarter and year seen, in reading order
    ("the quarter", "a year earlier" and "the following year" refer back to them); ``last_day`` and
    ``last_month`` the latest day and month any expression named ("that same day", "the following
    month", "the previous Friday").
    """

    text: str
    anchor: dt.date | None
    direction: Callable[[int, int], tn.Direction]
    quarter_talk: bool = False
    last_quarter: tuple[int, int, int] | None = None  # year, quarter, where it was mentioned
    last_year: int | None = None
    last_day: dt.date | None = None
    last_month: tuple[int, int] | None = None
    last_end: int = -1  # where the last expression found ends

    def remember(self, value: str, end: int) -> None:
        """Note the day or month a found value names, for the expressions that refer back to it."""
        self.last_end = end
        day = _DAY_VALUE.match(value)
        if day is not None:
            try:
                self.last_day = dt.date(int(day[1]), int(day[2]), int(day[3]))
            except ValueError:
                return
            self.last_month = self.last_day.year, self.last_day.month
        elif (month := _MONTH_VALUE.match(value)) is not None:
            self.last_month = int(month[1]), int(month[2])

    def reference_day(self) -> dt.date | None:
        """The day the discourse is at: the last day named, else the anchor."""
        return self.last_day or self.anchor

    def name_quarter(self, year: int, number: int, at: int, ended: bool) -> None:
        """Remember an explicit quarter as the one a report is about, unless another still is.

        A story's first quarter is its subject ("third-quarter net rose ..."); a different one named
        within reach is a comparison ("after a flat second quarter") or an outlook ("a fourth-quarter
        charge"), so it does not take over. Only a quarter of the past year can be reported on, and
        one not yet ended only when it is said to have ended ("the fourth quarter ended Sept. 30")
        or is talked of in the past tense ("reported fourth-quarter earnings", fiscal quarters).
        """
        if self.anchor is not None:
            age = tn.quarter_index(self.anchor) - (year * 4 + number)
            if age > 4 or (age < 1 and not ended):
                return
        held = self.last_quarter
        if held is None or at - held[2] >= _QUARTER_REACH or (held[0], held[1]) == (year, number):
            self.last_quarter = (year, number, at)

    def reports_quarter(self, at: int) -> bool:
        """Whether text at ``at`` is about a quarter: the text talks of quarters, or one was just named,
        and its sentence is not about a longer period ("For the nine months, ... a year earlier")."""
        held = self.last_quarter
        if not (self.quarter_talk or (held is not None and at - held[2] < _QUARTER_REACH)):
            return False
        before = self.text[max(0, at - 300) : at]
        sentence = before[max(before.rfind(". "), before.rfind("\n")) + 1 :]
        return _LONGER_PERIOD.search(sentence) is None

    def quarter(self, at: int) -> tuple[int, int]:
        """The quarter a report at ``at`` is about: one named shortly before, else the last one ended."""
        if self.last_quarter is not None and at - self.last_quarter[2] < _QUARTER_REACH:
            return self.last_quarter[0], self.last_quarter[1]
        if self.anchor is None:
            return 0, 0
        value = tn.shift(self.anchor, "Q", -1)
        return int(value[:4]), int(value[-1])


Handler = Callable[[re.Match[str], Context], Found | None]
RULES: list[tuple[re.Pattern[str], Handler]] = []
# Rules whose pattern is slow to scan (long optional prefixes tried at every character) but needs a
# keyword: they run only in windows around that keyword (rule index -> keyword pattern).
TRIGGERS: dict[int, re.Pattern[str]] = {}


def rule(pattern: str, trigger: str | None = None) -> Callable[[Handler], Handler]:
    """Register a handler for a pattern; a named group ``t`` narrows the span to that group.

    Rules registered earlier win ties between equally long matches. ``trigger``, a pattern every
    match contains, restricts scanning to windows around its occurrences.
    """

    def register(handler: Handler) -> Handler:
        if trigger is not None:
            TRIGGERS[len(RULES)] = re.compile(trigger)
        RULES.append((re.compile(pattern), handler))
        return handler

    return register


def _lexicon(kind: str) -> dict[str, str]:
    return {row[1]: row[2] for row in table("timex.tsv") if row[0] == kind}


MONTHS = {**_lexicon("month"), **_lexicon("month_abbr")}
WEEKDAYS = _lexicon("weekday")
NUMBERS = {**_lexicon("number"), **_lexicon("tens")}
QUANTITIES = _lexicon("quantity")
ORDINALS = _lexicon("ordinal")
UNITS = _lexicon("unit")
SEASONS = _lexicon("season")
PARTS = _lexicon("partofday")
REFERENCES = _lexicon("reference")
SETS = _lexicon("set")
HOLIDAYS = _lexicon("holiday")
ZONES = _lexicon("timezone")


def words(items: Iterable[str]) -> str:
    """A bare regex alternation of lexicon words, longest first, a space matching any whitespace."""
    ordered = sorted((str(w) for w in items), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def capitalized(items: Iterable[str]) -> str:
    """A group of lexicon words that must start with a capital letter ("May", not "may")."""
    ordered = sorted((str(w) for w in items), key=len, reverse=True)
    return "(?:" + "|".join(w[0].upper() + re.escape(w[1:]).replace(r"\ ", r"\s+") for w in ordered) + ")"


FULL_MONTH = capitalized(_lexicon("month"))
MONTH = rf"(?:{FULL_MONTH}|{capitalized(_lexicon('month_abbr'))}(?:\.|\b))"
WEEKDAY = capitalized(WEEKDAYS)
_DIGIT_WORDS = [w for w, v in NUMBERS.items() if int(v) < 10]
_TENS = _lexicon("tens")
NUMWORD = rf"(?i:(?:{words(_TENS)})(?:[\s-]+(?:{words(_DIGIT_WORDS)}))?|{words(NUMBERS)})"
NUMBER = rf"(?:(?:\d+(?:\.\d+)?(?:\s+1/2)?|{NUMWORD})(?:\s+(?i:and\s+a\s+half))?|(?i:{words(QUANTITIES)}))"
UNIT = rf"(?i:{words(UNITS)}|centuries|millennia)"
PART = rf"(?i:{words(PARTS)})"
DAYNUM = r"(?<![\d,.])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|\.\d|,\d)"
YEAR = r"(?<![\w$.,/#])(?<!\d-)(?:1[6-9]\d\d|20\d\d)(?![\w%/]|-\d|[.,]\d)"
# Spoken years in broadcast transcripts: "nineteen ninety-six", "the year two thousand".
SPOKEN_YEAR = (
    rf"(?i:nineteen(?:\s+hundred)?\s+(?:{words(_TENS)})(?:[\s-]+(?:{words(_DIGIT_WORDS)}))?|two\s+thousand)"
)
MODS = (
    r"(?i:about|around|nearly|almost|more\s+than|less\s+than|at\s+least|at\s+most|over|only|just|roughly"
    r"|approximately|up\s+to|fewer\s+than|barely|some)\s+"
)


def number(raw: str) -> str:
    """ "twenty-four" -> "24", "a few" -> "X", "2 1/2" -> "2.5"."""
    text = " ".join(raw.lower().replace("-", " ").split())
    if text.endswith(" and a half") and text != "one and a half":
        whole = number(text[: -len(" and a half")])
        return whole if whole == "X" else str(float(whole) + 0.5)
    if text.endswith(" 1/2"):
        return str(float(text[:-4]) + 0.5)
    if text in QUANTITIES:
        return QUANTITIES[text]
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return str(int(float(text))) if float(text).is_integer() else text
    total = 0
    for w in text.split():
        value = int(NUMBERS.get(w, "0"))
        total = total * value if value in (100, 1000) and total else total + value
    return str(total) if total else "X"


def spoken_year(raw: str) -> int:
    text = raw.lower()
    if "thousand" in text:
        return 2000
    return 1900 + int(number(text.replace("nineteen", "").replace("hundred", "")))


def unit_code(raw: str) -> str:
    """ "weeks" -> "W", "centuries" -> "C", "minutes" -> "MIN" (the lexicon's unit codes)."""
    word = raw.lower()
    word = {"centuries": "century", "millennia": "millennium"}.get(word, word)
    return UNITS.get(word, UNITS.get(word[:-1], "Y"))


def month_number(raw: str) -> int:
    return int(MONTHS[raw.lower().rstrip(".")])


def day_number(raw: str) -> int:
    digits = re.match(r"\d+", raw)
    return int(digits.group(0)) if digits else int(ORDINALS.get(raw.lower(), "0"))
