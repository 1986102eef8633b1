"""The read side: filters, exact totals, stable paging, actor profiles, timelines, stories, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.sample import build
from onrecord import queries


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    db = build(tmp_path_factory.mktemp("queries"))
    connection = queries.open_db(db)
    yield connection
    connection.close()


def test_paging_is_stable_and_total_exact(conn: sqlite3.Connection) -> None:
    everything = queries.quotes(conn, limit=1000)
    assert everything.total == len(everything.rows) >= 3
    paged = [
        row
        for offset in range(0, everything.total, 2)
        for row in queries.quotes(conn, limit=2, offset=offset).rows
    ]
    assert [r["id"] for r in paged] == [r["id"] for r in everything.rows]
    assert [r["date"] for r in paged] == sorted(r["date"] for r in paged)


def test_filters(conn: sqlite3.Connection) -> None:
    peskov = queries.quotes(conn, speaker="Dmitry Peskov")
    assert peskov.total >= 2 and {r["actor"] for r in peskov.rows} == {"Dmitry Peskov"}
    assert queries.quotes(conn, speaker="Peskov").total == peskov.total
    assert queries.quotes(conn, speaker="Nobody Atall").total == 0
    assert queries.quotes(conn, search="nuclear weapon").total == 1
    assert queries.quotes(conn, search='"; DROP TABLE quotes; --').total == 0
    assert queries.quotes(conn, outlet="example wire").total >= 1
    assert queries.quotes(conn, since="2020-10-20", until="2020-10-20").total >= 1
    assert queries.quotes(conn, about="Iran").total >= 1


def test_a_word_given_twice_is_asked_once(conn: sqlite3.Connection) -> None:
    once = queries.quotes(conn, search="nuclear weapon")
    twice = queries.quotes(conn, search="Nuclear weapon NUCLEAR nuclear")
    assert (twice.total, twice.rows) == (once.total, once.rows) and once.total == 1
    assert queries.fts_query('Iran said iran "x" Said') == '"Iran" AND "said" AND "x"'


def test_same_quote_in_two_outlets_is_one_statement(conn: sqlite3.Connection) -> None:
    row = conn.execute(
        "SELECT reports, first_said_on FROM statements WHERE fingerprint = ?",
        ("we are ready to extend the treaty for one year",),
    ).fetchone()
    assert tuple(row) == (2, "2020-10-19")


def test_actor_profile(conn: sqlite3.Connection) -> None:
    profile = queries.actor(conn, "peskov")
    assert profile is not None and profile["name"] == "Dmitry Peskov"
    assert profile["statements_per_month"][0]["month"] == "2020-10"
    assert {o["outlet"] for o in profile["outlets"]} == {"Example News", "Example Wire"}
    assert queries.actor(conn, "Nobody Atall") is None


def test_actors_timeline_stories(conn: sqlite3.Connection) -> None:
    assert queries.actors(conn, search="Trump").total >= 1
    assert queries.actors(conn, search="ump").total == 0  # words that start so, not any substring
    assert queries.actors(conn, search="ivanka t").total == 1  # a name's words in order
    timeline = queries.timeline(conn, "Peskov")
    assert {r["kind"] for r in timeline.rows} == {"statement", "article"}
    words = queries.timeline(conn, "preconditions")
    assert words.total >= 1
    assert queries.stories(conn, min_articles=2).total == 1
    facts = queries.overview(conn)
    assert facts["articles"] == 4 and facts["languages"] == {"en": 3, "it": 1}


def test_export(conn: sqlite3.Connection) -> None:
    out = io.StringIO()
    assert queries.export(conn, "jsonl", out) == 4
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["text"].startswith("Kremlin ready") and first["corpus"]["outlet"] == "Example News"
    out = io.StringIO()
    count = queries.export(conn, "csv", out)
    assert count == len(list(csv.DictReader(io.StringIO(out.getvalue()))))


def test_read_only(tmp_path: Path) -> None:
    from onrecord.errors import OnrecordError

    with pytest.raises(OnrecordError):
        queries.open_db(tmp_path / "missing.db")


def test_facets_and_totals_read_from_tallies_match_a_count(conn: sqlite3.Connection) -> None:
    nothing = queries.QuoteFilters()
    kept = queries.quote_facets(conn, nothing)
    for name, sql in queries.FACET_SQL.items():
        counted = [dict(row) for row in conn.execute(sql.format(where=""), (10,))]
        assert kept[name] == counted, name
    assert kept["speaker"] and kept["outlet"] and kept["month"]
    assert queries.quotes(conn).total == conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
    peskov = queries.quotes(conn, speaker="Peskov")
    ids = {r["actor_id"] for r in peskov.rows}
    sql = "SELECT count(*) FROM quotes WHERE actor_id IN ({})".format(",".join("?" for _ in ids))  # noqa: S608
    counted = conn.execute(sql, list(ids)).fetchone()[0]
    assert peskov.total == counted >= 2


def test_attitude_and_speaker_with_search(conn: sqlite3.Connection) -> None:
    neutral = queries.quotes(conn, attitude="neutral", limit=100)
    assert neutral.total == len(neutral.rows) >= 1
    counted = conn.execute("SELECT count(*) FROM quotes WHERE attitude = 'neutral'").fetchone()[0]
    assert neutral.total == counted
    assert queries.quotes(conn, attitude="' OR 1=1 --").total == 0
    both = queries.quotes(conn, speaker="Peskov", search="treaty", attitude="neutral")
    assert both.total >= 1 and all("treaty" in r["statement"] for r in both.rows)
    assert queries.quotes(conn, speaker="Peskov", search="nuclear").total == 0
    facets = queries.quote_facets(conn, queries.QuoteFilters(speaker="Peskov", search="treaty"))
    assert [f["value"] for f in facets["speaker"]] == ["Dmitry Peskov"]
    assert facets["speaker"][0]["count"] == queries.quotes(conn, speaker="Peskov", search="treaty").total


def test_export_jsonl_escapes_line_separators(tmp_path: Path) -> None:
    db = build(tmp_path)
    with sqlite3.connect(db) as writable:  # a text with a separator that splitlines() would cut at
        writable.execute(
            "UPDATE articles SET text = text || ? WHERE id = (SELECT min(id) FROM articles)", ("\u2028",)
        )
    connection = queries.open_db(db)
    out = io.StringIO()
    count = queries.export(connection, "jsonl", out)
    connection.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == count
    assert any(json.loads(line)["text"].endswith("\u2028") for line in lines)
