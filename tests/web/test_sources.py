"""The desk's view of ``onrecord watch`` (issue 20): the sources page with each source's health, and an
article that changed between rounds showing its earlier version and the statement it lost."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from onrecord.watch.sources import Source
from onrecord.web.app import create_app
from watch.localserver import LocalServer
from watch.test_rounds import article, feed, watcher
from web.sample import HOSTILE_SCRIPT
from web.test_hostile import assert_inert
from web.test_pages import html_of, json_of


def test_sources_page_says_none_are_watched_yet(client: TestClient) -> None:
    assert json_of(client, "/api/sources") == {"rows": [], "total": 0, "failing": 0}
    assert "No source is watched" in html_of(client, "/sources")


def test_sources_and_a_changed_article_on_the_desk(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    with LocalServer() as site:
        site.reply("/robots.txt", 404)
        site.reply("/news/1", body=article("Flood in the old town", "We will act before winter"))
        xml = {"Content-Type": "application/rss+xml"}
        site.reply("/feed.xml", body=feed(site, ("/news/1", "2026-05-05T10:00:00Z")), headers=xml)
        site.reply("/broken.xml", 503)
        with watcher(db) as w:
            w.add([Source(site.url("/feed.xml"), title=HOSTILE_SCRIPT), Source(site.url("/broken.xml"))])
            w.run_round()
            site.reply("/news/1", body=article("Flood in the old town", "We will act now"))
            site.reply("/feed.xml", body=feed(site, ("/news/1", "2026-05-06T08:00:00Z")), headers=xml)
            w.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
            assert w.run_round().counts["updated"] == 1
    client = TestClient(create_app(db), base_url="http://127.0.0.1")

    sources = json_of(client, "/api/sources")
    assert sources["total"] == 2 and sources["failing"] == 1
    good = next(row for row in sources["rows"] if row["url"].endswith("/feed.xml"))
    assert good["kind"] == "rss" and good["today"] == 1 and good["errors_in_row"] == 0
    page = html_of(client, "/sources")
    assert "HTTP 503" in page and "/broken.xml" in page
    assert_inert(page)  # a feed's title is text from the web: shown, never run

    article_id = client.get("/api/articles").json()["rows"][0]["id"]
    shown = json_of(client, f"/api/articles/{article_id}")
    [earlier] = shown["versions"]
    assert earlier["version"] == 1
    [removed] = earlier["removed"]
    assert "We will act before winter" in removed["text"]
    assert "This page changed" in html_of(client, f"/articles/{article_id}")
