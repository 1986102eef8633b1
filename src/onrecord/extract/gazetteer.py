"""Gazetteer: a place name as an article writes it -> the one canonical name of its country.

"US", "U.S.", "USA", "America", "the United States" and "United States of America" are one
country, named "United States" in every article, so the corpus joins them whatever label the
tagger gave each. The names come from pycountry (ISO 3166: names, common names, official names,
alpha-3 codes); ``lexicon/countries.tsv`` adds the short forms news uses that it lacks ("U.S.",
"Britain") and the canonical name where pycountry's is formal ("Russian Federation": "Russia").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from onrecord.extract.lexicons import table

_DOTS = re.compile(r"[.\u2024]")
_ALPHA3 = re.compile(r"[A-Z]{3}")


def _key(name: str) -> str:
    """A name folded for look-up: accents, case, full stops, spacing and a leading "the" ignored."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = _DOTS.sub("", plain).replace("’", "'").casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


@cache
def _canonical() -> dict[str, str]:
    """alpha-3 code -> the country's canonical name: the lexicon's, else pycountry's common name or name."""
    import pycountry

    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    for row in table("countries.tsv"):
        if row[0] == "=" and len(row) > 2:
            names[row[1]] = row[2]
    return names


@cache
def _forms() -> dict[str, str]:
    """Folded form -> alpha-3 code, for every name pycountry and the lexicon give a country."""
    import pycountry

    forms: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                forms.setdefault(_key(value), country.alpha_3)
    for row in table("countries.tsv"):
        if row[0] != "=" and len(row) > 1:
            forms[_key(row[0])] = row[1]
    for code, name in _canonical().items():
        forms.setdefault(_key(name), code)
    return forms


def country(name: str) -> str | None:
    """The canonical name of the country ``name`` names ("U.S." -> "United States"), or None.

    A name in lower case is never a country ("us", "america's" as common words); a bare alpha-3
    code counts only in capitals ("USA", "GBR"), and a possessive is not the country itself.
    """
    name = name.strip()
    if not name or not any(c.isupper() for c in name) or name.endswith(("'s", "’s")):
        return None
    code = _forms().get(_key(name))
    if code is None and _ALPHA3.fullmatch(name):
        import pycountry

        found = pycountry.countries.get(alpha_3=name)
        code = found.alpha_3 if found is not None else None
    return _canonical().get(code) if code is not None else None
