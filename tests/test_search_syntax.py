"""The search box's syntax: what a person types -> the FTS5 query run, and the words marked in results."""

from __future__ import annotations

import sqlite3

import pytest

from onrecord.search_syntax import SearchSyntaxError, highlights, parse_search, plain_words


@pytest.fixture()
def index() -> sqlite3.Connection:
    """A tiny FTS5 index of five statements, to run the queries the parser writes."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(statement)")
    for text in (
        "we will fight the good fight",
        "a good plan and a fight",
        "negotiations on the treaty with Russia",
        "the treaty is a good treaty",
        "l'État négocie un accord",
    ):
        conn.execute("INSERT INTO t(statement) VALUES (?)", (text,))
    return conn


def found(conn: sqlite3.Connection, search: str) -> list[int]:
    match = parse_search(search).match
    return [r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (match,))]


@pytest.mark.parametrize(
    ("search", "rows"),
    [
        ("good fight", [1, 2]),
        ('"good fight"', [1]),  # a phrase: the words next to each other, in order
        ('"fight good"', []),
        ("negotiat*", [3]),
        ("négoci*", [5]),
        ("negoc*", [5]),  # accents folded, as the index folds them
        ("treaty OR accord", [3, 4, 5]),
        ("treaty NOT russia", [4]),
        ("treaty -russia", [4]),
        ('good -"good fight"', [2, 4]),
        ("good (fight OR treaty) -plan", [1, 4]),
        ("good AND fight", [1, 2]),
        ("good or fight", []),  # small letters: "or" is a word like any other
        ("etat", [5]),
    ],
)
def test_each_operator_finds_what_it_says(index: sqlite3.Connection, search: str, rows: list[int]) -> None:
    assert found(index, search) == rows


@pytest.mark.parametrize(
    "search",
    ['treaty" OR 1=1 --', "NEAR(treaty year) OR *", "' OR '1'='1", "((((", "))", '"', "col:treaty", "x^y"],
)
def test_syntax_looking_input_never_breaks_the_query(index: sqlite3.Connection, search: str) -> None:
    match = parse_search(search).match
    if match:
        index.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


def test_what_cannot_be_read_says_why() -> None:
    with pytest.raises(SearchSyntaxError, match="needs words to keep"):
        parse_search("NOT russia")
    with pytest.raises(SearchSyntaxError, match="at least 2 letters"):
        parse_search("a*")
    with pytest.raises(SearchSyntaxError, match="too many"):
        parse_search(" ".join(f"w{i}" for i in range(40)))
    assert plain_words("NOT russia").match == '"NOT" AND "russia"'


def test_a_word_given_twice_is_asked_once() -> None:
    assert parse_search("Iran iran IRAN said").match == '"Iran" AND "said"'


def test_highlights_mark_words_phrases_and_prefixes_not_excluded_ones() -> None:
    search = parse_search('"good fight" negotiat* -plan')
    text = "The Good  fight: negotiations, a good plan, fighting."
    pieces = highlights(text, search.terms)
    assert "".join(p for p, _ in pieces) == text  # slices of the text, nothing added
    assert [p for p, hit in pieces if hit] == ["Good  fight", "negotiations"]
    assert highlights("État", parse_search("etat").terms) == [("État", True)]
