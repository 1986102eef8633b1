"""An actor's aliases by language: written by the store, migrated into older stores, kept through a
merge, shown by `onrecord actor`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.corpus.judgements import merge_actors
from onrecord.model import Actor, Article, Mention, Span
from onrecord.queries import actor as actor_profile
from onrecord.store.schema import MIGRATIONS
from onrecord.store.sqlite import ActorIdentity, Facts, Provenance, Store, connect

PESKOV = "p-peskov"
# (key, language, text, canonical name, the mention's words)
ARTICLES = [
    (
        "https://a.example/en",
        "en",
        "Dmitry Peskov's view: Peskov said no.",
        "Dmitry Peskov",
        "Dmitry Peskov's",
    ),
    ("https://a.example/ru", "ru", "Дмитрий Песков сказал нет.", "Дмитрий Песков", "Дмитрий Песков"),
    ("https://a.example/de", "de", "Dmitri Peskow sagte nein.", "Dmitri Peskow", "Dmitri Peskow"),
    ("https://a.example/en2", "en", "Dmitry Peskov said no.", "Dmitry Peskov", "Dmitry Peskov"),
]


def _article(text: str, name: str, words: str) -> Article:
    mention = Mention(Span(text.index(words), text.index(words) + len(words)), "name", "p-1")
    return Article(text=text, actors=(Actor("p-1", name, "person", (mention,)),))


def build(db: Path, target: str = PESKOV) -> None:
    with Store(db) as store:
        run = store.start_run("test", "9.9")
        for key, language, text, name, words in ARTICLES:
            identity = ActorIdentity(target, "Dmitry Peskov", "person", "peskov", "dmitri")
            prov = Provenance(key=key, content_hash=key, input_hash=key, source="t", language=language)
            store.add_article(_article(text, name, words), prov, Facts({"p-1": target}, [identity]), run)


def _aliases(db: Path, actor_id: str = PESKOV) -> set[tuple[str, str, int]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT alias, language, articles FROM actor_aliases WHERE actor_id = ?", (actor_id,)
        )
        return {(str(a), str(lang), int(n)) for a, lang, n in rows}
    finally:
        conn.close()


EXPECTED = {
    ("Dmitry Peskov", "en", 2),  # the possessive 's is not part of the name
    ("Дмитрий Песков", "ru", 1),
    ("Dmitri Peskow", "de", 1),
}


def test_each_alias_is_kept_with_its_language(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    build(db)
    assert _aliases(db) == EXPECTED
    conn = connect(db, readonly=True)
    try:
        profile = actor_profile(conn, "Песков")  # found by its surname key, in any script
    finally:
        conn.close()
    assert profile is not None and profile["id"] == PESKOV
    assert {(a["alias"], a["languages"]) for a in profile["aliases"]} == {
        ("Dmitry Peskov", "en"),
        ("Дмитрий Песков", "ru"),
        ("Dmitri Peskow", "de"),
    }


def test_onrecord_actor_shows_each_alias_with_its_languages(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    build(db)
    out = CliRunner().invoke(main, ["actor", "Peskow", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "Dmitry Peskov (2 articles: en)" in out.output
    assert "Дмитрий Песков (1 article: ru)" in out.output and "Dmitri Peskow (1 article: de)" in out.output


def test_a_merge_recounts_the_aliases_with_their_languages(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    build(db)
    with Store(db) as store:  # the same man, stored apart under his Russian name
        identity = ActorIdentity("p-other", "Дмитрий Песков", "person", "peskov", "dmitri")
        prov = Provenance(
            key="https://b.example/ru", content_hash="b", input_hash="b", source="t", language="ru"
        )
        article = _article("Дмитрий Песков ответил.", "Дмитрий Песков", "Дмитрий Песков")
        store.add_article(article, prov, Facts({"p-1": "p-other"}, [identity]), store.start_run("t", "9.9"))
    merge_actors(db, PESKOV, "p-other")
    assert _aliases(db) == (EXPECTED - {("Дмитрий Песков", "ru", 1)}) | {("Дмитрий Песков", "ru", 2)}


def test_an_older_store_gains_alias_languages_and_spelling_keys(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    before = [name for name, _ in MIGRATIONS].index("m007_names_across_languages")
    for name, migration in MIGRATIONS[:before]:  # a store made before aliases had a language
        migration(conn)
        conn.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (name,))
    conn.execute(
        "INSERT INTO actors (id, name, type, surname, given_names) VALUES"
        " ('p-ru', 'Дмитрий Песков', 'person', 'песков', 'дмитрий'),"
        " ('p-fr', 'Vladimir Poutine', 'person', 'poutine', 'vladimir'),"
        " ('o-k', 'Kremlin', 'organization', 'kremlin', '')"
    )
    for article_id, language, actor_id, name in (
        (1, "ru", "p-ru", "Дмитрий Песков"),
        (2, "fr", "p-fr", "Vladimir Poutine"),
    ):
        conn.execute(
            "INSERT INTO articles (id, key, content_hash, analysed, format, text, analysis, pipeline_version,"
            " language) VALUES (?, ?, 'h', 1, 'text', ?, '{}', '0', ?)",
            (article_id, f"k{article_id}", name, language),
        )
        conn.execute("INSERT INTO article_actors VALUES (?, 'p-1', ?, ?)", (article_id, actor_id, name))
        conn.execute(
            'INSERT INTO mentions (article_id, actor_id, start, "end", text, kind)'
            " VALUES (?, ?, 0, 1, ?, 'name')",
            (article_id, actor_id, name),
        )
        conn.execute("INSERT INTO actor_aliases (actor_id, alias) VALUES (?, ?)", (actor_id, name))
    conn.close()

    connect(db).close()  # migrates
    assert _aliases(db, "p-ru") == {("Дмитрий Песков", "ru", 1)}
    assert _aliases(db, "p-fr") == {("Vladimir Poutine", "fr", 1)}
    conn = sqlite3.connect(db)
    keys = {i: (s, g) for i, s, g in conn.execute("SELECT id, surname, given_names FROM actors")}
    conn.close()
    # Later articles in any language find them by surname: "Песков" and "Peskov" are one key now.
    assert keys == {"p-ru": ("peskov", "dmitri"), "p-fr": ("putin", "vladimir"), "o-k": ("kremlin", "")}
