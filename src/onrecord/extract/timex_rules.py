"""Timex grammar: the lexicon-built patterns and, for each, how a match becomes a TimeML value (match -> value)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from onrecord.extract import timex_normalize as tn
from onrecord.extract.lexicons import table

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Found = tuple[str, TimexType]


@dataclass(slots=True)
class Context:
    """What a rule may consult: the text, the anchor, the tense around a match, discourse state."""

    text: str
    anchor: dt.date | None
    direction: Callable[[int, int], tn.Direction]
    last_quarter: tuple[int, int] | None = None
    quarter_talk: bool = field(default=False)


Handler = Callable[[re.Match[str], Context], Found | None]
RULES: list[tuple[re.Pattern[str], Handler]] = []


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


def _words(words: object) -> str:
    """A bare regex alternation of lexicon words, longest first, spaces matching any whitespace."""
    items = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def _alt(words: object, capital: bool = False) -> str:
    """A group of lexicon words: case-insensitive, or with a required leading capital."""
    if capital:
        items = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
        return "(?:" + "|".join(w[0].upper() + re.escape(w[1:]) for w in items) + ")"
    return "(?i:" + _words(words) + ")"


_FULL_MONTH = _alt(_lexicon("month"), capital=True)
MONTH = "(?:" + _FULL_MONTH + "|" + _alt(_lexicon("month_abbr"), capital=True) + r"\.?)"
WEEKDAY = _alt(WEEKDAYS, capital=True)
_DIGIT_WORDS = [w for w, v in NUMBERS.items() if int(v) < 10]
_NUMWORD = _alt(_lexicon("tens")) + r"(?:[\s-]+" + _alt(_DIGIT_WORDS) + ")?|" + _alt(NUMBERS)
NUMBER = r"(?:\d+(?:\.\d+)?|" + _alt(QUANTITIES) + "|" + _NUMWORD + ")"
UNIT = r"(?i:" + _words(UNITS) + r"|centuries|millennia)"
DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR = r"(?<![\w$.,/#-])(?:1[6-9]\d\d|20\d\d)(?![\w%/-]|[.,]\d)"
MODS = r"(?i:about|around|nearly|almost|more\s+than|less\s+than|at\s+least|at\s+most|over|only|just|roughly"
MODS += r"|approximately|up\s+to|fewer\s+than|some|barely|within|under)\s+"
PARTRE = _alt(PARTS)


def rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for a pattern; a named group ``t`` narrows the span to that group."""

    def register(handler: Handler) -> Handler:
        RULES.append((re.compile(pattern), handler))
        return handler

    return register


def number(raw: str) -> str:
    """ "twenty-four" -> "24", "a few" -> "X", "1.5" -> "1.5"."""
    words = " ".join(raw.lower().replace("-", " ").split())
    if words in QUANTITIES:
        return QUANTITIES[words]
    if re.fullmatch(r"\d+(\.\d+)?", words):
        return str(int(float(words))) if float(words).is_integer() else words
    total = 0
    for w in words.split():
        value = int(NUMBERS.get(w, "0"))
        total = total * value if value in (100, 1000) and total else total + value
    return str(total) if total else "X"


def unit_code(raw: str) -> str:
    word = raw.lower().rstrip("s")
    word = {"centurie": "century", "millenni": "millennium", "millenia": "millennium"}.get(word, word)
    return UNITS.get(word, UNITS.get(word.rstrip("'"), "Y"))


def _month(raw: str) -> int:
    return int(MONTHS[raw.lower().rstrip(".")])


def _day(raw: str) -> int:
    digits = re.match(r"\d+", raw)
    return int(digits.group(0)) if digits else int(ORDINALS.get(raw.lower(), "1"))


def date_value(ctx: Context, month: int, day: int | None, year: str | None, span: tuple[int, int]) -> str:
    if year:
        return f"{int(year):04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return tn.month_value(ctx.anchor, month, day, ctx.direction(*span))


def weekday_value(ctx: Context, weekday: int, direction: tn.Direction, strict: bool = False) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{weekday}"
    when = tn.weekday_date(ctx.anchor, weekday, direction)
    if strict and when == ctx.anchor:
        when += dt.timedelta(days=-7 if direction == "past" else 7)
    return tn.day(when)


_ON = r"(?:\b[Oo]n\s+)?"
_DAYWORD = DAYNUM + "|" + _alt(ORDINALS)
_DATE_MOD = r"(?:(?i:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of)[\s-]+)?"


@rule(
    _ON + rf"(?:(?P<wd>{WEEKDAY}),?\s+)?{_DATE_MOD}(?P<mon>{MONTH})\s+(?P<day>{_DAYWORD})\b"
    rf"(?:,?\s+(?P<year>{YEAR}))?"
)
@rule(_ON + rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM})(?:\s+of)?\s+(?P<mon>{MONTH})(?:,?\s+(?P<year>{YEAR}))?")
def calendar_date(m: re.Match[str], ctx: Context) -> Found | None:
    day = _day(m["day"])
    if not 1 <= day <= 31:
        return None
    return date_value(ctx, _month(m["mon"]), day, m["year"], m.span()), "DATE"


@rule(rf"{_DATE_MOD}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})")
def month_year(m: re.Match[str], ctx: Context) -> Found | None:
    return f"{int(m['year']):04d}-{_month(m['mon']):02d}", "DATE"


_MONTH_REL = r"(?i:last|next|this|this\s+past|this\s+coming|early|late|mid|the\s+end\s+of|the\s+beginning\s+of)[\s-]+"


@rule(rf"(?:\b(?P<in>[Ii]n)\s+|\b(?P<rel>{_MONTH_REL}))?(?P<mon>{_FULL_MONTH})\b(?!\s+\d)")
def bare_month(m: re.Match[str], ctx: Context) -> Found | None:
    month = _month(m["mon"])
    rel = (m["rel"] or "").lower().split()
    before = ctx.text[max(0, m.start() - 8) : m.start()].lower()
    if m["mon"] == "May" and not (m["in"] or m["rel"] or re.search(r"\b(since|until|by|through)\s+$", before)):
        return None
    if ctx.anchor is None:
        return f"XXXX-{month:02d}", "DATE"
    year = ctx.anchor.year
    if rel[:1] == ["last"] or rel[-1:] == ["past"]:
        year -= month >= ctx.anchor.month
    elif rel[:1] == ["next"] or rel[-1:] == ["coming"]:
        year += month <= ctx.anchor.month
    elif rel[:1] != ["this"]:
        return tn.month_value(ctx.anchor, month, None, ctx.direction(*m.span())), "DATE"
    return f"{year:04d}-{month:02d}", "DATE"


@rule(
    rf"(?:\b[Oo]n\s+|\b(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|coming|early|late)\s+))?"
    rf"(?P<wd>{WEEKDAY})\b(?:\s+(?P<pod>{PARTRE})\b)?"
)
def weekday(m: re.Match[str], ctx: Context) -> Found | None:
    wd = int(WEEKDAYS[m["wd"].lower()])
    rel = (m["rel"] or "").lower()
    if "last" in rel or "past" in rel:
        value = weekday_value(ctx, wd, "past", strict=True)
    elif "next" in rel or "coming" in rel:
        value = weekday_value(ctx, wd, "future", strict=True)
    else:
        value = weekday_value(ctx, wd, ctx.direction(*m.span()))
    if m["pod"]:
        return f"{value}T{PARTS[m['pod'].lower()]}", "TIME"
    return value, "DATE"


@rule(r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b|\b(?P<m2>[01]?\d)/(?P<d2>[0-3]?\d)/(?P<y2>\d{4}|\d{2})\b")
def numeric_date(m: re.Match[str], ctx: Context) -> Found | None:
    year = m["y"] or m["y2"]
    if len(year) == 2:
        year = ("19" if int(year) > 30 else "20") + year
    try:
        when = dt.date(int(year), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
    except ValueError:
        return None
    return tn.day(when), "DATE"


@rule(
    rf"(?:\b(?P<fiscal>(?i:fiscal|the\s+year|calendar|mid|early|late))[\s-]+)?(?P<year>{YEAR})"
    r"(?P<s>'?s\b)?(?!\s*(?i:percent|%|shares|people|troops|members)\b)"
)
def year(m: re.Match[str], ctx: Context) -> Found | None:
    if m["s"]:
        return m["year"][:3], "DATE"
    return m["year"], "DATE"


@rule(r"(?:\b(?i:the\s+)(?:(?i:early|mid|late)[\s-]+)?)?'(?P<d>[0-9]0)s\b|\b(?i:the\s+)(?P<w>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b")
def decade(m: re.Match[str], ctx: Context) -> Found | None:
    if m["d"]:
        return "19" + m["d"][0], "DATE"
    tens = {"twen": 2, "thir": 3, "fort": 4, "fift": 5, "sixt": 6, "seve": 7, "eigh": 8, "nine": 9}
    return f"19{tens[m['w'][:4].lower()]}", "DATE"


_RD = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@rule(
    r"\b(?i:(?:(?P<mod>early|late|earlier|later)\s+)?(?P<rd>today|yesterday|tomorrow|tonight)"
    rf"(?:\s+(?P<pod>{_words(PARTS)}))?|(?P<rel>this|last|tomorrow)\s+(?P<pod2>{_words(PARTS)}))\b"
)
def relative_day(m: re.Match[str], ctx: Context) -> Found | None:
    word = (m["rd"] or m["rel"]).lower()
    pod = (m["pod"] or m["pod2"] or "").lower()
    offset = _RD.get(word, -1 if word == "last" else 0)
    if word == "tonight":
        pod = "night"
    if ctx.anchor is None:
        return tn.shift(None, "D", offset), "DATE"
    value = tn.shift(ctx.anchor, "D", offset)
    return (f"{value}T{PARTS[pod]}", "TIME") if pod else (value, "DATE")


@rule(r"\b(?i:(?:earlier|later)\s+(?:in\s+the|that|the\s+same)\s+day|the\s+same\s+day)\b")
def same_day(m: re.Match[str], ctx: Context) -> Found | None:
    return tn.shift(ctx.anchor, "D", 0), "DATE"


_STEP = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}


@rule(
    r"\b(?i:(?:(?:early|late|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+rest\s+of"
    r"|the\s+start\s+of|the\s+remainder\s+of|mid)[\s-]+)?(?:(?P<in>in\s+the)|(?P<rel>last|this|next|this\s+past"
    r"|this\s+coming|the\s+current|the\s+coming|current|coming))\s+(?:fiscal\s+)?"
    r"(?P<unit>week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter))\b(?!-)"
)
def relative_unit(m: re.Match[str], ctx: Context) -> Found | None:
    unit = m["unit"].lower()
    step = _STEP[(m["rel"] or "this").lower().split()[-1]]
    if m["in"] and not re.match(r"(?i)earlier|later", m.group(0)):
        return None
    if unit in SEASONS:
        return tn.season_value(ctx.anchor, SEASONS[unit], step, ctx.direction(*m.span())), "DATE"
    if unit == "weekend":
        if ctx.anchor is None:
            return "XXXX-WXX-WE", "DATE"
        saturday = tn.weekday_date(ctx.anchor, 6, "past" if step < 0 else "future")
        if step == 0 and ctx.anchor.isoweekday() in (6, 7):
            saturday = tn.weekday_date(ctx.anchor, 6, "past")
        return tn.week(saturday) + "-WE", "DATE"
    if unit == "quarter" and ctx.anchor is not None:
        value = tn.shift(ctx.anchor, "Q", step)
        ctx.last_quarter = (int(value[:4]), int(value[-1]))
        return value, "DATE"
    return tn.shift(ctx.anchor, UNITS[unit], step), "DATE"


_SIGN = {"ago": -1, "earlier": -1, "before": -1, "previously": -1, "back": -1, "later": 1, "after": 1,
         "from": 1, "hence": 1}


@rule(
    rf"(?:{MODS})?(?P<num>{NUMBER})\s+(?P<unit>{UNIT})s?\s+"
    r"(?P<dir>(?i:ago|earlier|before|previously|back|later|after|from\s+now|hence))\b"
)
def offset(m: re.Match[str], ctx: Context) -> Found | None:
    amount, unit = number(m["num"]), unit_code(m["unit"])
    sign = _SIGN[m["dir"].lower().split()[0]]
    if m["dir"].lower() in ("before", "after") and not m.group(0)[:1].isalpha():
        return None
    if amount == "X" or "." in amount or unit in ("H", "MIN", "S"):
        return tn.duration(amount, unit), "DURATION"
    if unit == "Y" and amount == "1" and sign < 0 and ctx.quarter_talk and ctx.last_quarter:
        return f"{ctx.last_quarter[0] - 1:04d}-Q{ctx.last_quarter[1]}", "DATE"
    if unit == "2W":
        unit, amount = "W", str(2 * int(amount))
    return tn.shift(ctx.anchor, unit, sign * int(amount)), "DATE"


@rule(
    r"\b(?i:(?:the\s+)?year[\s-](?:earlier|ago|before)(?:\s+(?:quarter|period|three\s+months))?"
    r"|(?:the\s+)?(?:prior|previous|last)[\s-]year(?:'s)?\s+(?:quarter|period))\b"
)
def year_earlier(m: re.Match[str], ctx: Context) -> Found | None:
    if ctx.last_quarter and ctx.quarter_talk:
        return f"{ctx.last_quarter[0] - 1:04d}-Q{ctx.last_quarter[1]}", "DATE"
    return tn.shift(ctx.anchor, "Y", -1), "DATE"


_QORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
_QYEAR = rf"(?P<qy>{YEAR}|this\s+year's|last\s+year's|next\s+year's)"


@rule(
    rf"\b(?i:(?:the\s+)?(?:{_QYEAR}\s+)?(?:fiscal[\s-]+)?{_QORD}[\s-]+(?:fiscal[\s-]+)?(?P<unit>quarter|half)"
    rf"(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR}|this\s+year|last\s+year|next\s+year))?)"
    rf"(?![\w-])"
)
def ordinal_quarter(m: re.Match[str], ctx: Context) -> Found | None:
    n = int(ORDINALS.get(m["ord"].lower(), m["ord"][0]))
    half = m["unit"].lower() == "half"
    if half and n > 2:
        return None
    letter = "H" if half else "Q"
    year_text = (m["qy"] or m["y2"] or "").lower()
    if year_text[:1].isdigit():
        year: int | None = int(year_text)
    elif year_text and ctx.anchor:
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[year_text.split()[0]]
    elif ctx.anchor is None:
        return f"XXXX-{letter}{n}", "DATE"
    else:
        qn = n if not half else 2 * n
        year = int(tn.quarter_value(ctx.anchor, qn, ctx.direction(*m.span()))[:4])
    if not half:
        ctx.last_quarter = (year, n)
    return f"{year:04d}-{letter}{n}", "DATE"


@rule(
    r"\b(?i:the\s+(?:latest|most\s+recent|recent|just[\s-]ended|same|(?P<yr>\d{4}))?\s*(?:fiscal\s+)?"
    r"(?:quarter|period))\b(?!-)"
)
def the_quarter(m: re.Match[str], ctx: Context) -> Found | None:
    is_period = m.group(0).lower().endswith("period")
    if is_period and not (ctx.quarter_talk and (m["yr"] or "latest" in m.group(0).lower())):
        return None
    if ctx.last_quarter is None:
        if ctx.anchor is None:
            return "XXXX-QX", "DATE"
        value = tn.shift(ctx.anchor, "Q", -1)
        ctx.last_quarter = (int(value[:4]), int(value[-1]))
    year, q = ctx.last_quarter
    if m["yr"]:
        year = int(m["yr"])
    return f"{year:04d}-Q{q}", "DATE"


@rule(
    rf"(?:{MODS})?(?:(?i:the|a|an|each\s+of\s+the)\s+)?(?P<rel>(?i:past|last|next|first|coming|previous|following"
    rf"|final|initial|remaining|latest|ensuing|preceding)\s+)?(?:(?P<num>{NUMBER})[\s-]+)?"
    rf"(?:(?i:more|additional|full|straight|consecutive|trading|business|calendar|long|short)\s+)?"
    rf"(?P<unit>{UNIT}|(?i:centuries|millennia))(?P<pl>s)?(?:[\s-](?i:old|long))?(?![\w-])"
)
def duration(m: re.Match[str], ctx: Context) -> Found | None:
    if not (m["num"] or m["rel"]):
        return None
    head = m.group(0).lower()
    if m["num"] is None and not head.startswith(("the", "about", "over", "nearly", "almost", "at")):
        return None
    amount = number(m["num"]) if m["num"] else ("X" if m["pl"] else "1")
    if m["num"] and m["num"].lower() in ("a", "an") and not m["rel"] and head.split()[0] in ("a", "an"):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(times|once|twice|\d|cents|dollars|million|billion|share)\s*$", before):
            return f"P1{tn.duration('1', unit_code(m['unit']))[-1]}", "SET"
    return tn.duration(amount, unit_code(m["unit"])), "DURATION"


@rule(r"\b(?i:for|in|within|over)\s+(?P<t>(?i:(?:many|several|some)\s+)?(?:years|months|weeks|days|decades|hours))\b")
def vague_duration(m: re.Match[str], ctx: Context) -> Found | None:
    return tn.duration("X", unit_code(m["t"].split()[-1])), "DURATION"


@rule(
    r"\b(?i:(?P<ref>" + _words(REFERENCES) + r")|(?:the\s+)?(?:most\s+)?recent\s+(?:years|months|weeks|days"
    r"|decades|times|past))\b(?!-)"
)
def reference(m: re.Match[str], ctx: Context) -> Found | None:
    if m["ref"] is None:
        return "PAST_REF", "DATE"
    word = " ".join(m["ref"].lower().split())
    if word == "now" and re.match(r"\s+that\b", ctx.text[m.end() :]):
        return None
    return REFERENCES[word], "DATE"


@rule(r"\b(?i:" + _words(SETS) + r")\b")
def set_word(m: re.Match[str], ctx: Context) -> Found | None:
    return SETS[m.group(0).lower()], "SET"


@rule(
    rf"\b(?i:every|each)\s+(?:(?P<num>(?i:other)|{NUMBER})\s+)?(?:(?P<wd>{WEEKDAY})|(?P<mon>{_FULL_MONTH})"
    rf"|(?P<unit>{UNIT})s?|(?P<pod>{PARTRE}))\b"
)
def every(m: re.Match[str], ctx: Context) -> Found | None:
    if m["wd"]:
        return f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}", "SET"
    if m["mon"]:
        return f"XXXX-{_month(m['mon']):02d}", "SET"
    if m["pod"]:
        return f"XXXX-XX-XXT{PARTS[m['pod'].lower()]}", "SET"
    amount = "2" if (m["num"] or "").lower() == "other" else (number(m["num"]) if m["num"] else "1")
    return tn.duration(amount, unit_code(m["unit"])), "SET"


@rule(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>(?i:a\.m\.|p\.m\.|am\b|pm\b))?"
    rf"(?:\s*\(?(?P<tz>(?i:{_words(ZONES)}))\)?)?(?:\s+(?P<wd>{WEEKDAY}|(?i:today|yesterday|tomorrow)))?"
    r"|\b(?i:noon|midnight|midday)\b"
)
def clock_time(m: re.Match[str], ctx: Context) -> Found | None:
    word = m.group(0).lower()
    if word in ("noon", "midday", "midnight"):
        hour, minute = (24 if word == "midnight" else 12), 0
    elif not (m["ampm"] or (m["mi"] and m["tz"])):
        return None
    else:
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        ampm = (m["ampm"] or "").lower()
        hour = hour % 12 + (12 if ampm.startswith("p") else 0) if ampm else hour
    date = tn.shift(ctx.anchor, "D", 0) if ctx.anchor else "XXXX-XX-XX"
    if m["wd"] and m["wd"].lower() in _RD:
        date = tn.shift(ctx.anchor, "D", _RD[m["wd"].lower()]) if ctx.anchor else date
    elif m["wd"]:
        date = weekday_value(ctx, int(WEEKDAYS[m["wd"].lower()]), ctx.direction(*m.span()))
    return f"{date}T{hour:02d}:{minute:02d}", "TIME"


@rule(
    r"(?:\b[Oo]n\s+)?\b(?P<h>" + "|".join(
        w.title().replace(" ", r"\s+").replace("'S", "'s") for w in sorted(HOLIDAYS, key=len, reverse=True)
    ) + rf")\b(?:,?\s+(?P<year>{YEAR}))?"
)
def holiday(m: re.Match[str], ctx: Context) -> Found | None:
    rule_ = HOLIDAYS[" ".join(m["h"].lower().split())]
    if m["year"] or ctx.anchor is None:
        return tn.holiday_value(ctx.anchor, rule_, int(m["year"]) if m["year"] else None), "DATE"
    this_year = tn.holiday_value(ctx.anchor, rule_, ctx.anchor.year)
    year = tn.closest_year(ctx.anchor, int(this_year[5:7]), int(this_year[8:10]), ctx.direction(*m.span()))
    return tn.holiday_value(ctx.anchor, rule_, year), "DATE"


@rule(r"\b(?i:(?:the\s+)?year[\s-]end|the\s+end\s+of\s+the\s+year)\b")
def year_end(m: re.Match[str], ctx: Context) -> Found | None:
    return tn.shift(ctx.anchor, "Y", 0), "DATE"
