"""Dated roles: titles read before names, offices matched with their qualifiers, and a speaker known
only by an office resolved to its one clear holder near the date, in a store built from articles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corpus.identity_sample import ARTICLES, DONALD, IVANKA, PESKOV, build, write
from onrecord.corpus.build import ingest
from onrecord.corpus.judgements import split_actor
from onrecord.corpus.roles import Office, RoleIndex, office, title_before


def test_offices_and_titles() -> None:
    assert office("the Kremlin spokesman") == Office("spokesperson", frozenset({"kremlin"}))
    assert office("Secretary of State") == Office("secretary", frozenset({"state"}))
    assert office("U.S. president") == Office("president", frozenset({"us"}))
    for many in ("a senior official", "spokesmen", "senators", "the analyst", "his wife"):
        assert office(many) is None, many
    assert title_before("said on Monday that Kremlin spokesman ") == office("Kremlin spokesman")
    assert title_before("MOSCOW — Russian President ") == office("Russian president")
    assert title_before("the ") is None and title_before("Putin, ") is None
    assert title_before("Peskov") is None  # not right before a name


def test_an_office_names_its_own_holders_only() -> None:
    president = office("the president")
    assert president is not None
    assert president.covers(Office("president", frozenset({"russian"})))
    assert not president.covers(Office("president", frozenset({"vice"})))
    assert not president.covers(Office("president", frozenset({"former"})))
    russian = office("the Russian president")
    assert russian is not None and not russian.covers(Office("president", frozenset({"us"})))


def test_the_nearest_clear_holder_only() -> None:
    index = RoleIndex()
    us, russian = Office("president", frozenset({"us"})), Office("president", frozenset({"russian"}))
    index.add(us, "trump", "2019-01-01")
    index.add(us, "trump", "2021-01-19")
    index.add(us, "biden", "2021-01-20")
    index.add(russian, "putin", "2020-06-01")
    wanted = office("the U.S. president")
    assert wanted is not None
    assert index.holder(wanted, "2020-05-01") == ("trump", index.holder(wanted, "2020-05-01")[1])  # type: ignore[index]
    assert index.holder(wanted, "2021-02-01") is None  # Trump and Biden both near: no clear holder
    assert index.holder(wanted, "2030-01-01") is None  # no one near that date
    assert index.holder(wanted, None) is None
    bare = office("the president")
    assert bare is not None and index.holder(bare, "2020-06-01") is None  # Trump or Putin


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("identities"))


def _quote(conn: sqlite3.Connection, url: str) -> tuple[str, str, str | None, int, int]:
    row = conn.execute(
        "SELECT q.speaker, a.text, q.actor_id, q.article_id, q.id FROM quotes q"
        " JOIN articles a ON a.id = q.article_id WHERE a.url = ?",
        (url,),
    ).fetchone()
    return row  # type: ignore[no-any-return]


def test_an_office_alone_resolves_to_its_holder_and_keeps_its_offsets(db: Path) -> None:
    conn = sqlite3.connect(db)
    speaker, text, actor_id, article_id, _ = _quote(conn, "https://a.example/kremlin-2")
    assert actor_id == PESKOV and speaker == "Kremlin spokesman"  # the link changed, not the words
    start, end, mention_actor = conn.execute(
        'SELECT start, "end", actor_id FROM mentions WHERE article_id = ? AND kind = ?',
        (article_id, "description"),
    ).fetchone()
    assert text[start:end] == "The Kremlin spokesman" and mention_actor == PESKOV
    assert conn.execute("SELECT count(*) FROM actors WHERE name = 'Kremlin spokesman'").fetchone()[0] == 1
    # ...that one is the 2023 article's: two and a half years after Peskov was last seen, unresolved.
    assert _quote(conn, "https://b.example/kremlin-3")[2] != PESKOV


def test_an_office_several_people_hold_stays_the_role(db: Path) -> None:
    conn = sqlite3.connect(db)
    speaker, _text, actor_id, _article, _ = _quote(conn, "https://a.example/president-1")
    name, type_ = conn.execute("SELECT name, type FROM actors WHERE id = ?", (actor_id,)).fetchone()
    assert (speaker, name, type_) == ("president", "president", "group")  # Trump or Putin: not guessed


def test_one_putin_two_trumps(db: Path) -> None:
    conn = sqlite3.connect(db)
    putins = conn.execute("SELECT id, name FROM actors WHERE surname = 'putin'").fetchall()
    assert len(putins) == 1 and putins[0][1] == "Vladimir Vladimirovich Putin"
    aliases = {
        r[0] for r in conn.execute("SELECT alias FROM actor_aliases WHERE actor_id = ?", (putins[0][0],))
    }
    assert {"Vladimir Putin", "Vladimir Vladimirovich Putin", "Putin"} <= aliases
    assert _quote(conn, "https://b.example/ivanka-1")[2] == IVANKA
    assert _quote(conn, "https://a.example/trump-1")[2] == DONALD
    # "President Trump" alone, beside Pompeo: the president and Pompeo's colleague, not Ivanka.
    assert _quote(conn, "https://b.example/trump-2")[2] == DONALD


def test_roles_are_kept_with_dates(db: Path) -> None:
    conn = sqlite3.connect(db)
    roles = conn.execute(
        "SELECT role, first_seen, last_seen, articles FROM actor_roles WHERE actor_id = ?", (PESKOV,)
    ).fetchall()
    assert roles == [("spokesperson", "2020-10-19", "2020-10-19", 1)]


def test_a_split_judgement_wins_over_the_role(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "judged.db"
    shutil.copy(db, copy)
    split_actor(copy, "Dmitry Peskov", "Kremlin spokesman", author="ana")
    row = dict(ARTICLES[5], url="https://c.example/kremlin-4", date="2020-11-06", outlet="Third")
    from corpus.sample import write_jsonl

    ingest([str(write_jsonl(tmp_path / "more.jsonl", [row]))], copy, workers=1)
    conn = sqlite3.connect(copy)
    assert _quote(conn, "https://a.example/kremlin-2")[2] != PESKOV
    # A later article naming only the office: the role index says Peskov, the judgement says not him.
    assert _quote(conn, "https://c.example/kremlin-4")[2] != PESKOV


def test_the_same_identities_in_any_number_of_runs(db: Path, tmp_path: Path) -> None:
    """Ingesting one article at a time (a resumed run re-reads the store) gives the same rows."""
    source = write(tmp_path)
    lines = source.read_text(encoding="utf-8").splitlines()
    piecewise = tmp_path / "piecewise.db"
    for index, line in enumerate(lines):
        part = tmp_path / f"part-{index}.jsonl"
        part.write_text(line + "\n", encoding="utf-8")
        ingest([str(part)], piecewise, workers=1)
    sql = "SELECT a.url, aa.local_id, aa.actor_id FROM article_actors aa JOIN articles a ON a.id = article_id"
    assert sorted(sqlite3.connect(piecewise).execute(sql)) == sorted(sqlite3.connect(db).execute(sql))
