"""Correcting a speaker from the article reader (form) and the API (JSON): applied at once, kept as
a judgement, refused from other sites."""

from __future__ import annotations

from typing import Any


def peskov_quote(client: Any) -> dict[str, Any]:
    rows = client.get("/api/search", params={"q": "offer stands"}).json()["rows"]
    return dict(rows[0])


def test_form_correction_changes_the_speaker_at_once(writer: Any) -> None:
    quote = peskov_quote(writer)
    response = writer.post(
        f"/articles/{quote['article_id']}/quotes/{quote['id']}/speaker",
        data={"speaker": "Sergei Lavrov", "author": "ana", "note": "wire copy names Lavrov"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/articles/{quote['article_id']}#q{quote['id']}"
    article = writer.get(f"/api/articles/{quote['article_id']}").json()
    corrected = next(q for q in article["quotes"] if q["id"] == quote["id"])
    assert corrected["speaker"] == "Sergei Lavrov"
    assert corrected["evidence"][0] == "speaker corrected by a person: Sergei Lavrov"
    assert writer.get("/api/search", params={"speaker": "Lavrov"}).json()["total"] == 1
    judgement = writer.get("/api/actors/Sergei Lavrov").json()
    assert judgement["statements"]["total"] == 1


def test_json_correction_returns_the_judgement(writer: Any) -> None:
    quote = peskov_quote(writer)
    response = writer.post(
        f"/api/quotes/{quote['id']}/speaker", json={"speaker": "Donald Trump", "author": "bo"}
    )
    assert response.status_code == 200, response.text
    made = response.json()
    assert (made["kind"], made["author"]) == ("speaker", "bo")
    # his own quote and the corrected one (Ivanka Trump's quote is hers)
    assert writer.get("/api/search", params={"speaker": "Donald Trump"}).json()["total"] == 2


def test_cross_site_posts_are_refused(writer: Any) -> None:
    quote = peskov_quote(writer)
    form = f"/articles/{quote['article_id']}/quotes/{quote['id']}/speaker"
    evil = {"origin": "http://attacker.example"}
    assert writer.post(form, data={"speaker": "X Y"}, headers=evil).status_code == 403
    assert (
        writer.post(form, data={"speaker": "X Y"}, headers={"sec-fetch-site": "cross-site"}).status_code
        == 403
    )
    api = f"/api/quotes/{quote['id']}/speaker"
    assert writer.post(api, json={"speaker": "X Y"}, headers=evil).status_code == 403
    assert peskov_quote(writer)["actor"] == "Dmitry Peskov"


def test_bad_corrections_are_refused(writer: Any) -> None:
    quote = peskov_quote(writer)
    form = f"/articles/{quote['article_id']}/quotes/{quote['id']}/speaker"
    assert writer.post(form, data={"speaker": ""}).status_code == 400
    assert (
        writer.post(f"/articles/999/quotes/{quote['id']}/speaker", data={"speaker": "A B"}).status_code == 404
    )
    assert writer.post("/api/quotes/999/speaker", json={"speaker": "A B"}).status_code == 404
    assert writer.post(f"/api/quotes/{quote['id']}/speaker", json={"speaker": "x" * 201}).status_code == 422
    assert writer.post(f"/api/quotes/{quote['id']}/speaker", json={}).status_code == 422


def test_reading_never_writes(client: Any, corpus_db: Any) -> None:
    before = corpus_db.stat().st_mtime_ns
    for path in ("/", "/search?q=treaty", "/articles/1", "/actors", "/timeline?q=Peskov"):
        client.get(path)
    assert corpus_db.stat().st_mtime_ns == before
