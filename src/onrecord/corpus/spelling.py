"""Spelling keys: a person's name as an article writes it (any language, any script) -> one key.

"Дмитрий Песков", "Dmitry Peskov", "Dmitri Peskow" and "Dmitrij Peskov" are one person; the
identity rules (``corpus/identities.py``) compare the keys this module gives their given names and
surname. A name is written in ASCII (anyascii: Cyrillic to Latin, accents dropped), lower-cased,
apostrophes dropped. A Russian or Ukrainian name (written in Cyrillic, or whose surname, once folded,
has a telling ending or is a known one) then has the usual renderings of the article's language and
of every language folded into one (``extract/lexicon/spellings.tsv``, each rule with its reason).
Any other name keeps its spelling: French rules never touch "Michel", nor English ones "Terri".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

from onrecord.errors import OnrecordError

LEXICON = "spellings.tsv"
ANY = "*"  # the rows that hold in every language
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")


@dataclass(frozen=True, slots=True)
class Spellings:
    """The folding rules, as read from the lexicon."""

    rules: tuple[tuple[str, re.Pattern[str], str], ...]  # (language, pattern, replacement)
    endings: tuple[re.Pattern[str], ...]  # mark a name for its language's rules and every language's
    shared_endings: tuple[re.Pattern[str], ...]  # for every language's rules only
    surnames: frozenset[str]
    given: dict[str, str]
    exonyms: dict[str, str]

    def fold(self, word: str, language: str | None) -> str:
        """One ASCII word with the renderings of ``language`` and of every language folded."""
        for lang in (language, ANY):
            for rule_lang, pattern, replacement in self.rules:
                if rule_lang == lang:
                    word = pattern.sub(replacement, word)
        return word

    def word(self, written: str, language: str | None) -> str:
        """One word's folded key: its exonym as is, else its ASCII spelling folded."""
        return self.exonyms.get(written.casefold()) or self.fold(plain(written), language)

    def marks(self, surname: str, language: str | None) -> bool:
        """Whether a surname (as written) reads as Russian or Ukrainian in an article in ``language``."""
        ascii_, folded = plain(surname), self.word(surname, language)
        return folded in self.surnames or any(e.search(ascii_) or e.search(folded) for e in self.endings)

    def shares(self, surname: str) -> bool:
        """Whether a surname reads as Russian or Ukrainian (or Polish) by the rules of every language."""
        folded = self.word(surname, None)
        return folded in self.surnames or any(e.search(folded) for e in self.endings + self.shared_endings)


@cache
def spellings() -> Spellings:
    """The lexicon's rules, read once; a malformed row fails here, naming it."""
    from onrecord.extract.lexicons import table

    rules: list[tuple[str, re.Pattern[str], str]] = []
    endings: list[re.Pattern[str]] = []
    shared: list[re.Pattern[str]] = []
    surnames: set[str] = set()
    given: dict[str, str] = {}
    exonyms: dict[str, str] = {}
    for row in table(LEXICON):
        if len(row) != 5 or not row[4]:
            raise OnrecordError(f"{LEXICON}: {row!r}: want kind, language, pattern, result and why")
        kind, language, pattern, result, _why = row
        if kind == "rule":
            rules.append((language, re.compile(pattern), result))
        elif kind in ("ending", "shared-ending"):
            (endings if kind == "ending" else shared).append(re.compile(pattern))
        elif kind == "surname":
            surnames.add(pattern)
        elif kind == "given":
            given[pattern] = result
        elif kind == "exonym":
            exonyms[pattern] = result
        else:
            raise OnrecordError(f"{LEXICON}: {row!r}: unknown kind {kind!r}")
    return Spellings(tuple(rules), tuple(endings), tuple(shared), frozenset(surnames), given, exonyms)


def plain(word: str) -> str:
    """A word in ASCII, lower-cased, without apostrophes ("Naval'nyy" -> "navalnyy")."""
    return _APOSTROPHES.sub("", anyascii(word).casefold())


@lru_cache(maxsize=1 << 16)
def name_key(name: str, language: str | None = None) -> tuple[str, ...]:
    """The spelling key of each word of a person's name, as an article in ``language`` writes it.

    Args:
        name: The name as written ("Vladimir Poutine", "Дмитрий Песков").
        language: The article's language code ("fr"); None applies only the rules of every language.

    Returns:
        One key per word, in order ("vladimir", "putin"); the words of a name that does not read as
        Russian or Ukrainian are only written in ASCII and lower-cased.
    """
    words = name.split()
    if not words:
        return ()
    table, surname = spellings(), words[-1]
    if _CYRILLIC.search(surname) or table.marks(surname, language):
        rules: str | None = language
    elif table.shares(surname):
        rules = None
    else:
        return tuple(plain(w) for w in words)
    given = [table.word(w, rules) for w in words[:-1]]
    return (*(table.given.get(g, g) for g in given), table.word(surname, rules))


def surname_keys(word: str) -> tuple[str, ...]:
    """The keys a surname typed alone may stand for, as an article in each language would spell it
    ("Peskow": "peskow", and "peskov" as German spells it), sorted."""
    languages = {language for language, _pattern, _result in spellings().rules}
    return tuple(sorted({name_key(word, language)[-1] for language in (None, *languages)} - {""}))
