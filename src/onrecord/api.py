"""The Python API: text or path -> Article, the library call every front end makes."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

from onrecord.errors import InputError
from onrecord.ingest.document import from_text, load_path
from onrecord.model import Article
from onrecord.pipeline import analyse_routed, analyze_raw


def check_date(value: str | None, what: str = "published") -> str | None:
    """Validate a YYYY-MM-DD date given by a user."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(what, f"'{value}' is not a date in YYYY-MM-DD form") from None


def analyze(
    text_or_path: str | os.PathLike[str], published: str | None = None, language: str | None = None
) -> Article:
    """Analyse one article: who said what, when.

    Args:
        text_or_path: the article's text (plain text as scraped, or an HTML page), or a path to a
            file holding it. A ``str`` is taken as a path only when it names an existing file.
        published: the publication date (YYYY-MM-DD) when known; it overrides the page's own.
        language: the article's language (ISO 639-1, "de"); None detects it, as ``onrecord analyze``
            does. English, German, French, Russian and Spanish are analysed; any other language
            gets the structure only (no statements). ``metadata["language"]`` says which it was.

    Returns:
        The analysed Article; ``article.to_dict()`` is the JSON contract.

    Raises:
        InputError: the input is empty, binary or cannot be decoded (the message names it), or
            ``language`` is not one onrecord knows.
    """
    date = check_date(published)
    looks_like_path = "\n" not in str(text_or_path) and len(str(text_or_path)) < 4096
    if isinstance(text_or_path, os.PathLike) or (looks_like_path and _is_file(text_or_path)):
        raw = load_path(Path(text_or_path))
    else:
        if not text_or_path.strip():
            raise InputError(None, "empty text (nothing to analyse)")
        raw = from_text(text_or_path)
    if language is None:
        article, code, _analysed = analyse_routed(raw, date)
    else:
        from onrecord.corpus.language import SUPPORTED

        code = language.strip().lower()
        if code not in SUPPORTED:
            supported = ", ".join(sorted(SUPPORTED))
            raise InputError("language", f"'{language}' has no language pack (supported: {supported})")
        article = analyze_raw(raw, date, code)
    return article.evolve(metadata=(*(m for m in article.metadata if m[0] != "language"), ("language", code)))


def _is_file(candidate: str) -> bool:
    try:
        return Path(candidate).is_file()
    except (OSError, ValueError):
        return False


def withhold_speakers(article: Article, min_confidence: float) -> Article:
    """The article with every speaker below ``min_confidence`` withheld: those statements become
    unattributed (``actor_id``, ``speaker`` and ``confidence`` None), and their evidence says whose
    attribution was withheld and why. A speaker never scored (confidence None) is withheld too: the
    same rule as the read side's ``min_confidence`` filter. Statements are never dropped.
    """
    quotes = []
    for quote in article.quotes:
        confidence = quote.confidence
        if quote.actor_id is None or (confidence is not None and confidence >= min_confidence):
            quotes.append(quote)
            continue
        actor = article.actor(quote.actor_id)
        scored = "never scored" if confidence is None else f"confidence {confidence:.2f}"
        name = actor.name if actor else quote.actor_id
        note = f"speaker withheld: {name} ({scored}, below {min_confidence:g})"
        quotes.append(
            replace(quote, actor_id=None, speaker=None, confidence=None, evidence=(*quote.evidence, note))
        )
    return article.evolve(quotes=tuple(quotes))
