"""Accounts on a shared desk: writes need a signed-in editor and the session's CSRF token, the
judgement is recorded as theirs, a removed user's cookie stops working, failed sign-ins are limited,
reading can be private; on loopback without accounts, nothing changes."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from onrecord.corpus import users
from onrecord.store.sqlite import connect
from web.conftest import TestClient

PASSWORD = "a long enough secret"  # noqa: S105  (the test users' password)
DESK = "https://127.0.0.1"  # https: the session cookie is Secure, as on a served desk


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def desk_db(writable_db: Path) -> Path:
    conn = connect(writable_db)
    users.add_user(conn, "ana", PASSWORD, "editor")
    users.add_user(conn, "rui", PASSWORD, "reader")
    conn.close()
    return writable_db


def _client(db: Path, base_url: str = DESK, **options: Any) -> TestClient:
    from onrecord.web.app import create_app

    return TestClient(create_app(db, **options), base_url=base_url, follow_redirects=False)


@pytest.fixture()
def desk(desk_db: Path) -> Iterator[TestClient]:
    with _client(desk_db, accounts=True) as client:
        yield client


def sign_in(client: TestClient, name: str, password: str = PASSWORD, next_path: str = "/") -> Any:
    """Sign in through the form, as a browser does: its page first (the sign-in token), then the post."""
    page = client.get("/login", params={"next": next_path})
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None, page.text
    form = {"name": name, "password": password, "csrf": token.group(1), "next": next_path}
    return client.post("/login", data=form)


def csrf_of(client: TestClient) -> str:
    return str(client.get("/api/session").json()["csrf"])


def quote_of(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/api/search", params={"q": "offer stands"}).json()["rows"][0])


def form_path(quote: dict[str, Any]) -> str:
    return f"/articles/{quote['article_id']}/quotes/{quote['id']}/speaker"


def authors(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT author FROM judgements ORDER BY id")]
    finally:
        conn.close()


def test_loopback_default_is_unchanged(writer: TestClient, writable_db: Path) -> None:
    assert writer.get("/login").status_code == 404
    page = writer.get("/articles/1").text
    assert 'name="author"' in page and 'name="csrf"' not in page and "Sign in" not in page
    quote = quote_of(writer)
    assert (
        writer.post(form_path(quote), data={"speaker": "Sergei Lavrov", "author": "ana"}).status_code == 303
    )
    assert authors(writable_db) == ["ana"]


def test_an_anonymous_write_is_refused(desk: TestClient, desk_db: Path) -> None:
    quote = quote_of(desk)
    refused = desk.post(form_path(quote), data={"speaker": "Sergei Lavrov"})
    assert refused.status_code == 401
    assert "sign in as an editor" in refused.text and 'action="/login"' in refused.text
    api = desk.post(f"/api/quotes/{quote['id']}/speaker", json={"speaker": "Sergei Lavrov"})
    assert api.status_code == 401 and "sign in" in api.json()["detail"]
    trump = desk.get("/api/actors/Donald Trump").json()["actor"]["id"]
    merge = desk.post(f"/api/actors/{trump}/merge", json={"absorb": "Jane Smith"})
    assert merge.status_code == 401
    assert authors(desk_db) == [] and quote_of(desk)["actor"] == "Dmitry Peskov"


def test_a_reader_cannot_write(desk: TestClient, desk_db: Path) -> None:
    assert sign_in(desk, "rui").status_code == 303
    quote = quote_of(desk)
    refused = desk.post(form_path(quote), data={"speaker": "Sergei Lavrov", "csrf": csrf_of(desk)})
    assert refused.status_code == 403 and "rui is a reader here" in refused.text
    assert authors(desk_db) == []


def test_an_editor_can_and_the_judgement_is_theirs(desk: TestClient, desk_db: Path) -> None:
    done = sign_in(desk, "ana", next_path="/articles/1")
    assert (done.status_code, done.headers["location"]) == (303, "/articles/1")
    page = desk.get("/articles/1").text
    assert "Signed in as <strong>ana</strong>" in page and 'name="author"' not in page
    quote = quote_of(desk)
    form = {"speaker": "Sergei Lavrov", "author": "mallory", "csrf": csrf_of(desk)}  # author ignored
    assert desk.post(form_path(quote), data=form).status_code == 303
    trump = desk.get("/api/actors/Donald Trump").json()["actor"]["id"]
    api = desk.post(
        f"/api/actors/{trump}/merge",
        json={"absorb": "Jane Smith", "author": "mallory"},
        headers={"X-CSRF-Token": csrf_of(desk)},
    )
    assert api.status_code == 200, api.text
    assert api.json()["author"] == "ana"
    assert authors(desk_db) == ["ana", "ana"]


def test_forged_cross_site_forms_are_refused(desk: TestClient, desk_db: Path) -> None:
    sign_in(desk, "ana")
    token, quote = csrf_of(desk), quote_of(desk)
    change = {"speaker": "Sergei Lavrov"}
    assert desk.post(form_path(quote), data=change).status_code == 403  # no token: another site's form
    assert desk.post(form_path(quote), data={**change, "csrf": "guessed"}).status_code == 403
    evil = {"origin": "https://attacker.example"}
    assert desk.post(form_path(quote), data={**change, "csrf": token}, headers=evil).status_code == 403
    api = f"/api/quotes/{quote['id']}/speaker"
    assert desk.post(api, json=change).status_code == 403
    assert desk.post(api, json=change, headers={"X-CSRF-Token": "guessed"}).status_code == 403
    assert authors(desk_db) == []


def test_a_stolen_cookie_of_a_removed_user_stops_working(desk: TestClient, desk_db: Path) -> None:
    sign_in(desk, "ana")
    cookie = desk.cookies.get("__Host-onrecord_session")
    assert cookie
    with _client(desk_db, accounts=True) as thief:
        thief.cookies.set("__Host-onrecord_session", cookie)
        token = csrf_of(thief)  # the cookie works, for now
        conn = connect(desk_db)
        users.remove_user(conn, "ana")
        conn.close()
        assert thief.get("/api/session").status_code == 401
        quote = quote_of(thief)
        change = {"speaker": "Sergei Lavrov", "csrf": token}
        assert thief.post(form_path(quote), data=change).status_code == 401
    assert authors(desk_db) == []


def test_the_session_cookie_is_httponly_strict_and_secure(desk: TestClient, desk_db: Path) -> None:
    done = sign_in(desk, "ana")
    cookie = next(v for v in done.headers.get_list("set-cookie") if v.startswith("__Host-onrecord_session="))
    assert all(flag in cookie.lower() for flag in ("httponly", "secure", "samesite=strict", "path=/"))
    value = cookie.split(";")[0].split("=", 1)[1]
    conn = sqlite3.connect(desk_db)
    kept = [r[0] for r in conn.execute("SELECT token_hash FROM sessions")]
    conn.close()
    assert kept == [users.token_hash(value)]  # the store keeps a hash, never the token


def test_signing_out_ends_the_session(desk: TestClient) -> None:
    sign_in(desk, "ana")
    cookie = desk.cookies.get("__Host-onrecord_session")
    assert desk.post("/logout", data={"csrf": "guessed"}).status_code == 403
    assert desk.post("/logout", data={"csrf": csrf_of(desk)}).status_code == 303
    desk.cookies.set("__Host-onrecord_session", str(cookie))  # as if kept by someone
    assert desk.get("/api/session").status_code == 401


def test_failed_sign_ins_are_rate_limited(desk: TestClient) -> None:
    for _ in range(users.MAX_FAILURES_PER_NAME):
        assert sign_in(desk, "ana", "not the password").status_code == 401
    refused = sign_in(desk, "ana")  # the right password, not checked any more
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "too many failed sign-ins" in refused.text
    assert desk.get("/api/session").status_code == 401
    api = desk.post("/api/login", json={"name": "ana", "password": PASSWORD})
    assert api.status_code == 429 and "retry-after" in api.headers


def test_sign_in_needs_its_own_token_and_a_same_site_next(desk: TestClient) -> None:
    bare = {"name": "ana", "password": PASSWORD, "next": "/"}
    assert desk.post("/login", data=bare).status_code == 403  # no sign-in token: a forged sign-in
    done = sign_in(desk, "ana", next_path="//attacker.example/x")
    assert done.headers["location"] == "/"
    assert desk.get("/login", params={"next": "/actors"}).headers["location"] == "/actors"  # signed in


def test_sign_in_over_plain_http_from_afar_is_refused(desk_db: Path) -> None:
    with _client(desk_db, base_url="http://127.0.0.1", accounts=True) as client:  # client: "testclient"
        refused = client.post("/api/login", json={"name": "ana", "password": PASSWORD})
        assert refused.status_code == 403 and "https" in refused.json()["detail"]


def test_programs_sign_in_with_json(desk: TestClient, desk_db: Path) -> None:
    assert desk.post("/api/login", json={"name": "ana", "password": "nope nope"}).status_code == 401
    signed = desk.post("/api/login", json={"name": "ana", "password": PASSWORD})
    assert signed.status_code == 200 and signed.json()["role"] == "editor"
    quote = quote_of(desk)
    made = desk.post(
        f"/api/quotes/{quote['id']}/speaker",
        json={"speaker": "Sergei Lavrov"},
        headers={"X-CSRF-Token": signed.json()["csrf"]},
    )
    assert made.status_code == 200 and made.json()["author"] == "ana"


def test_private_reading_needs_sign_in(desk_db: Path) -> None:
    with _client(desk_db, private=True) as client:
        page = client.get("/actors?q=Peskov")
        assert (page.status_code, page.headers["location"]) == (303, "/login?next=%2Factors%3Fq%3DPeskov")
        assert client.get("/api/search").status_code == 401
        assert client.get("/static/onrecord.css").status_code == 200  # the sign-in page's stylesheet
        assert client.get("/login").status_code == 200
        assert sign_in(client, "rui", next_path="/actors?q=Peskov").headers["location"] == "/actors?q=Peskov"
        assert client.get("/actors?q=Peskov").status_code == 200
        assert client.get("/api/search").status_code == 200


def test_signing_in_again_ends_the_session_before(desk: TestClient) -> None:
    page = desk.get("/login")  # a sign-in form left open ...
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    assert desk.post("/api/login", json={"name": "ana", "password": PASSWORD}).status_code == 200
    before = str(desk.cookies.get("__Host-onrecord_session"))
    form = {"name": "ana", "password": PASSWORD, "csrf": token.group(1), "next": "/"}
    assert desk.post("/login", data=form).status_code == 303  # ... used while signed in
    after = str(desk.cookies.get("__Host-onrecord_session"))
    assert after != before
    desk.cookies.clear()
    desk.cookies.set("__Host-onrecord_session", before)
    assert desk.get("/api/session").status_code == 401
