"""Timex rules for spans and vague times: offsets, quarters, durations, sets, PAST/PRESENT/FUTURE_REF."""

from __future__ import annotations

import datetime as dt
import re

from onrecord.extract import timex_normalize as tn
from onrecord.extract.timex_grammar import (
    FULL_MONTH,
    MODS,
    MONTH,
    NUMBER,
    ORDINALS,
    PART,
    PARTS,
    REFERENCES,
    SEASONS,
    SETS,
    UNIT,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    Context,
    Found,
    month_number,
    number,
    rule,
    unit_code,
    words,
)


def _and_a_half(amount: str, half: str | None) -> str:
    """ "a minute and a half": 1 -> 1.5 (a vague amount stays vague)."""
    if not half or not amount.replace(".", "", 1).isdigit():
        return amount
    value = float(amount) + 0.5
    return str(int(value)) if value.is_integer() else str(value)


_SIGN = {"ago": -1, "earlier": -1, "previously": -1, "back": -1, "from": 1}


@rule(
    rf"(?<![\w'])(?:{MODS})?(?:(?P<num>{NUMBER})\s+)?(?:(?i:or\s+(?:so|two|more))\s+)?\b(?P<unit>{UNIT})"
    r"(?P<pl>s)?(?P<half>\s+(?i:and\s+a\s+half))?(?:\s+(?i:or\s+so))?\s+(?P<dir>(?i:ago|earlier|previously|back|from\s+now))\b",
    trigger=rf"\b{UNIT}",
)
def offset(m: re.Match[str], ctx: Context) -> Found | None:
    """ "Two weeks ago", "a year earlier", "three days from now": a date counted from the anchor.
    "Three days later" is left to the duration rule: it counts from an event of the story, not from
    the publication date, and TimeBank tags its "three days" as P3D (measured on TBAQ: 2 of 2)."""
    unit = unit_code(m["unit"])
    amount = _and_a_half(number(m["num"]), m["half"]) if m["num"] else ("X" if m["pl"] else "")
    sign = _SIGN[m["dir"].lower().split()[0]]
    if not amount:
        return None
    if amount == "X":
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "DATE"  # "years ago", "months later"
    if "." in amount or unit in ("H", "MIN", "S"):
        return tn.duration(amount, unit), "DURATION"
    if unit == "Y" and amount == "1" and sign < 0 and ctx.reports_quarter(m.start()):
        year, q = ctx.quarter(m.start())
        return f"{year - 1:04d}-Q{q}", "DATE"
    if unit == "2W":
        unit, amount = "W", str(2 * int(amount))
    return tn.shift(ctx.anchor, unit, sign * int(amount)), "DATE"


_ORDINAL_Q = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"


@rule(
    rf"\b(?i:(?:the\s+)?(?:(?:comparable|same)\s+)?year[\s-](?:earlier|ago)\s+(?:(?P<ord>{_ORDINAL_Q})[\s-]+"
    r"(?:fiscal\s+)?quarter|(?P<months>six|nine)\s+months))\b(?!-)"
)
def year_ago_period(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The year-ago third quarter": that quarter of the year before the one it is reported in;
    "the year-earlier nine months": a period of that length (TimeBank writes P9M, not a date)."""
    if m["months"]:
        return tn.duration(number(m["months"]), "M"), "DURATION"
    n = int(ORDINALS.get(m["ord"].lower(), m["ord"][0]))
    if ctx.anchor is None:
        return f"XXXX-Q{n}", "DATE"
    year = int(tn.quarter_value(ctx.anchor, n, "past")[:4]) - 1
    return f"{year:04d}-Q{n}", "DATE"


@rule(
    r"\b(?i:(?:the\s+)?year[\s-](?:earlier|ago|before)(?:\s+(?:quarter|period|three\s+months))?"
    r"|(?:the\s+)?(?:prior|previous)[\s-]year(?:'s)?\s+(?:quarter|period)"
    r"|(?:the\s+)?(?:(?:same|corresponding|comparable)\s+)?(?:quarter|period)\s+(?:of\s+)?(?:last\s+year"
    r"|a\s+year\s+(?:ago|earlier))|last\s+year's\s+(?:quarter|period))\b"
)
def year_earlier(m: re.Match[str], ctx: Context) -> Found | None:
    if ctx.reports_quarter(m.start()) and ctx.anchor is not None:
        year, q = ctx.quarter(m.start())
        return f"{year - 1:04d}-Q{q}", "DATE"
    return tn.shift(ctx.anchor, "Y", -1), "DATE"


_QYEAR = rf"(?P<qy>{YEAR}|this\s+year's|last\s+year's|next\s+year's)"


@rule(
    rf"\b(?i:(?:the\s+)?(?:{_QYEAR}\s+)?(?:fiscal[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)[\s-]+"
    rf"(?:fiscal[\s-]+)?(?P<unit>quarter|half)(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR}|this\s+year|last\s+year"
    r"|next\s+year))?)(?![\w-])"
)
def ordinal_quarter(m: re.Match[str], ctx: Context) -> Found | None:
    half = m["unit"].lower() == "half"
    if m["ord"].lower() == "last" and not (half and m["y2"]):
        return None  # "the last quarter" is the one before; only "the last half of 1989" is H2
    n = 2 if m["ord"].lower() == "last" else int(ORDINALS.get(m["ord"].lower(), m["ord"][0]))
    if half and n > 2:
        return None
    letter = "H" if half else "Q"
    year_text = (m["qy"] or m["y2"] or "").lower()
    if ctx.anchor is None and not year_text[:1].isdigit():
        return f"XXXX-{letter}{n}", "DATE"
    if year_text[:1].isdigit():
        year = int(year_text)
    elif year_text and ctx.anchor:
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[year_text.split()[0]]
    else:
        assert ctx.anchor is not None
        year = int(tn.quarter_value(ctx.anchor, 2 * n if half else n, ctx.direction(*m.span()))[:4])
    if not half:
        ended = re.match(r"\s+(?:ended|ending)\b", ctx.text[m.end() : m.end() + 8]) is not None
        ended = ended or ctx.direction(*m.span()) == "past"
        ctx.name_quarter(year, n, m.start(), ended)
    return f"{year:04d}-{letter}{n}", "DATE"


@rule(
    rf"(?<![\w'])(?:{MODS})?(?i:(?:the\s+)?(?P<which>first|last|final)\s+two\s+quarters\s+of\s+"
    rf"(?:fiscal\s+)?)(?P<year>{YEAR})"
)
def two_quarters(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The first two quarters of 1990" is that year's first half (H1); "the last two" its second."""
    ctx.last_year = int(m["year"])
    return f"{m['year']}-H{1 if m['which'].lower() == 'first' else 2}", "DATE"


@rule(
    r"\b(?i:the\s+(?:latest|most\s+recent|recent|just[\s-]ended|(?P<yr>\d{4}))?\s*(?:fiscal\s+)?"
    r"(?P<what>quarter|period))\b(?!-)"
)
def the_quarter(m: re.Match[str], ctx: Context) -> Found | None:
    if m["what"].lower() == "period" and not (
        ctx.reports_quarter(m.start()) and (m["yr"] or "latest" in m.group(0).lower())
    ):
        return None
    if ctx.anchor is None:
        return "XXXX-QX", "DATE"
    ended = _ENDED.match(ctx.text, m.end())
    if ended is not None and m["what"].lower() == "quarter" and not m["yr"]:
        return _quarter_ending(ctx, month_number(ended["mon"]), int(ended["day"]), m.start()), "DATE"
    year, q = ctx.quarter(m.start())
    return f"{int(m['yr']) if m['yr'] else year:04d}-Q{q}", "DATE"


_ENDED = re.compile(rf"\s*,?\s+(?:ended|ending)\s+(?P<mon>{MONTH})\s*(?P<day>\d{{1,2}})\b")


def _quarter_ending(ctx: Context, month: int, day: int, at: int) -> str:
    """ "The quarter ended July 31": the calendar quarter holding most of the three months before that
    day (May to July -> Q2), in the year that puts the day last before the anchor."""
    assert ctx.anchor is not None
    year = tn.closest_year(ctx.anchor, month, day, "past")
    try:
        middle = dt.date(year, month, day) - dt.timedelta(days=45)
    except ValueError:
        middle = dt.date(year, month, 28) - dt.timedelta(days=45)
    ctx.name_quarter(middle.year, tn.quarter(middle), at, True)
    return f"{middle.year:04d}-Q{tn.quarter(middle)}"


@rule(r"\b(?i:the\s+(?:full\s+|fiscal\s+|current\s+|entire\s+)?year)\b(?!-|\s+(?i:before|after|earlier|ago))")
def the_year(m: re.Match[str], ctx: Context) -> Found | None:
    # "the year ended March 31" is a fiscal year, tagged P1Y in TimeBank whatever the story's topic
    # (measured on TBAQ: 6 such spans, all P1Y, 5 of them outside quarterly reports).
    if re.match(r"\s+(?:ended|ending|to\s+date)\b", ctx.text[m.end() : m.end() + 12]):
        return "P1Y", "DURATION"
    return tn.shift(ctx.anchor, "Y", 0), "DATE"


_RATE = re.compile(r"(?:\d|\b(?:cents|dollars|million|billion|shares?|percent))\s*(?:[a-z]+\s+)?$")
_ADJ = r"(?:(?i:more|additional|full|straight|consecutive|trading|business|calendar|long|short)\s+)?"


@rule(
    rf"(?<![\w'])(?:{MODS})?(?:(?i:the|each\s+of\s+the)\s+)?(?P<rel>(?i:past|last|next|first|coming"
    rf"|previous|following|final|initial|remaining|latest|ensuing|preceding)\s+)?(?:(?P<num>{NUMBER})(?P<sep>\s+|-))?{_ADJ}"
    rf"\b(?P<unit>{UNIT})(?P<pl>s)?(?P<half>\s+(?i:and\s+a\s+half))?(?:\s+(?i:or\s+so))?"
    r"(?![\w-]|\s+old\b|\s+of\s+age\b)",
    trigger=rf"\b{UNIT}",
)
def duration(m: re.Match[str], ctx: Context) -> Found | None:
    if not (m["num"] or m["rel"]) or (m["sep"] == "-" and m["pl"]):
        return None  # "the year" alone; "three-quarters" is a fraction
    if m["num"] is None and not m.group(0).lower().startswith(
        ("the", "each", "about", "over", "nearly", "almost")
    ):
        return None
    unit = unit_code(m["unit"])
    amount = _and_a_half(number(m["num"]) if m["num"] else ("X" if m["pl"] else "1"), m["half"])
    if unit == "S" and (m["num"] or "").lower() == "a" and not m["rel"]:
        return None  # "a second term": an ordinal
    if unit == "Q" and m["num"] and amount.isdigit():
        unit, amount = "M", str(3 * int(amount))
    if (m["num"] or "").lower() in ("a", "an", "one", "per") and not m["rel"]:
        before = ctx.text[max(0, m.start() - 24) : m.start()].lower()
        if re.search(r"\b(?:times|once|twice)\s*$", before):
            return tn.duration("1", unit), "SET"  # "twice a day"
        if _RATE.search(before):
            # "$2 million a year", "700 seats a week": a rate, which TimeBank leaves untagged
            # (measured on TBAQ: 2 of 8 such spans tagged).
            return None
    return tn.duration(amount, unit), "DURATION"


@rule(
    r"\b(?i:for|in|within|over)\s+(?:(?i:the)\s+)?(?P<t>(?i:(?:many|several|some)\s+)?"
    r"(?:years|months|weeks|days|decades|hours|centuries))\b"
)
def vague_duration(m: re.Match[str], ctx: Context) -> Found | None:
    return tn.duration("X", unit_code(m["t"].split()[-1])), "DURATION"


@rule(
    rf"\b(?i:(?P<ref>{words(REFERENCES)})|(?:the\s+)?(?:most\s+)?recent\s+(?:years|months|weeks|days"
    r"|decades|times|past|quarters)|(?<!the\s)past\s+(?:years|decades)"
    r"|(?P<coming>(?:the\s+)?(?:coming|future)\s+(?:days|weeks|months|years|quarters)|as\s+soon\s+as\s+possible"
    r"|a\s+later\s+date)"
    r")\b(?!-)"
)
def reference(m: re.Match[str], ctx: Context) -> Found | None:
    """PRESENT_REF, PAST_REF, FUTURE_REF: "now", "recent years", "in past years", "coming quarters",
    "as soon as possible" (TimeML's values for a vague present, past and future)."""
    if m["coming"]:
        return "FUTURE_REF", "DATE"
    if m["ref"] is None:
        return "PAST_REF", "DATE"
    return REFERENCES[" ".join(m["ref"].lower().split())], "DATE"


@rule(rf"\b(?i:{words(SETS)})\b")
def set_word(m: re.Match[str], ctx: Context) -> Found | None:
    return SETS[m.group(0).lower()], "SET"


@rule(
    rf"\b(?i:every|each)\s+(?:(?P<num>(?i:other)|{NUMBER})\s+)?(?:(?P<wd>{WEEKDAY})|(?P<mon>{FULL_MONTH})"
    rf"|(?P<unit>{UNIT})s?|(?P<pod>{PART}))\b"
)
def every(m: re.Match[str], ctx: Context) -> Found | None:
    if m["wd"]:
        return f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}", "SET"
    if m["mon"]:
        return f"XXXX-{month_number(m['mon']):02d}", "SET"
    if m["pod"]:
        return f"XXXX-XX-XXT{PARTS[m['pod'].lower()]}", "SET"
    amount = "2" if (m["num"] or "").lower() == "other" else (number(m["num"]) if m["num"] else "1")
    return tn.duration(amount, unit_code(m["unit"])), "SET"


@rule(
    r"\b(?i:the\s+(?:(?:early|late|mid)[\s-]+)?(?P<s>summer|winter|autumn|spring|fall))\b"
    r"(?!\s+(?i:of|in|from|to|off|season|semester|term|collection|meeting|session)\b)"
)
def the_season(m: re.Match[str], ctx: Context) -> Found | None:
    """ "the summer", "the early summer": the season nearest in the tense's direction."""
    code = SEASONS[m["s"].lower()]
    return tn.season_value(ctx.anchor, code, None, ctx.direction(*m.span())), "DATE"
