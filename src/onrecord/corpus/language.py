"""Corpus languages: article text -> ISO 639-1 code (py3langid), to route non-English text past analysis."""

from __future__ import annotations

from functools import cache
from typing import Any

from onrecord.extract.packs import PACKS

SUPPORTED = frozenset({"en", *PACKS})  # English and the language packs (extract/packs)
# langid reads at most this much: the first few paragraphs decide, and a long page costs no more.
SAMPLE = 3000


@cache
def _identifier() -> Any:
    from py3langid.langid import classify

    return classify


def detect(text: str) -> str:
    """The language code of ``text`` ("en", "de", ...); "und" for text with no letters."""
    sample = text[:SAMPLE]
    if not any(ch.isalpha() for ch in sample):
        return "und"
    code, _score = _identifier()(_in_main_script(sample))
    return str(code)


def _in_main_script(sample: str) -> str:
    """The sample with the letters of other scripts than most of its letters' left out, for a text
    in the scripts of the packs (Latin, Cyrillic): an English article quoting a line of Hindi is
    English (a few Devanagari letters outweigh many Latin ones in the identifier)."""
    from onrecord.extract.name_evidence import main_script, script_of

    script = main_script(sample)
    if script not in ("LATIN", "CYRILLIC"):
        return sample  # Japanese mixes kanji and kana: every script of it counts
    return "".join(ch for ch in sample if not ch.isalpha() or script_of(ch) in ("", script))


def language_name(code: str) -> str:
    """The English name of a language code ("de" -> "German"), else the code itself."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return str(found.name) if found is not None else code


def no_pack(code: str) -> str:
    """What is said of an article in a language onrecord has no language pack for."""
    supported = ", ".join(language_name(c) for c in sorted(SUPPORTED))
    return (
        f"{language_name(code)} ({code}): no language pack for it yet (supported: {supported});"
        " structure only, no statements"
    )
