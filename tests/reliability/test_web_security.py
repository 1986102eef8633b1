"""The web app under attack: SQL injection through every parameter of every route, path traversal,
oversized queries, writes outside the judgements, foreign Host headers. Routes come from the app
itself, so a new route is attacked too."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute

from web.sample import build

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

SQL = [
    "' OR '1'='1",
    "1; DROP TABLE quotes; --",
    '" OR 1=1 --',
    "x') UNION SELECT name, sql FROM sqlite_master --",
    "%' AND 1=0 UNION ALL SELECT 1,2,3 --",
    "1 OR 1=1",
    "NEAR(treaty",
    'treaty* OR "',
    "'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "\x00",
    "-1",
    "9" * 40,
]
SAMPLE_VALUES = {"int": "1", "str": "Peskov"}
JUDGEMENT_WRITES = re.compile(r"/speaker$|/merge$|/split$")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("attack"))


@pytest.fixture(scope="module")
def client(db: Path) -> Any:
    from onrecord.web.app import create_app

    return TestClient(create_app(db), base_url="http://127.0.0.1", follow_redirects=False)


def fingerprint(db: Path) -> str:
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        for row in conn.execute(f'SELECT * FROM "{name}"'):  # noqa: S608  (names from sqlite_master)
            digest.update(repr(tuple(row)).encode())
    conn.close()
    return digest.hexdigest()


def get_routes(client: Any) -> list[APIRoute]:
    return [r for r in client.app.routes if isinstance(r, APIRoute) and "GET" in r.methods]


def fill(route: APIRoute, value: str | None = None) -> str:
    path = route.path
    for param in route.dependant.path_params:
        kind = "int" if param.field_info.annotation is int else "str"
        path = path.replace("{" + param.name + "}", value if value is not None else SAMPLE_VALUES[kind])
    return path


def test_sql_injection_through_every_parameter_is_harmless(client: Any, db: Path) -> None:
    before = fingerprint(db)
    sent = 0
    for route in get_routes(client):
        names = [p.name for p in route.dependant.query_params]
        for payload in SQL:
            for name in names:
                response = client.get(fill(route), params={name: payload})
                assert response.status_code < 500, (route.path, name, payload, response.text[:300])
                sent += 1
            if route.dependant.path_params:
                response = client.get(fill(route, quote(payload, safe="")))
                assert response.status_code < 500, (route.path, payload, response.text[:300])
                sent += 1
    assert sent > 200
    assert fingerprint(db) == before
    rows = client.get("/api/search", params={"q": "' OR '1'='1"}).json()["rows"]
    assert rows == []  # taken as words to find, not as SQL


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e%2f%2e%2e%2fapp.py",
        "/static/....//....//etc/passwd",
        "/static//etc/passwd",
        "/api/search.csv/../../../etc/passwd",
        "/articles/..%2f..%2fetc%2fpasswd",
    ],
)
def test_no_path_traversal(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404, 422)
    assert "root:" not in response.text and "import " not in response.text


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/search", {"q": "treaty " * 2000}),
        ("/api/search", {"speaker": "x" * 10_000}),
        ("/api/search", {"limit": 100_000}),
        ("/api/search", {"limit": 501}),
        ("/api/search", {"limit": 0}),
        ("/api/search", {"offset": -1}),
        ("/api/search", {"limit": "1e9"}),
        ("/api/actors", {"limit": 10**12}),
        ("/api/timeline", {"q": "x" * 20_000}),
        ("/api/stories", {"limit": 9999}),
        ("/api/search.csv", {"q": "y" * 5000}),
    ],
)
def test_oversized_queries_and_pages_are_refused(client: Any, path: str, params: dict[str, Any]) -> None:
    assert client.get(path, params=params).status_code in (400, 413, 414, 422)


def test_only_judgements_write(client: Any, db: Path) -> None:
    before = fingerprint(db)
    writers = []
    for route in client.app.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods - {"GET", "HEAD"}:
            writers.append(route.path)
            assert method == "POST" and JUDGEMENT_WRITES.search(route.path), (method, route.path)
    assert writers  # the correction routes exist
    for route in get_routes(client):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            response = client.request(method, fill(route), json={"speaker": "x"})
            assert response.status_code == 405, (method, route.path)
    for path in ("/", "/static/onrecord.css"):
        assert client.post(path, data={"speaker": "x"}).status_code == 405
    assert fingerprint(db) == before


def test_foreign_host_and_cross_site_writes_are_refused(client: Any, db: Path) -> None:
    before = fingerprint(db)
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    quote = client.get("/api/search", params={"q": "treaty"}).json()["rows"][0]
    response = client.post(
        f"/api/quotes/{quote['id']}/speaker",
        json={"speaker": "Someone Else"},
        headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert fingerprint(db) == before


def test_serve_binds_loopback_unless_told() -> None:
    from onrecord.cli.serve import allowed_hosts, serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert "*" not in allowed_hosts("127.0.0.1")
    assert allowed_hosts("0.0.0.0") == ("*",)  # noqa: S104  (only when the person asks for it)
