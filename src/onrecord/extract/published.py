"""Publication date with provenance: Article (text, dateline, maybe a date) -> published + evidence.

Sources, first found wins: a date given by the caller ("given"), the page's metadata ("metadata"),
a wire dateline in the text ("MOSCOW, October 23 (TASS) –", "dateline"), else the text's own dated
references ("inferred"). Every decision is written to ``published_evidence`` as human-readable
lines, and the confidence is kept as a metadata pair ``published_confidence``.

Policy (never silently invent): a date is inferred only when the references pin it to one day — a
weekday named in the past tense ("On Thursday") placed, from a yearful window of dated references
("On 16 October" in the past, "5 February 2021" in the future), on the first such weekday on or
after the latest past reference. Bounds alone ("after 2020-10-16") leave ``published`` empty, with
the evidence lines saying what is known.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from onrecord.extract.timex import direction, find_timex
from onrecord.extract.timex_grammar import MONTHS, WEEKDAYS
from onrecord.model import Article, TimeExpression

# A year-less day-month reference ("16 October") or weekday is only taken as recent news when it
# falls this close to the latest dated reference; farther than that the guess would be invented.
_MAX_WEEKDAY_GAP = 13
# A date line ("Friday, January 4, 2019") stands above the story, within its first characters.
_HEAD = 400
# References written as a day-month without a year are placed in the twelve months before the
# window's upper bound (news does not write "16 October" for a date more than a year old).
_SAME_DAY = re.compile(
    r"(?i)\b(?:earlier|later)\s+(?:in\s+the|that|the\s+same)\s+day\b|\btoday\b|\bthis\s+morning\b"
)
_DATELINE_DATE = re.compile(
    r"(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})\b(?:,\s*(?P<year>\d{4}))?|(?P<year2>\d{4})-(?P<m2>\d\d)-(?P<d2>\d\d)"
)
_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH_YEAR = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DAY_MONTH = re.compile(r"^XXXX-(\d{2})-(\d{2})$")
_WEEKDAY = re.compile(r"^XXXX-WXX-([1-7])")
_DAY_NAMES = {int(v): k.capitalize() for k, v in WEEKDAYS.items()}


@dataclass(slots=True)
class Window:
    """What the text's references say about the publication date: bounds and the reasons."""

    after: dt.date | None = None  # published on or after
    after_why: str = ""
    precise: bool = False  # the lower bound is a recent, year-less day ("On 16 October")
    before: dt.date | None = None  # published before
    before_why: str = ""
    # The earliest future reference written to the day ("on 5 February 2021"): an appointment near
    # the news. A month ("to be completed by December 2023") may be a plan years ahead, so it bounds
    # the date but does not place year-less days (measured on the Wikinews bench sample: placing them
    # before "December 2023" dated a January 2020 story to 2023).
    before_day: dt.date | None = None
    lines: list[str] = field(default_factory=list)

    def _note(self, why: str) -> None:
        if why not in self.lines:
            self.lines.append(why)

    def raise_after(self, when: dt.date, why: str, precise: bool = True) -> None:
        self._note(why)
        if self.after is None or when > self.after:
            self.after, self.after_why, self.precise = when, why, precise

    def lower_before(self, when: dt.date, why: str, day: bool = True) -> None:
        self._note(why)
        if self.before is None or when < self.before:
            self.before, self.before_why = when, why
        if day and (self.before_day is None or when < self.before_day):
            self.before_day = when


@dataclass(frozen=True, slots=True)
class Dating:
    """The outcome: a date (or None), its confidence and the reasoning lines."""

    date: str | None
    confidence: str
    evidence: tuple[str, ...]


def _full_date(value: str) -> dt.date | None:
    m = _FULL.match(value)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _quote(text: str, x: TimeExpression) -> str:
    return "'" + " ".join(text[x.span.start : x.span.end].split()) + "'"


def _window(text: str, found: list[TimeExpression]) -> Window:
    """Bounds from fully dated references: past ones come before publication, future ones after."""
    win = Window()
    for x in found:
        when = _full_date(x.value)
        month = _MONTH_YEAR.match(x.value)
        if month is not None:
            when = dt.date(int(month[1]), int(month[2]), 1)  # "April 2010": its first day bounds
        if when is None:
            continue
        tense = direction(text, x.span.start, x.span.end)
        if tense == "past":
            line = f"{_quote(text, x)} in the past → published on or after {when}"
            # A dated past event with its year may be old background; only a year-less day
            # ("On 16 October", placed below) says the story is recent enough to pin a weekday.
            win.raise_after(when, line, precise=False)
        else:
            line = f"{_quote(text, x)} in the future → published before {when}"
            win.lower_before(when, line, day=month is None)
    return win


def _place_day_months(text: str, found: list[TimeExpression], win: Window) -> None:
    """Year-less past dates ("On 16 October"): the latest such day before the window's upper bound."""
    bound = win.before_day
    if bound is None:
        return
    for x in found:
        m = _DAY_MONTH.match(x.value)
        if m is None or direction(text, x.span.start, x.span.end) != "past":
            continue
        month, day = int(m[1]), int(m[2])
        for year in (bound.year, bound.year - 1):
            try:
                when = dt.date(year, month, day)
            except ValueError:
                continue
            if when < bound:
                win.raise_after(when, f"{_quote(text, x)} in the past → published on or after {when}")
                break


def infer(text: str, found: list[TimeExpression] | None = None) -> Dating:
    """Infer the publication date from the text's own dated references.

    Args:
        text: the article text.
        found: the text's temporal expressions tagged without an anchor (tagged here if None).

    Returns:
        A Dating whose ``date`` is None unless the references pin a single day.
    """
    found = find_timex(text, None) if found is None else found
    win = _window(text, found)
    _place_day_months(text, found, win)
    weekdays = [
        (int(m[1]), x)
        for x in found
        if (m := _WEEKDAY.match(x.value)) and direction(text, x.span.start, x.span.end) == "past"
    ]
    lines = list(win.lines)
    for wd, x in weekdays:
        line = f"{_quote(text, x)} (past tense) → a {_DAY_NAMES[wd]} on or before publication"
        if line not in lines:
            lines.append(line)
    if not weekdays or win.after is None or not win.precise:
        reason = "no weekday named in the past" if not weekdays else "no recent year-less date in the past"
        lines.append(f"{reason}: the references do not pin a day; published left empty")
        return Dating(None, "none", tuple(lines))
    wanted = {wd for wd, _ in weekdays}
    if len(wanted) > 1:
        lines.append("several different weekdays are named; the latest one reported is taken as the day")
    # The news day: the first named weekday on or after the latest past reference (news names the
    # days of the current week by weekday and earlier ones by date).
    candidates = [
        win.after + dt.timedelta(days=k)
        for k in range(_MAX_WEEKDAY_GAP + 1)
        if (win.after + dt.timedelta(days=k)).isoweekday() in wanted
    ]
    if len(wanted) > 1:
        candidates = [c for c in candidates if (c - win.after).days < 7]
    candidates = [c for c in candidates if win.before is None or c < win.before]
    if not candidates:
        lines.append(
            f"no named weekday within {_MAX_WEEKDAY_GAP} days after {win.after}; published left empty"
        )
        return Dating(None, "none", tuple(lines))
    chosen = max(candidates) if len(wanted) > 1 else min(candidates)
    name = _DAY_NAMES[chosen.isoweekday()]
    upper = f"before {win.before}" if win.before else "with no upper bound"
    lines.append(f"window: on or after {win.after}, {upper}")
    lines.append(f"first {name} satisfying all constraints: {chosen}")
    same_day = _SAME_DAY.search(text)
    gap = (chosen - win.after).days
    if same_day:
        lines.append(f"'{same_day.group(0)}' → reported the same day: published {chosen}")
    else:
        lines.append(f"assumed published on that {name} (it may be up to six days later)")
    confidence = "medium" if same_day and gap <= 7 else "low"
    lines.append(f"confidence: {confidence} (inferred from the text's own references)")
    return Dating(chosen.isoformat(), confidence, tuple(lines))


def from_dateline(article: Article, found: list[TimeExpression] | None = None) -> Dating | None:
    """The date in a wire dateline ("MOSCOW, October 23 (TASS) –"), its year from the text if absent."""
    if article.dateline is None:
        return None
    line = article.slice(article.dateline)
    m = _DATELINE_DATE.search(line)
    if m is None:
        return None
    if m["year2"]:
        year, month, day = int(m["year2"]), int(m["m2"]), int(m["d2"])
    else:
        if m["mon"].lower() not in MONTHS:
            return None
        month, day = int(MONTHS[m["mon"].lower()]), int(m["day"])
        year = int(m["year"]) if m["year"] else 0
    lines = [f"dateline '{line.strip()}' → month {month:02d}, day {day:02d}"]
    if not year:
        year = _year_from_context(article.text, month, day, found, lines)
        if not year:
            lines.append("the dateline has no year and the text gives none; published left empty")
            return Dating(None, "none", tuple(lines))
    try:
        when = dt.date(year, month, day)
    except ValueError:
        return None
    lines.append(f"published {when} (from the dateline)")
    return Dating(when.isoformat(), "high", tuple(lines))


def from_date_line(article: Article, found: list[TimeExpression]) -> Dating | None:
    """A line holding nothing but a full date above the story ("Friday, January 4, 2019")."""
    for x in found:
        when = _full_date(x.value)
        if when is None:
            continue
        line_start = article.text.rfind("\n", 0, x.span.start) + 1
        line_end = article.text.find("\n", x.span.end)
        line_end = len(article.text) if line_end < 0 else line_end
        rest = article.text[line_start : x.span.start] + article.text[x.span.end : line_end]
        if rest.strip(" \t,.|-–—:") or x.span.start > _HEAD:
            continue
        line = article.text[line_start:line_end].strip()
        return Dating(when.isoformat(), "high", (f"date line '{line}' above the story → published {when}",))
    return None


def _year_from_context(
    text: str, month: int, day: int, found: list[TimeExpression] | None, lines: list[str]
) -> int:
    """The year placing the dateline's day inside the window the text's dated references draw."""
    found = find_timex(text, None) if found is None else found
    win = _window(text, found)
    years = [w.year for w in (win.after, win.before) if w is not None]
    for year in sorted({y + d for y in years for d in (-1, 0, 1)}):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if (win.after is None or when >= win.after) and (win.before is None or when < win.before):
            lines.extend(win.lines)
            lines.append(f"year {year} puts the dateline inside the window of the text's references")
            return year
    return 0


def _confidence(metadata: tuple[tuple[str, str], ...], value: str) -> tuple[tuple[str, str], ...]:
    return (*(kv for kv in metadata if kv[0] != "published_confidence"), ("published_confidence", value))


class PublicationDater:
    """Component: sets ``published``/``published_source`` when absent and explains it in evidence."""

    requires = ("published", "paragraphs")
    provides = ("published_evidence",)

    def __call__(self, article: Article) -> Article:
        if article.published:
            source = article.published_source or "given"
            why = {
                "given": "given by the caller",
                "metadata": "from the page's metadata",
                "dateline": "from the dateline",
                "inferred": "inferred earlier",
            }[source]
            evidence = article.published_evidence or (f"published {article.published}: {why}",)
            return article.evolve(
                published_source=source,
                published_evidence=evidence,
                metadata=_confidence(article.metadata, "high" if source != "inferred" else "low"),
            )
        # Cheapest first: the dateline span, a date line in the opening characters, then the
        # whole text's references (tagged once, only when needed).
        dating = from_dateline(article)
        if dating is None or dating.date is None:
            head = find_timex(article.text[:_HEAD], None)
            dating = from_date_line(article, head) or dating
        source = "dateline"
        if dating is None or dating.date is None:
            inferred = infer(article.text)
            lines = (dating.evidence if dating else ()) + inferred.evidence
            dating, source = Dating(inferred.date, inferred.confidence, lines), "inferred"
        return article.evolve(
            published=dating.date,
            published_source=source if dating.date else None,
            published_evidence=dating.evidence,
            metadata=_confidence(article.metadata, dating.confidence),
        )
