"""Spelling keys: one person's renderings across languages and scripts fold together, other names never."""

from __future__ import annotations

import re

import pytest

import onrecord.extract.lexicons
from onrecord.corpus import spelling
from onrecord.corpus.spelling import name_key, plain, spellings
from onrecord.errors import OnrecordError

# (name as written, article language): every row of a group is one person.
SAME = [
    [("Дмитрий Песков", "ru"), ("Dmitry Peskov", "en"), ("Dmitri Peskov", "fr"), ("Dmitri Peskow", "de"),
     ("Dmitrij Peskov", "de"), ("Dmitriy Peskov", "en")],
    [("Vladimir Putin", "en"), ("Vladimir Poutine", "fr"), ("Wladimir Putin", "de"),
     ("Владимир Путин", "ru")],
    [("Volodymyr Zelensky", "en"), ("Volodymyr Zelenskyy", "en"), ("Volodymyr Zelenskiy", "en"),
     ("Wolodymyr Selenskyj", "de"), ("Volodymyr Zelenski", "fr"), ("Владимир Зеленский", "ru"),
     ("Володимир Зеленський", "uk")],
    [("Alexei Navalny", "en"), ("Alexej Nawalny", "de"), ("Alexeï Navalni", "fr"),
     ("Алексей Навальный", "ru")],
    [("Sergei Lavrov", "en"), ("Sergey Lavrov", "en"), ("Sergej Lawrow", "de"), ("Sergueï Lavrov", "fr"),
     ("Сергей Лавров", "ru")],
    [("Maria Zakharova", "en"), ("Maria Sacharowa", "de"), ("Maria Zakharova", "fr"),
     ("Мария Захарова", "ru")],
    [("Sergei Shoigu", "en"), ("Sergej Schoigu", "de"), ("Sergueï Choïgou", "fr"), ("Сергей Шойгу", "ru")],
    [("Dmitry Medvedev", "en"), ("Dmitri Medwedew", "de"), ("Dmitri Medvedev", "fr"),
     ("Дмитрий Медведев", "ru")],
    [("Nikita Khrushchev", "en"), ("Nikita Khrouchtchev", "fr"), ("Никита Хрущёв", "ru")],
    [("Yevgeny Prigozhin", "en"), ("Evgueni Prigojine", "fr"), ("Евгений Пригожин", "ru")],
    # Russian news spells foreign names by their sound; the exonyms give them back.
    [("Emmanuel Macron", "en"), ("Эммануэль Макрон", "ru")],
    [("Olaf Scholz", "de"), ("Olaf Scholz", "en"), ("Олаф Шольц", "ru")],
    # A name that is not Russian or Ukrainian keeps its spelling in every language.
    [("Charles Michel", "fr"), ("Charles Michel", "en")],
    [("Robert Lewandowski", "de"), ("Robert Lewandowski", "en")],
]  # fmt: skip

# Pairs that must keep two keys: different people, a feminine surname and a masculine one.
APART = [
    (("Lowe", "en"), ("Love", "en")),
    (("Li", "en"), ("Lee", "en")),
    (("Kim", "en"), ("Kin", "en")),
    (("Ivanov", "en"), ("Ivanova", "en")),
    (("Иванов", "ru"), ("Ivanova", "en")),
    (("Sergei Ivanov", "en"), ("Мария Иванова", "ru")),
    (("Anna Politkovskaya", "en"), ("Politkovsky", "en")),
    (("Aleksandr Zakharov", "en"), ("Maria Zakharova", "en")),
    (("Terry Martin", "en"), ("Terri Martin", "en")),
    (("Justin Martin", "fr"), ("Justine Martin", "fr")),
    (("Jean Racine", "fr"), ("Jean Racin", "en")),
    (("Mark Levine", "en"), ("Mark Levin", "en")),
    (("Vladimir Putin", "en"), ("Vladimir Pushkin", "en")),
]


@pytest.mark.parametrize("group", SAME, ids=lambda g: g[0][0])
def test_renderings_of_one_name_share_a_key(group: list[tuple[str, str]]) -> None:
    keys = {name: name_key(name, language) for name, language in group}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize(("a", "b"), APART, ids=lambda p: p[0])
def test_different_names_keep_different_keys(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert name_key(*a) != name_key(*b)


def test_a_feminine_surname_never_loses_its_ending() -> None:
    for feminine in ("Ivanova", "Zakharova", "Politkovskaya", "Nabiullina", "Медведева"):
        assert name_key(feminine, "en")[-1].endswith("a"), feminine


def test_french_and_german_rules_leave_their_own_names_alone() -> None:
    assert name_key("Charles Michel", "fr") == ("charles", "michel")  # not "mishel"
    assert name_key("François Bayrou", "fr") == ("francois", "bayrou")  # not "bayru"
    assert name_key("Peter Tschentscher", "de") == ("peter", "tschentscher")
    assert name_key("Wojciech Kowalski", "fr") == ("wojciech", "kowalski")  # Polish -ski: no French j, ch


def test_the_key_is_ascii_lower_case_without_apostrophes() -> None:
    assert plain("O’Brien") == plain("O'Brien") == "obrien"
    assert plain("Naval'nyy") == "navalnyy"
    assert plain("Müller") == "muller"
    assert name_key("") == ()


def test_every_rule_of_the_lexicon_says_why() -> None:
    table = spellings()
    assert table.rules and table.endings and table.shared_endings and table.surnames and table.given
    for row in onrecord.extract.lexicons.table(spelling.LEXICON):
        assert len(row) == 5 and row[4], row
        if row[0] in ("rule", "ending", "shared-ending"):
            re.compile(row[2])


def test_a_row_without_a_reason_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onrecord.extract.lexicons, "table", lambda name: (("rule", "*", "x", "ks", ""),))
    with pytest.raises(OnrecordError, match="why"):
        spellings.__wrapped__()
