"""Timex rules for points in time: calendar dates, weekdays, months, years, clock times (match -> value)."""

from __future__ import annotations

import datetime as dt
import re

from onrecord.extract import timex_normalize as tn
from onrecord.extract.timex_grammar import (
    FULL_MONTH,
    HOLIDAYS,
    MONTH,
    ORDINALS,
    PART,
    PARTS,
    SEASONS,
    SPOKEN_YEAR,
    UNITS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    ZONES,
    Context,
    Found,
    day_number,
    month_number,
    rule,
    spoken_year,
    words,
)

# TimeBank leaves prepositions out of spans; the seed gold keeps a sentence-initial "On" before a
# weekday or a day-date and "in" before a bare month, so those two (and nothing else) are kept.
_ON = r"(?:\bOn\s+)?"
_DATE_MOD = (
    r"(?:(?i:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+start\s+of)[\s-]+)?"
)
_DAY = rf"(?:(?<![\d,.])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|\.\d|,\d)|(?i:{words(ORDINALS)}))"
_REL_YEAR = r"(?i:this|last|next)\s+year\b"
_STEP = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}


def _explicit_year(ctx: Context, raw: str | None) -> int | None:
    """A year written out ("1998", "this year"), remembered as the discourse's latest year."""
    if not raw:
        return None
    if raw[:1].isdigit():
        year = int(raw)
    elif ctx.anchor is None:
        return None
    else:
        year = ctx.anchor.year + _STEP[raw.split()[0].lower()]
    ctx.last_year = year
    return year


def _weekday(ctx: Context, weekday: int, direction: tn.Direction, strict: bool = False) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{weekday}"
    when = tn.weekday_date(ctx.anchor, weekday, direction)
    if strict and when == ctx.anchor:
        when += dt.timedelta(days=-7 if direction == "past" else 7)
    return tn.day(when)


def _date(ctx: Context, month: int, day: int | None, year: int | None, span: tuple[int, int]) -> str:
    if year is not None:
        return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return tn.month_value(ctx.anchor, month, day, ctx.direction(*span))


def _week_of(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The week of March 6": the ISO week holding that day."""
    day = day_number(m["day"])
    value = _date(ctx, month_number(m["mon"]), day, _explicit_year(ctx, m["year"]), m.span())
    try:
        return tn.week(dt.date.fromisoformat(value)), "DATE"
    except ValueError:
        return None  # no year to place it in, or no such day


@rule(
    rf"\b(?i:the\s+week\s+of)\s+(?P<mon>{MONTH})\s+(?P<day>{_DAY})\b(?:,?\s+(?P<year>{YEAR}))?", trigger=MONTH
)
@rule(
    _ON + rf"(?:(?P<wd>{WEEKDAY}),?\s+)?{_DATE_MOD}(?P<mon>{MONTH})\s+(?P<day>{_DAY})\b"
    rf"(?:,?\s+(?P<year>{YEAR}|{_REL_YEAR}))?",
    trigger=MONTH,
)
@rule(
    _ON + rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{_DAY})(?:\s+of)?\s+(?P<mon>{MONTH})"
    rf"(?:,?\s+(?P<year>{YEAR}|{_REL_YEAR}))?",
    trigger=MONTH,
)
def calendar_date(m: re.Match[str], ctx: Context) -> Found | None:
    if m.group(0).lower().startswith("the week"):
        return _week_of(m, ctx)
    day = day_number(m["day"])
    if not 1 <= day <= 31:
        return None
    return _date(ctx, month_number(m["mon"]), day, _explicit_year(ctx, m["year"]), m.span()), "DATE"


@rule(
    rf"{_DATE_MOD}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?:(?P<year>{YEAR}|{_REL_YEAR})|(?P<spoken>{SPOKEN_YEAR}))",
    trigger=MONTH,
)
def month_year(m: re.Match[str], ctx: Context) -> Found | None:
    year = spoken_year(m["spoken"]) if m["spoken"] else _explicit_year(ctx, m["year"])
    month = month_number(m["mon"])
    return (f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"), "DATE"


_MONTH_REL = (
    r"(?i:last|next|this|this\s+past|this\s+coming|early|late|mid|the\s+end\s+of|the\s+beginning\s+of)[\s-]+"
)


@rule(rf"(?:\b(?P<in>[Ii]n)\s+|\b(?P<rel>{_MONTH_REL}))?(?P<mon>{FULL_MONTH})\b(?!\s+\d)", trigger=FULL_MONTH)
def bare_month(m: re.Match[str], ctx: Context) -> Found | None:
    month = month_number(m["mon"])
    rel = (m["rel"] or "").lower().split()
    before = ctx.text[max(0, m.start() - 8) : m.start()].lower()
    if m["mon"] == "May" and not (
        m["in"] or m["rel"] or re.search(r"\b(since|until|by|through)\s+$", before)
    ):
        return None
    if re.match(r"\s+(?:for|of)\s+(?:the\s+)?[A-Z]", ctx.text[m.end() : m.end() + 12]):
        return None  # "the March for Life", "March of the Combatant Mothers": a name, not a month
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
    rf"(?:\bOn\s+|\b(?P<rel>(?i:last|next|this|this\s+past|this\s+coming|coming|the\s+previous|the\s+following)\s+))?"
    rf"(?P<wd>{WEEKDAY})\b(?:\s+(?P<pod>{PART})\b)?",
    trigger=WEEKDAY,
)
def weekday(m: re.Match[str], ctx: Context) -> Found | None:
    wd = int(WEEKDAYS[m["wd"].lower()])
    rel = (m["rel"] or "").lower()
    if rel.startswith("the") and ctx.last_day is not None:
        # "the previous Friday", "the following Monday": from the day the discourse is at
        way: tn.Direction = "past" if "previous" in rel else "future"
        when = tn.weekday_date(ctx.last_day, wd, way)
        if when == ctx.last_day:
            when += dt.timedelta(days=-7 if way == "past" else 7)
        value = tn.day(when)
    elif "last" in rel or "past" in rel or "previous" in rel:
        value = _weekday(ctx, wd, "past", strict=True)
    elif "next" in rel or "coming" in rel or "following" in rel:
        value = _weekday(ctx, wd, "future", strict=True)
    else:
        value = _weekday(ctx, wd, ctx.direction(*m.span()))
    if m["pod"]:
        return f"{value}T{PARTS[m['pod'].lower()]}", "TIME"
    return value, "DATE"


@rule(
    r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b|\b(?P<m2>[01]?\d)/(?P<d2>[0-3]?\d)/(?P<y2>\d{4}|\d{2})\b"
)
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
    rf"(?:\b(?P<pre>(?i:fiscal|the\s+year|calendar|mid|early|late|post|pre))[\s-]+)?(?P<year>{YEAR})"
    r"(?!\s*(?i:percent|%|shares|people|troops|members)\b)"
    r"|(?:\b(?i:the)\s+)?(?:(?i:early|mid|late)[\s-]+)?(?P<decade>(?<![\w$.,/#])(?:1[6-9]\d0|20[0-9]0))'?s\b",
    trigger=r"(?:1[6-9]|20)\d\d",
)
def year(m: re.Match[str], ctx: Context) -> Found | None:
    if m["decade"]:
        return m["decade"][:3], "DATE"
    ctx.last_year = int(m["year"])
    return m["year"], "DATE"


@rule(
    rf"\b(?:(?P<pre>(?i:in|since|by|until))\s+)?(?P<t>(?P<the>(?i:the\s+year)\s+)?(?P<spoken>{SPOKEN_YEAR}))\b",
    trigger=r"(?i:nineteen|thousand)",
)
def said_year(m: re.Match[str], ctx: Context) -> Found | None:
    if not (m["pre"] or m["the"]) and "thousand" in m["spoken"].lower():
        return None  # "two thousand troops"
    ctx.last_year = spoken_year(m["spoken"])
    return str(ctx.last_year), "DATE"


@rule(
    r"\b(?i:the\s+)?(?:(?i:early|mid|late)[\s-]+)?'(?P<d>[0-9]0)s\b|\b(?i:the\s+(?:early\s+|late\s+|mid-)?)"
    r"(?P<w>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b"
)
def decade(m: re.Match[str], ctx: Context) -> Found | None:
    if m["d"]:
        return "19" + m["d"][0], "DATE"
    tens = {"twen": 2, "thir": 3, "fort": 4, "fift": 5, "sixt": 6, "seve": 7, "eigh": 8, "nine": 9}
    return f"19{tens[m['w'][:4].lower()]}", "DATE"


@rule(
    rf"\b(?i:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>(?i:{words(ORDINALS)})))[\s-](?i:century)\b",
    trigger=r"(?i:century)",
)
def century(m: re.Match[str], ctx: Context) -> Found | None:
    n = int(m["n"]) if m["n"] else int(ORDINALS[m["w"].lower()])
    return f"{n - 1:02d}", "DATE"


_RD = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@rule(
    rf"\b(?i:(?:(?P<mod>early|late|earlier|later)\s+)?(?P<rd>today|yesterday|tomorrow|tonight)"
    rf"(?:\s+(?P<pod>{words(PARTS)}))?|(?P<rel>this|last|tomorrow)\s+(?P<pod2>{words(PARTS)}))\b"
)
def relative_day(m: re.Match[str], ctx: Context) -> Found | None:
    word = (m["rd"] or m["rel"]).lower()
    pod = (m["pod"] or m["pod2"] or "").lower()
    if word == "tonight":
        pod = "night"
    offset = _RD.get(word, -1 if word == "last" else 0)
    if ctx.anchor is None:
        return tn.shift(None, "D", offset), "DATE"
    value = tn.shift(ctx.anchor, "D", offset)
    return (f"{value}T{PARTS[pod]}", "TIME") if pod else (value, "DATE")


@rule(r"\b(?i:mid[\s-]?(?P<pod>morning|afternoon))(?:\s+(?P<rd>(?i:yesterday|today|tomorrow)))?\b")
def mid_part_of_day(m: re.Match[str], ctx: Context) -> Found | None:
    """ "mid-afternoon", "mid-afternoon yesterday": that part of the anchor's day (or the named one)."""
    date = tn.shift(ctx.anchor, "D", _RD[(m["rd"] or "today").lower()]) if ctx.anchor else "XXXX-XX-XX"
    return f"{date}T{PARTS[m['pod'].lower()]}", "TIME"


@rule(
    rf"\b(?i:the\s+)?(?P<s>(?i:spring|summer|fall|autumn|winter))\s+of\s+"
    rf"(?:(?P<year>{YEAR})|(?P<spoken>{SPOKEN_YEAR}))"
)
def season_of_year(m: re.Match[str], ctx: Context) -> Found | None:
    """ "the winter of nineteen ninety-four", "the summer of 1998"."""
    year = spoken_year(m["spoken"]) if m["spoken"] else int(m["year"])
    ctx.last_year = year
    return f"{year:04d}-{SEASONS[m['s'].lower()]}", "DATE"


@rule(r"\b(?i:(?:earlier|later)\s+(?:in\s+the|that|the\s+same)\s+day|that\s+same\s+day|the\s+same\s+day)\b")
def same_day(m: re.Match[str], ctx: Context) -> Found | None:
    """ "Earlier that day" points back to the last day named (else the anchor); "earlier in the day",
    said without a "that", is the day of writing (the seed's future "5 February 2021" named just
    before must not capture it)."""
    anaphoric = re.search(r"(?i)\bthat\b", m.group(0)) is not None
    return tn.shift(ctx.reference_day() if anaphoric else ctx.anchor, "D", 0), "DATE"


_NEXT = {"next": 1, "following": 1, "after": 1, "previous": -1, "prior": -1, "before": -1}


@rule(
    rf"\b(?i:the\s+(?P<rel>next|following|previous|prior)\s+(?P<what>day|{words(PARTS)})"
    rf"|the\s+day\s+(?P<rel2>before|after)(?:\s+(?P<last>(?i:last)\s+)?(?P<wd>{WEEKDAY}))?)\b"
    r"(?!\s+(?i:of|that)\b)"
)
def next_day(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The next morning", "the day before": a day from the last day named (TimeML anchors these on
    the discourse, not the publication date), else from the anchor. "The day before last Tuesday"
    counts from that Tuesday; "Oct. 12, the day before the plunge" is Oct. 12 itself (an apposition:
    the event it counts from is not a date)."""
    step = _NEXT[(m["rel"] or m["rel2"]).lower()]
    reference = ctx.reference_day()
    if m["wd"] and ctx.anchor is not None:
        way: tn.Direction = "past" if m["last"] else ctx.direction(*m.span())
        reference = dt.date.fromisoformat(_weekday(ctx, int(WEEKDAYS[m["wd"].lower()]), way, bool(m["last"])))
    elif m["rel2"] and re.fullmatch(r",\s*", ctx.text[ctx.last_end : m.start()]) and ctx.last_day:
        return tn.day(ctx.last_day), "DATE"
    if reference is None:
        return ("PAST_REF" if step < 0 else "FUTURE_REF"), "DATE"
    value = tn.day(reference + dt.timedelta(days=step))
    what = (m["what"] or "day").lower()
    return (value, "DATE") if what == "day" else (f"{value}T{PARTS[what]}", "TIME")


@rule(r"\b(?i:the\s+(?P<rel>next|following|previous|prior)\s+month)\b(?!-)")
def discourse_month(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The following month": the month after the last month named ("In March, ... The following
    month" -> April)."""
    if ctx.last_month is None:
        return None
    year, month = tn.add_months(*ctx.last_month, _NEXT[m["rel"].lower()])
    return f"{year:04d}-{month:02d}", "DATE"


@rule(
    r"\b(?i:(?:(?:early|late|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+rest\s+of"
    r"|the\s+start\s+of|the\s+remainder\s+of|mid)[\s-]+)?(?:(?P<in>in\s+the)|(?P<rel>last|this|next|this\s+past"
    r"|this\s+coming|the\s+current|the\s+coming|current|coming))\s+(?:fiscal\s+)?"
    r"(?P<unit>week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter))\b(?!-)"
    r"|\b(?P<the>(?i:the))\s+(?P<unit2>(?i:weekend))\b"
)
def relative_unit(m: re.Match[str], ctx: Context) -> Found | None:
    unit = (m["unit"] or m["unit2"]).lower()
    step = _STEP[(m["rel"] or "this").lower().split()[-1]]
    if m["in"] and not re.match(r"(?i)earlier|later", m.group(0)):
        return None
    if unit in SEASONS:
        return tn.season_value(ctx.anchor, SEASONS[unit], step, ctx.direction(*m.span())), "DATE"
    if unit == "weekend":
        if ctx.anchor is None:
            return "XXXX-WXX-WE", "DATE"
        if m["the"]:
            step = -1 if ctx.direction(*m.span()) == "past" else 1
        saturday = tn.weekday_date(ctx.anchor, 6, "past" if step < 0 else "future")
        if step == 0 and ctx.anchor.isoweekday() in (6, 7):
            saturday = tn.weekday_date(ctx.anchor, 6, "past")
        return tn.week(saturday) + "-WE", "DATE"
    if unit == "quarter" and ctx.anchor is not None:
        if step == 0 and ctx.quarter_talk and "current" not in (m["rel"] or "").lower():
            year, q = ctx.quarter(m.start())  # "this quarter's loss": the quarter being reported
            return f"{year:04d}-Q{q}", "DATE"
        return tn.shift(ctx.anchor, "Q", step), "DATE"
    return tn.shift(ctx.anchor, UNITS[unit], step), "DATE"


@rule(
    r"\b(?i:(?P<rel>the\s+following|the\s+next|the\s+previous|the\s+prior|that|later\s+that|earlier\s+that)\s+year"
    r"|the\s+year\s+(?P<rel2>before|after))\b(?!-)"
)
def discourse_year(m: re.Match[str], ctx: Context) -> Found | None:
    rel = (m["rel"] or m["rel2"]).lower().split()[-1]
    if ctx.last_year is None:
        return None
    step = {"following": 1, "next": 1, "after": 1, "previous": -1, "prior": -1, "before": -1}.get(rel, 0)
    return f"{ctx.last_year + step:04d}", "DATE"


@rule(r"\b(?i:the\s+(?:latest|most\s+recent)\s+fiscal\s+year)\b")
def latest_fiscal_year(m: re.Match[str], ctx: Context) -> Found | None:
    """ "The latest fiscal year": the last one completed, named by the year before the anchor's."""
    if ctx.anchor is None:
        return None
    return tn.shift(ctx.anchor, "Y", -1), "DATE"


@rule(
    rf"(?P<mon>{MONTH})\s+(?P<d1>{_DAY})\s*(?:,\s*)?(?i:and|or|to|through|-|–)\s*(?P<t>(?P<d2>{_DAY})\b"
    rf"(?!\s*(?:{MONTH}|(?i:percent|%|cents|million|billion|a\.?m\b|p\.?m\b)))(?:,?\s+(?P<year>{YEAR}))?)",
    trigger=MONTH,
)
def second_day(m: re.Match[str], ctx: Context) -> Found | None:
    """ "April 24 and 25": the second day of the pair, its month (and year) carried over; the first is
    found by the calendar rule."""
    day = day_number(m["d2"])
    if not 1 <= day <= 31 or day <= day_number(m["d1"]):
        return None
    return _date(ctx, month_number(m["mon"]), day, _explicit_year(ctx, m["year"]), m.span()), "DATE"


@rule(r"\b(?i:(?:the\s+)?year[\s-]end|year's\s+end|the\s+end\s+of\s+the\s+year)\b")
def year_end(m: re.Match[str], ctx: Context) -> Found | None:
    return tn.shift(ctx.anchor, "Y", 0), "DATE"


_HOLIDAY_NAMES = "|".join(
    re.escape(w.title()).replace(r"\ ", r"\s+").replace("'S", "'s")
    for w in sorted(HOLIDAYS, key=len, reverse=True)
)


@rule(rf"{_ON}\b(?P<h>{_HOLIDAY_NAMES})\b(?P<week>\s+week\b)?(?:,?\s+(?P<year>{YEAR}))?")
def holiday(m: re.Match[str], ctx: Context) -> Found | None:
    """ "Christmas", "Easter 1998", "Easter week" (the ISO week holding that day)."""
    spec = HOLIDAYS[" ".join(m["h"].lower().split())]
    if m["year"] or ctx.anchor is None:
        value = tn.holiday_value(ctx.anchor, spec, int(m["year"]) if m["year"] else None)
    else:
        this_year = tn.holiday_value(ctx.anchor, spec, ctx.anchor.year)
        way = ctx.direction(*m.span())
        year = tn.closest_year(ctx.anchor, int(this_year[5:7]), int(this_year[8:10]), way)
        value = tn.holiday_value(ctx.anchor, spec, year)
    if m["week"] and not value.startswith("X"):
        return tn.week(dt.date.fromisoformat(value)), "DATE"
    return value, "DATE"


_DAYREF = rf"(?P<wd>{WEEKDAY}|(?i:today|yesterday|tomorrow|tonight))|(?P<mon>{MONTH})\s+(?P<day>{_DAY})"


@rule(
    r"(?:\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>(?i:a\.m\.?|p\.m\.?|am\b|pm\b))?"
    rf"(?:\s*\(?(?P<tz>(?i:{words(ZONES)}))\b\)?)?|\b(?P<word>noon|midnight|midday))"
    rf"(?:(?:\s*\([^()\n]{{1,20}}\))?,?\s+(?:(?i:on)\s+)?(?:{_DAYREF}))?"
)
def clock_time(m: re.Match[str], ctx: Context) -> Found | None:
    if m["word"]:
        if re.search(r"(?i)high\s+$", ctx.text[max(0, m.start() - 6) : m.start()]):
            return None
        hour, minute = (24 if m["word"] == "midnight" else 12), 0
    elif not (m["ampm"] or (m["mi"] and m["tz"])):
        return None
    else:
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        ampm = (m["ampm"] or "").lower()
        hour = hour % 12 + (12 if ampm.startswith("p") else 0) if ampm else hour
    date = tn.shift(ctx.anchor, "D", 0) if ctx.anchor else "XXXX-XX-XX"
    ref = (m["wd"] or "").lower()
    if ref in _RD:
        date = tn.shift(ctx.anchor, "D", _RD[ref]) if ctx.anchor else date
    elif ref:
        date = _weekday(ctx, int(WEEKDAYS[ref]), ctx.direction(*m.span()))
    elif m["mon"]:
        date = _date(ctx, month_number(m["mon"]), day_number(m["day"]), None, m.span())
    return f"{date}T{hour:02d}:{minute:02d}", "TIME"
