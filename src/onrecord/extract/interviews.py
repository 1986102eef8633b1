"""Interview transcripts: each turn of a question-and-answer piece is a statement by its speaker.

Outlets print interviews as labelled turns rather than quotations: Wikinews writes
"((WN)) How did you…" and "((Natasha Gownaris)) This study…", others "NG: This study…" or bare
initials ("MS Although we used…"). A labelled paragraph and the unlabelled paragraphs after it, up
to the next label or a heading, are one turn: a verbatim statement whose speaker mention is the
label. Turns are only read in a piece where at least two labels take turns several times, so a
"Note:" line or a paragraph that opens with "US" is never one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.model import Cue, Mention, Quote, Span

EVIDENCE = "interview turn: the label before it names the speaker"

_SPACE = " \t\xa0"
_DOUBLE = re.compile(r"\(\([ \t\xa0]*([^()\n]{1,60}?)[ \t\xa0]*\)\)[ \t\xa0]*")
_COLON = re.compile(r"([A-Z][\w.'’-]*(?:[ \t\xa0][A-Z][\w.'’-]*){0,3}):[ \t\xa0]+(?=\S)")
_BARE = re.compile(r"([A-Z]{2,4})[ \t\xa0]+(?=[A-Z])")
# Colon labels that head a note, not a turn; "Q:"/"A:" carry no name to resolve.
_NOT_LABELS = frozenset(
    (
        "note", "notes", "update", "updates", "source", "sources", "photo", "photos", "editor's",
        "editors", "correction", "corrections", "warning", "disclaimer", "q", "a", "question", "answer",
        "video", "watch", "read", "listen", "related", "see", "also", "caption", "credit", "transcript",
        "background", "context",
    )
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")
_MIN_USES = {"double": 2, "colon": 2, "bare": 3}
_MIN_TURNS = 4
_HEADING_MAX = 60  # a short paragraph without closing punctuation is a heading, not an answer


@dataclass(frozen=True, slots=True)
class Turn:
    """One labelled turn: the label (the speaker mention), its marker, and the words spoken."""

    label: Span
    marker: Span
    body: Span
    style: str

    def quote(self, asks: bool = False) -> Quote:
        """The turn as a statement; the interviewer's turns (``asks``) are questions, their own kind."""
        lemma = ":" if self.style == "colon" else "(( ))" if self.style == "double" else "initials"
        return Quote(
            "question" if asks else "direct",
            self.body,
            Mention(self.label, "name"),
            cue=Cue(self.marker, lemma, "neutral"),
            evidence=(EVIDENCE,),
        )


@dataclass(frozen=True, slots=True)
class _Label:
    paragraph: int
    label: Span
    marker: Span
    body_start: int
    style: str


def _label_at(text: str, start: int, end: int, index: int) -> _Label | None:
    """The turn label a paragraph opens with, if any."""
    if match := _DOUBLE.match(text, start, end):
        label = Span(match.start(1), match.end(1))
        return _Label(index, label, Span(match.start(), match.end()), match.end(), "double")
    if (match := _COLON.match(text, start, end)) and match.group(1).casefold() not in _NOT_LABELS:
        words = match.group(1).split()
        cased = all(w.isupper() for w in words) or not any(w.isupper() for w in words)  # not "NG Food:"
        if (
            cased
            and len(match.group(1)) <= 40
            and len(match.group(1).strip(".")) > 1
            and not words[-1].endswith(".")
        ):
            colon = match.end(1)
            return _Label(index, Span(match.start(1), colon), Span(colon, colon + 1), match.end(), "colon")
    if match := _BARE.match(text, start, end):
        label = Span(match.start(1), match.end(1))
        return _Label(index, label, label, match.end(), "bare")
    return None


def named_with_initials(text: str, initials: str) -> str | None:
    """The one name in the text with these initials ("Natasha Gownaris" for "NG"), if only one."""
    if not (initials.isalpha() and initials.isupper() and 2 <= len(initials) <= 4):
        return None
    pattern = r"\b" + r"[\w'’-]*[ \t\xa0]+".join(letter + r"[a-z]" for letter in initials) + r"[\w'’-]*"
    names = {" ".join(m.group().split()) for m in re.finditer(pattern, text)}
    return names.pop() if len(names) == 1 else None


def _is_heading(text: str, span: Span) -> bool:
    words = span.text(text).strip()
    return len(words) <= _HEADING_MAX and words[-1:] not in tuple('.!?…"”’:)')


def find_turns(text: str, paragraphs: list[Span]) -> list[Turn]:
    """The labelled turns of an interview among ``paragraphs`` (body paragraphs, text order).

    A label counts when it opens several paragraphs (three for bare initials, which must also be
    someone's initials in the text); the piece is an interview when two or more labels take at
    least four turns between them. Unlabelled paragraphs continue the turn before them; a heading
    ends it.
    """
    found = [
        label
        for i, p in enumerate(paragraphs)
        if (label := _label_at(text, p.start + len(p.text(text)) - len(p.text(text).lstrip()), p.end, i))
        and len(_WORD.findall(text, label.body_start, p.end)) >= 3  # "Clinton: 547." is a count
    ]
    uses = Counter((label.style, label.label.text(text)) for label in found)
    kept = {
        key
        for key, count in uses.items()
        if count >= _MIN_USES[key[0]] and (key[0] != "bare" or named_with_initials(text, key[1]))
    }
    labels = [label for label in found if (label.style, label.label.text(text)) in kept]
    if len(kept) < 2 or len(labels) < _MIN_TURNS:
        return []
    turns: list[Turn] = []
    by_paragraph = {label.paragraph: label for label in labels}
    current: _Label | None = None
    end = 0

    def close() -> None:
        if current is not None and end > current.body_start:
            turns.append(Turn(current.label, current.marker, Span(current.body_start, end), current.style))

    for i, paragraph in enumerate(paragraphs):
        if i in by_paragraph:
            close()
            current = by_paragraph[i]
            end = paragraph.start + len(paragraph.text(text).rstrip())
        elif current is not None and not _is_heading(text, paragraph):
            end = paragraph.start + len(paragraph.text(text).rstrip())
        else:
            close()
            current = None
    close()
    return turns


def with_turns(quotes: list[Quote], turns: list[Turn], text: str = "") -> list[Quote]:
    """The quotes of an interview: every turn, plus the quotations inside a turn that name their
    own speaker inside it by name or description (an interviewee quoting someone); other
    quotations inside a turn are the turn's own words and go."""
    if not turns:
        return quotes
    bodies = [t.body for t in turns]

    def inside(span: Span) -> Span | None:
        return next((b for b in bodies if b.start < span.end and span.start < b.end), None)

    kept = []
    for quote in quotes:
        body = inside(quote.span)
        speaker = quote.speaker if quote.speaker and quote.speaker.kind != "pronoun" else None
        if body is None or (
            speaker is not None and body.start <= speaker.span.start and speaker.span.end <= body.end
        ):
            kept.append(quote)
    asker = interviewer(text, turns)
    kept.extend(t.quote(asks=text[t.label.start : t.label.end] == asker) for t in turns)
    return kept


def interviewer(text: str, turns: list[Turn]) -> str | None:
    """The label whose turns ask: the one whose turns end in a question mark more often than not,
    and more often than any other label's (an interviewee's rhetorical question does not make them
    the interviewer). None when no label asks."""
    asked: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for turn in turns:
        label = text[turn.label.start : turn.label.end]
        total[label] += 1
        body = text[turn.body.start : turn.body.end].rstrip(' \t\n\xa0"”’)')
        asked[label] += body.endswith("?")
    shares = sorted(((asked[k] / total[k], k) for k in total), reverse=True)
    if not shares or shares[0][0] <= 0.5 or (len(shares) > 1 and shares[1][0] >= shares[0][0]):
        return None
    return shares[0][1]


def initials_owner(label: str, names: list[tuple[str, str]]) -> int | None:
    """Which of ``names`` ((canonical name, type) pairs) a capitalised turn label abbreviates:
    a person's initials ("NG": Natasha Gownaris), an organisation's acronym, or the letters of a
    one-word name in order from its first ("WN": Wikinews). None unless exactly one fits."""
    if not (label.isalpha() and label.isupper() and 2 <= len(label) <= 4):
        return None
    fits = []
    for i, (name, type_) in enumerate(names):
        if name == label:
            continue  # the label taken for a name by itself
        words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
        initials = "".join(w[0] for w in words)
        one_word = len(words) == 1 and _letters_in_order(label.casefold(), words[0].casefold())
        if initials == label or (type_ != "person" and one_word):
            fits.append(i)
    return fits[0] if len(fits) == 1 else None


def _letters_in_order(letters: str, word: str) -> bool:
    if not word.startswith(letters[0]):
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in letters[1:])


def spelled_out(label: str, names: Iterable[str]) -> str | None:
    """The one proper noun among ``names`` that a label abbreviates letter by letter ("Wikinews"
    for "WN"), for a label the article spells out but no entity was found for."""
    if not (label.isalpha() and label.isupper() and 2 <= len(label) <= 4):
        return None
    words = {w for w in names if len(w) > len(label) and _letters_in_order(label.casefold(), w.casefold())}
    return words.pop() if len(words) == 1 else None
