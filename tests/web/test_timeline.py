"""The timeline page: an actor's dated statements -> rows that link to each quote in its article."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def test_timeline_rows_link_to_the_quote_and_the_heading_names_the_actor(client: Any) -> None:
    peskov = client.get("/api/actors/Peskov").json()["actor"]["id"]
    data = client.get("/api/timeline", params={"q": peskov}).json()
    assert data["actor"] == {"id": peskov, "name": "Dmitry Peskov"}
    statements = [row for row in data["rows"] if row["kind"] == "statement"]
    assert statements and all(row["article_id"] for row in statements)
    page = client.get("/timeline", params={"q": peskov}).text
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "Dmitry Peskov" in heading and peskov not in heading.replace(f"/actors/{quote(peskov)}", "")
    for row in statements:
        anchor = f'href="/articles/{row["article_id"]}#q{row["ref"]}"'
        assert anchor in page
        article = client.get(f"/articles/{row['article_id']}").text
        assert f'id="q{row["ref"]}"' in article  # the anchor the row points at exists


def test_words_that_name_no_single_actor_keep_the_words_as_heading(client: Any) -> None:
    data = client.get("/api/timeline", params={"q": "Trump"}).json()  # Donald and Ivanka
    assert data["actor"] is None
    assert "<h1>Timeline: Trump</h1>" in client.get("/timeline", params={"q": "Trump"}).text
