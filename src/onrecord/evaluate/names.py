"""Speaker-name normalisation shared by the scorers (a name string in, comparable tokens out).

Two names denote the same speaker when their normalised tokens are equal: casefolded,
punctuation and numbers dropped, a leading "the" and leading honorifics (``honorifics.txt``) removed, middle
initials removed ("Donald J. Trump" = "Donald Trump"). A gold name of a single token (an article
that gives only a surname) also matches any name with that last token.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

_POSSESSIVE = re.compile(r"['’]s\b")
_SPACE_LIKE = re.compile(r"[-‐‑‒–—―/_]")  # dashes join name parts: "Jean-Claude"
_NOT_WORD = re.compile(r"[^\w\s]")


def _tokens(text: str) -> tuple[str, ...]:
    """Casefold, drop possessive 's, turn dashes into spaces, drop other punctuation, split."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _SPACE_LIKE.sub(" ", text)
    return tuple(_NOT_WORD.sub("", text).replace("_", " ").split())


@cache
def honorifics() -> tuple[tuple[str, ...], ...]:
    """The honorifics in ``honorifics.txt`` as token tuples, longest first."""
    data = resources.files("onrecord.evaluate").joinpath("honorifics.txt").read_text(encoding="utf-8")
    titles = {_tokens(line) for line in data.splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted((t for t in titles if t), key=lambda t: (-len(t), t)))


def _strip_front(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Drop a leading "the" and leading honorifics, repeatedly, never down to nothing."""
    changed = True
    while changed:
        changed = False
        if len(tokens) > 1 and tokens[0] == "the":
            tokens, changed = tokens[1:], True
            continue
        for title in honorifics():
            if len(tokens) > len(title) and tokens[: len(title)] == title:
                tokens, changed = tokens[len(title) :], True
                break
    return tokens


def name_tokens(name: str) -> tuple[str, ...]:
    """Normalise a speaker name to the tokens that are compared.

    Args:
        name: A canonical or predicted name, e.g. "Sen. Robert C. Scott".

    Returns:
        The comparable tokens, e.g. ``("robert", "scott")``.
    """
    # Digits are ages and the like ("Mr. King, 82,"), never part of a name.
    tokens = _strip_front(tuple(t for t in _tokens(name) if not t.isdigit()))
    if len(tokens) > 2:
        # Middle initials only: a first-name initial ("J. Edgar Hoover") is kept.
        tokens = (tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1])
    return tokens


def normalize_name(name: str) -> str:
    """The normalised form of ``name`` as one string (tokens joined by spaces)."""
    return " ".join(name_tokens(name))


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """Whether a predicted speaker name denotes the gold speaker.

    Args:
        predicted: The predicted canonical name, or None when the extractor named nobody.
        gold: The gold canonical name, or None when the text does not say who spoke.

    Returns:
        True when both are None, or both normalise to the same tokens, or the gold name is a
        single token (a surname only) equal to the predicted name's last token.
    """
    if gold is None or predicted is None:
        return gold is None and (predicted is None or not predicted.strip())
    pred, want = name_tokens(predicted), name_tokens(gold)
    if not want or not pred:
        return pred == want
    return pred == want or (len(want) == 1 and pred[-1] == want[0])
