"""Tests for onrecord.evaluate.names: the speaker-name normaliser shared by the scorers."""

from __future__ import annotations

import pytest

from onrecord.evaluate.names import honorifics, name_tokens, normalize_name, same_speaker


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("Donald J. Trump", ("donald", "trump")),
        ("Sen. Robert C. Scott", ("robert", "scott")),
        ("The New York Post", ("new", "york", "post")),
        ("Robert O’Brien", ("robert", "obrien")),
        ("Robert O'Brien", ("robert", "obrien")),
        ("Vice President-elect Mike Pence", ("mike", "pence")),
        ("the Rev. Al Sharpton", ("al", "sharpton")),
        ("Mr. King, 82,", ("king",)),
        ("Larry King", ("larry", "king")),
        ("Trump’s", ("trump",)),
        ("J. Edgar Hoover", ("j", "edgar", "hoover")),
        ("President", ("president",)),  # never stripped down to nothing
    ],
)
def test_name_tokens(name: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(name) == tokens


def test_normalize_name_joins_tokens() -> None:
    assert normalize_name("Dr.  Jill   Biden") == "jill biden"


def test_honorifics_come_from_the_data_file() -> None:
    titles = honorifics()
    assert ("mr",) in titles
    assert ("vice", "president") in titles
    assert titles.index(("vice", "president")) < titles.index(("president",))  # longest first
    assert ("king",) not in titles  # a surname too


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Donald J. Trump", "Donald Trump", True),
        ("President Barack Obama", "Barack Obama", True),
        ("Barack Obama", "Obama", True),  # gold gives a surname only
        ("Obama", "Barack Obama", False),  # the surname rule only applies to a one-token gold
        ("Michelle Obama", "Barack Obama", False),
        ("New York Post", "The New York Post", True),
        (None, None, True),
        ("", None, True),
        ("Peskov", None, False),
        (None, "Dmitry Peskov", False),
    ],
)
def test_same_speaker(predicted: str | None, gold: str | None, same: bool) -> None:
    assert same_speaker(predicted, gold) is same
