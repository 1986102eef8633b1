"""The story page: a story's copies side by side, what differs marked with <ins>/<del>, all escaped."""

from __future__ import annotations

from typing import Any

from onrecord.web.stories import compare, word_diff
from web.sample import HOSTILE_IMG, HOSTILE_SCRIPT
from web.test_hostile import assert_inert


def test_story_api_compares_each_copy_with_the_first(story_client: Any) -> None:
    data = story_client.get("/api/stories/1").json()
    assert data["story"]["copies"] == 3 and data["total"] == 2
    assert data["base"]["outlet"] == "Example Wire"
    assert len(data["base"]["paragraphs"]) == 7
    by_outlet = {c["outlet"]: c for c in data["copies"]}
    same = by_outlet["Example Daily"]
    assert same["changes"] == {"same": 7, "changed": 0, "inserted": 0, "deleted": 0}
    assert same["similarity"] == 1.0
    edited = by_outlet[f"Coast {HOSTILE_IMG} Herald"]
    assert edited["changes"] == {"same": 6, "changed": 1, "inserted": 1, "deleted": 0}
    changed = next(b for b in edited["blocks"] if b["op"] == "changed")
    assert {"op": "deleted", "text": "through the weekend,"} in changed["pieces"]
    assert {"op": "inserted", "text": "into next week,"} in changed["pieces"]
    assert edited["blocks"][-1]["op"] == "inserted"
    assert HOSTILE_SCRIPT in edited["blocks"][-1]["pieces"][0]["text"]  # JSON keeps the text as it is


def test_story_page_marks_changes_and_stays_inert(story_client: Any) -> None:
    response = story_client.get("/stories/1")
    assert response.status_code == 200
    page = response.text
    assert_inert(page)
    assert "<del>through the weekend,</del>" in page and "<ins>into next week,</ins>" in page
    assert "<ins>Editor&#39;s note: &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img" in page
    assert "Coast &#34;&gt;&lt;img src=x onerror=alert(1)&gt; Herald" in page
    assert page.count('<section class="copy') == 3


def test_story_paging_and_missing(story_client: Any) -> None:
    data = story_client.get("/api/stories/1?limit=1&offset=1").json()
    assert len(data["copies"]) == 1 and data["paging"]["previous"] == 0
    assert story_client.get("/api/stories/99").status_code == 404
    assert story_client.get("/stories/99").status_code == 404
    assert story_client.get("/api/stories/1?limit=0").status_code == 422


def test_stories_list_and_reader_link(story_client: Any, client: Any) -> None:
    listing = story_client.get("/api/stories").json()
    assert [(s["id"], s["articles"]) for s in listing["rows"]] == [(1, 3)]
    assert "/stories/1" in story_client.get("/stories").text
    assert 'href="/stories/1"' in story_client.get("/articles/2").text
    assert client.get("/api/stories").json()["total"] == 0  # the other corpus: no story has two copies
    assert client.get("/api/stories?min_copies=1").json()["total"] == 3
    assert 'href="/stories/' not in client.get("/articles/1").text  # a story of one: nothing to compare


def test_diffs_keep_the_text_exactly() -> None:
    pieces = word_diff("a <b> c", "a <i> c d")
    assert "".join(p["text"] for p in pieces if p["op"] != "deleted") == "a <i> c d"
    assert "".join(p["text"] for p in pieces if p["op"] != "inserted") == "a <b> c"
    result = compare(["one", "two", "three"], ["one", "three", "four"])
    assert [b["op"] for b in result["blocks"]] == ["same", "deleted", "same", "inserted"]


def test_no_story_with_that_many_copies_says_so_and_links_the_single_ones(story_client: Any) -> None:
    page = story_client.get("/stories?min_copies=50").text
    assert "No story has 50 copies or more" in page and 'href="/stories?min_copies=1"' in page
    assert "No story has" not in story_client.get("/stories").text
