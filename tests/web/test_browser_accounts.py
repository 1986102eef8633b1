"""End to end in Debian's headless Chromium, on a desk with accounts: an editor signs in and corrects
a speaker in the article reader (the change shows, recorded as theirs); signed out, the same
correction is refused and the sign-in form is shown instead.

The real server (uvicorn on a free loopback port, plain http: the machine itself, where signing in
over http is allowed) over a private copy of the sample corpus with one editor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onrecord.corpus import users
from onrecord.store.sqlite import connect
from web.browsing import private_copy, serving, shot

PASSWORD = "a long enough secret"  # noqa: S105  (the test editor's password)


@pytest.fixture(scope="module")
def desk(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from onrecord.web.app import create_app

    db = private_copy(corpus_db, tmp_path_factory.mktemp("desk"))
    conn = connect(db)
    users.add_user(conn, "ana", PASSWORD, "editor")
    conn.close()
    with serving(create_app(db, accounts=True)) as url:
        yield url, db


def _open_the_article(page: Any, url: str) -> Any:
    page.goto(url + "/search?q=offer+stands")
    page.locator("main ul.statements a.source").first.click()
    page.wait_for_url("**/articles/*")
    return page.locator("aside.who-said li.said", has_text="offer stands")


def _correct(said: Any, speaker: str) -> None:
    said.locator("summary").click()
    assert said.locator("input[name=author]").count() == 0  # the editor signed in is the author
    said.locator("input[name=speaker]").fill(speaker)
    said.locator("button[type=submit]").click()


def test_signed_out_a_correction_is_refused(desk: tuple[str, Path], page: Any) -> None:
    url, db = desk
    said = _open_the_article(page, url)
    assert page.locator("header .account a", has_text="Sign in").count() == 1
    _correct(said, "Sergei Lavrov")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sign in"
    assert "sign in as an editor" in page.locator("p.error").inner_text()
    shot(page, "accounts-refused-signed-out")
    page.go_back()
    page.reload()
    said = page.locator("aside.who-said li.said", has_text="offer stands")
    assert said.locator("a.who").inner_text() == "Dmitry Peskov"
    assert _authors(db) == []


def test_a_signed_in_editor_corrects_a_speaker(desk: tuple[str, Path], page: Any) -> None:
    url, db = desk
    _open_the_article(page, url)
    article = page.url.split("#")[0]  # the fragment stays in the browser, never reaches the server
    page.locator("header .account a", has_text="Sign in").click()
    page.wait_for_url(lambda u: "/login?next=" in u)
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(article)
    assert "Signed in as ana" in page.locator("header .account").inner_text()

    said = page.locator("aside.who-said li.said", has_text="offer stands")
    _correct(said, "Sergei Lavrov")
    page.wait_for_load_state()
    said = page.locator("aside.who-said li.said", has_text="offer stands")
    assert said.locator("a.who").inner_text() == "Sergei Lavrov"
    assert "speaker corrected by a person: Sergei Lavrov" in said.locator(".evidence").inner_text()
    assert _authors(db) == ["ana"]
    shot(page, "accounts-editor-correction")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(url + "/")
    assert page.locator("header .account a", has_text="Sign in").count() == 1
    assert page.dialogs == []


def _authors(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT author FROM judgements ORDER BY id")]
    finally:
        conn.close()
