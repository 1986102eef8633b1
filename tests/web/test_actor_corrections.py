"""Merging and splitting actors from the actor page (forms) and the API (JSON): applied at once,
kept as judgements, refused from other sites."""

from __future__ import annotations

from typing import Any

from web.test_hostile import HOSTILE_NAME, assert_inert


def actor_id(client: Any, name: str) -> str:
    return str(client.get(f"/api/actors/{name}").json()["actor"]["id"])


def test_merge_from_the_form_then_split_back(writer: Any) -> None:
    peskov, smith = actor_id(writer, "Dmitry Peskov"), actor_id(writer, "Jane Smith")
    page = writer.get(f"/actors/{peskov}").text
    assert f'action="/actors/{peskov}/merge"' in page and "/split" not in page  # one name: nothing to split

    response = writer.post(f"/actors/{smith}/merge", data={"into": "Dmitry Peskov", "author": "ana"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/actors/{peskov}#corrections"
    assert writer.get(f"/api/actors/{smith}").status_code == 404
    merged = writer.get(f"/api/actors/{peskov}").json()
    assert merged["statements"]["total"] == 3
    assert merged["corrections"][0]["kind"] == "merge"
    assert {n["name"] for n in merged["article_names"]} == {"Dmitry Peskov", "Jane Smith"}
    page = writer.get(f"/actors/{peskov}").text
    assert f"merged <code>{smith}</code> into this actor" in page
    assert '<option value="Jane Smith">' in page

    response = writer.post(f"/actors/{peskov}/split", data={"alias": "Jane Smith", "author": "ana"})
    assert response.status_code == 303, response.text
    assert writer.get(f"/api/actors/{peskov}").json()["statements"]["total"] == 2
    assert writer.get("/api/search", params={"speaker": "Jane Smith"}).json()["total"] == 1
    page = writer.get(f"/actors/{peskov}").text
    assert "split off “Jane Smith” to" in page and f'href="/actors/{smith}"' in page


def test_merge_and_split_as_json(writer: Any) -> None:
    trump, smith = actor_id(writer, "Donald Trump"), actor_id(writer, "Jane Smith")
    response = writer.post(f"/api/actors/{trump}/merge", json={"absorb": smith, "author": "bo"})
    assert response.status_code == 200, response.text
    made = response.json()
    assert (made["kind"], made["subject"], made["value"], made["actor"]) == ("merge", smith, trump, trump)
    # Donald Trump's own quote and Jane Smith's (Ivanka Trump's is hers, not his)
    assert writer.get("/api/search", params={"speaker": trump}).json()["total"] == 2

    response = writer.post(f"/api/actors/{trump}/split", json={"alias": "jane smith"})
    assert response.status_code == 200, response.text
    assert response.json()["split_to"] == smith
    assert writer.get("/api/search", params={"speaker": smith}).json()["total"] == 1


def test_bad_merges_and_splits_are_refused(writer: Any) -> None:
    peskov = actor_id(writer, "Dmitry Peskov")
    assert writer.post(f"/api/actors/{peskov}/merge", json={}).status_code == 422
    both = {"into": "Donald Trump", "absorb": "Jane Smith"}
    assert writer.post(f"/api/actors/{peskov}/merge", json=both).status_code == 422
    assert writer.post(f"/api/actors/{peskov}/merge", json={"into": peskov}).status_code == 400
    assert writer.post(f"/api/actors/{peskov}/merge", json={"into": "Nobody Atall"}).status_code == 400
    assert writer.post(f"/api/actors/{peskov}/split", json={"alias": "Donald Trump"}).status_code == 400
    assert writer.post("/api/actors/p-nobody/merge", json={"into": peskov}).status_code == 404
    assert writer.post(f"/actors/{peskov}/merge", data={}).status_code == 400
    assert writer.post(f"/actors/{peskov}/split", data={"alias": ""}).status_code == 400
    assert writer.post("/actors/p-nobody/split", data={"alias": "X"}).status_code == 404
    assert writer.get(f"/api/actors/{peskov}").json()["corrections"] == []


def test_cross_site_merges_and_splits_are_refused(writer: Any) -> None:
    peskov, smith = actor_id(writer, "Dmitry Peskov"), actor_id(writer, "Jane Smith")
    evil = {"origin": "http://attacker.example"}
    assert writer.post(f"/actors/{smith}/merge", data={"into": peskov}, headers=evil).status_code == 403
    assert (
        writer.post(
            f"/actors/{smith}/merge", data={"into": peskov}, headers={"sec-fetch-site": "cross-site"}
        ).status_code
        == 403
    )
    assert writer.post(f"/api/actors/{smith}/merge", json={"into": peskov}, headers=evil).status_code == 403
    assert writer.post(f"/api/actors/{peskov}/split", json={"alias": "x"}, headers=evil).status_code == 403
    assert writer.get(f"/api/actors/{smith}").status_code == 200


def test_hostile_names_in_corrections_stay_inert(writer: Any) -> None:
    smith = actor_id(writer, "Jane Smith")
    response = writer.post(f"/actors/{smith}/merge", data={"into": HOSTILE_NAME})
    assert response.status_code == 400
    assert_inert(response.text)
    trump = actor_id(writer, "Donald Trump")
    writer.post(
        f"/actors/{trump}/merge", data={"absorb": smith, "author": HOSTILE_NAME, "note": HOSTILE_NAME}
    )
    assert_inert(writer.get(f"/actors/{trump}").text)
