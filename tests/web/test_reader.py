"""The reader's speaker marks: many speakers -> colours that differ while they can, numbers that always do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from onrecord.web.reader import PALETTE_SIZE, mark_quotes, segments
from web.conftest import BASE_URL, TestClient
from web.sample import build

SPEAKERS = 33  # the long article a user reported: 33 speakers, two of them given one colour


def quote(index: int, speaker: int) -> dict[str, Any]:
    return {
        "id": index + 1,
        "start": index * 10,
        "end": index * 10 + 8,
        "actor_id": f"p-{speaker}",
        "speaker": f"Speaker {speaker}",
        "kind": "direct",
        "confidence": None,
    }


def test_more_speakers_than_colours_are_still_told_apart() -> None:
    # Each speaker quoted twice, the second round in reverse order: order of first appearance rules.
    order = [*range(SPEAKERS), *reversed(range(SPEAKERS))]
    marked = mark_quotes([quote(i, who) for i, who in enumerate(order)], {}, {})
    worn: dict[str, tuple[str, int]] = {}
    for q in marked.quotes:
        assert worn.setdefault(q["actor_id"], (q["colour"], q["tag"])) == (q["colour"], q["tag"])
    assert len(worn) == SPEAKERS
    assert len(set(worn.values())) == SPEAKERS  # no two speakers share colour and number
    first = [worn[f"p-{who}"] for who in range(PALETTE_SIZE)]
    assert len({colour for colour, _ in first}) == PALETTE_SIZE >= 12  # the first twelve: all distinct
    assert [number for _, number in first] == list(range(1, PALETTE_SIZE + 1))


def test_each_quote_start_carries_its_speakers_tag() -> None:
    marked = mark_quotes([quote(0, 7), quote(1, 3), quote(2, 7)], {}, {})
    pieces = segments("x" * 30, marked.layers)
    tags = [(p["start"], p["tag"]) for p in pieces if p["tag"]]
    assert tags == [
        (0, {"number": "1", "colour": "c0"}),
        (10, {"number": "2", "colour": "c1"}),
        (20, {"number": "1", "colour": "c0"}),
    ]


def test_the_page_shows_the_number_in_the_text_and_the_list(client: Any) -> None:
    trump = client.get("/api/search?speaker=Donald%20Trump").json()["rows"][0]["article_id"]
    page = client.get(f"/articles/{trump}").text
    text = page.split('<article class="text">', 1)[1].split("</article>", 1)[0]
    listed = page.split('<aside class="who-said">', 1)[1]
    for number, colour in (("1", "c0"), ("2", "c1")):  # Donald Trump, then Ivanka Trump
        tag = f'<span class="tag {colour}" aria-hidden="true">{number}</span>'
        assert tag in text and tag in listed


def test_an_article_naming_no_outlet_says_so_plainly(tmp_path: Path) -> None:
    # Like the demo's seed: scraped text with no outlet, no site name and no address to take one from.
    from onrecord.web.app import create_app

    db = build(
        tmp_path, [{"title": "Seed", "text": 'Dmitry Peskov said: "We hope to talk."', "date": "2020-10-22"}]
    )
    page = TestClient(create_app(db), base_url=BASE_URL).get("/articles/1").text
    assert '<span class="not-given">outlet not given</span>' in page and "unknown outlet" not in page
