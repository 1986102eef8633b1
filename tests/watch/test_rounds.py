"""Watch rounds against a local server: new and repeated items, robots.txt, a changed article kept as
a new version, a failing source backed off, the archive read back by ``ingest``, and health."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from onrecord.corpus.build import ingest
from onrecord.watch.fetch import FetchPolicy
from onrecord.watch.rounds import Watcher, WatchOptions
from onrecord.watch.sources import Source
from onrecord.watch.state import source_health

from .localserver import LocalServer, Reply

POLICY = FetchPolicy(per_host_interval=0.0, allow_private=True, backoff=0.01, retries=1, max_seconds=5)


def article(headline: str, said: str, extra: str = "") -> bytes:
    """A small English news page with one quote, as a site would serve it."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{headline}</title><meta property='og:site_name' content='Gazette'></head><body>"
        f"<article><h1>{headline}</h1>"
        "<p>The river rose two metres overnight and flooded the old town on Tuesday, officials said.</p>"
        f"<p>\u201c{said},\u201d the mayor, Anna Berg, said on Tuesday.</p>"
        "<p>Residents of twelve streets spent the night in the school gym while crews pumped water.</p>"
        f"{extra}</article></body></html>"
    ).encode()


def feed(server: LocalServer, *items: tuple[str, str]) -> bytes:
    """An RSS feed naming ``items`` (path, updated date)."""
    entries = "".join(
        f"<item><title>{path}</title><link>{server.url(path)}?utm_source=rss</link>"
        f"<pubDate>Tue, 05 May 2026 10:00:00 GMT</pubDate><atom:updated>{updated}</atom:updated></item>"
        for path, updated in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>Gazette</title>{entries}</channel></rss>"
    ).encode()


def watcher(db: Path, archive: Path | None = None) -> Watcher:
    return Watcher(db, WatchOptions(every=60, workers=1, archive=archive, article_timeout=60), POLICY)


@pytest.fixture
def site(local_server: LocalServer) -> LocalServer:
    local_server.reply("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    local_server.reply("/news/1", body=article("Flood in the old town", "We will act before winter"))
    local_server.reply("/news/2", body=article("Pumps arrive", "The pumps will run all night"))
    local_server.reply("/private/3", body=article("Private", "Nobody may read this"))
    xml = {"Content-Type": "application/rss+xml"}
    items = [("/news/1", "2026-05-05T10:00:00Z"), ("/news/2", "2026-05-05T10:00:00Z"), ("/private/3", "")]
    local_server.reply("/feed.xml", body=feed(local_server, *items), headers=xml)
    return local_server


def test_rounds_store_new_items_once_and_keep_a_changed_article_as_a_new_version(
    site: LocalServer, tmp_path: Path
) -> None:
    db, archive = tmp_path / "watch.db", tmp_path / "warc"
    with watcher(db, archive) as w:
        assert w.add([Source(site.url("/feed.xml"))]) == 1
        first = w.run_round()
    assert first.sources == 1 and first.new_links == 3
    assert first.counts["new"] == 2 and first.counts["skipped"] == 1  # robots.txt disallows /private/
    assert site.requests_to("/private/3") == []
    assert len(site.requests_to("/news/1")) == 1

    # The next round: the same feed names nothing new, and no page is fetched again.
    with watcher(db, archive) as w:
        w.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
        again = w.run_round()
    assert again.new_links == 0 and again.fetched == 0
    assert len(site.requests_to("/news/1")) == 1

    # The article changes and the feed says so: it is fetched again and stored as version 2.
    site.reply("/news/1", body=article("Flood in the old town", "We will act now, not in winter"))
    site.reply("/news/4", body=article("Schools close", "Schools will stay closed on Wednesday"))
    items = [("/news/1", "2026-05-06T08:00:00Z"), ("/news/2", "2026-05-05T10:00:00Z"), ("/news/4", "")]
    site.reply("/feed.xml", body=feed(site, *items), headers={"Content-Type": "application/rss+xml"})
    with watcher(db, archive) as w:
        w.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
        third = w.run_round()
    assert third.counts["new"] == 1 and third.counts["updated"] == 1 and third.fetched == 2
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    old_text, version = conn.execute("SELECT text, version FROM article_versions").fetchone()
    assert version == 1 and "before winter" in old_text
    current = conn.execute("SELECT text FROM articles WHERE url LIKE '%/news/1'").fetchone()[0]
    assert "not in winter" in current
    statements = [row[0] for row in conn.execute("SELECT statement FROM quotes WHERE piece = 0")]
    assert not any("before winter" in s for s in statements)  # only the current version is listed
    health = source_health(conn)
    conn.close()
    assert health[0]["errors_in_row"] == 0 and health[0]["articles"] == 3 and health[0]["kind"] == "rss"

    # The archive is the evidence: read back by `ingest`, it gives the same pages.
    rebuilt = tmp_path / "rebuilt.db"
    summary = ingest([str(archive)], rebuilt, workers=1)
    assert summary.counts["new"] == 3 and summary.counts["failed"] == 0
    conn = sqlite3.connect(rebuilt)
    keys = {row[0] for row in conn.execute("SELECT key FROM articles")}
    conn.close()
    assert keys == {site.url("/news/1"), site.url("/news/2"), site.url("/news/4")}


def test_a_failing_source_is_backed_off_and_its_health_says_why(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/feed.xml", Reply(500, b"down"))
    local_server.reply("/page.html", body="<html><head><title>Home</title></head><body>Hello</body></html>",
                       headers={"Content-Type": "text/html"})  # fmt: skip
    db = tmp_path / "watch.db"
    with watcher(db) as w:
        w.add([Source(local_server.url("/feed.xml")), Source(local_server.url("/page.html"))])
        report = w.run_round()
    assert report.sources_failed == 2 and len(report.errors) == 2
    conn = sqlite3.connect(db)
    health = {row["url"]: row for row in source_health(conn)}
    polled, next_poll = conn.execute(
        "SELECT last_polled, next_poll FROM watch_sources WHERE url LIKE '%feed.xml'"
    ).fetchone()
    conn.close()
    feed_health = health[local_server.url("/feed.xml")]
    assert feed_health["errors_in_row"] == 1 and "500" in feed_health["last_error"]
    assert "HTML page" in health[local_server.url("/page.html")]["last_error"]
    # Backed off: twice the interval after one failure.
    import datetime as dt

    gap = dt.datetime.fromisoformat(next_poll) - dt.datetime.fromisoformat(polled)
    assert gap == dt.timedelta(seconds=120)


def test_a_feed_not_modified_is_not_read_again(site: LocalServer, tmp_path: Path) -> None:
    xml = {"Content-Type": "application/rss+xml", "ETag": '"v1"'}

    def conditional(request: object) -> Reply:
        if getattr(request, "headers", {}).get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, feed(site, ("/news/2", "")), headers=xml)

    site.route("/feed.xml", conditional)
    db = tmp_path / "watch.db"
    with watcher(db) as w:
        w.add([Source(site.url("/feed.xml"))])
        assert w.run_round().counts["new"] == 1
        w.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
        second = w.run_round()
    assert second.not_modified == 1 and second.fetched == 0
    assert site.requests_to("/feed.xml")[-1].headers.get("if-none-match") == '"v1"'


def news_sitemap(server: LocalServer, *items: tuple[str, str]) -> bytes:
    """A news sitemap naming ``items`` (path, lastmod)."""
    urls = "".join(
        f"<url><loc>{server.url(path)}</loc><lastmod>{lastmod}</lastmod><news:news><news:publication>"
        "<news:name>Gazette</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-05-05</news:publication_date><news:title>{path}</news:title>"
        "</news:news></url>"
        for path, lastmod in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def test_a_sitemap_index_of_news_sitemaps_and_a_lastmod_without_a_change(
    site: LocalServer, tmp_path: Path
) -> None:
    xml = {"Content-Type": "application/xml"}
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-news.xml')}</loc></sitemap></sitemapindex>"
    )
    site.reply("/sitemap.xml", body=index, headers=xml)
    first = (("/news/1", "2026-05-05T10:00:00Z"), ("/news/2", "2026-05-05T10:00:00Z"))
    site.reply("/sitemap-news.xml", body=news_sitemap(site, *first), headers=xml)
    db = tmp_path / "watch.db"
    with watcher(db) as w:
        w.add([Source(site.url("/sitemap.xml"))])
        assert w.run_round().counts["new"] == 2
        # The sitemap says /news/1 was modified, but its text is the same: fetched, not a new version.
        later = (("/news/1", "2026-05-07T10:00:00Z"), ("/news/2", "2026-05-05T10:00:00Z"))
        site.reply("/sitemap-news.xml", body=news_sitemap(site, *later), headers=xml)
        w.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
        second = w.run_round()
    assert second.fetched == 1 and second.counts["unchanged"] == 1 and second.counts["updated"] == 0
    assert len(site.requests_to("/news/1")) == 2 and len(site.requests_to("/news/2")) == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0
    assert conn.execute("SELECT kind FROM watch_sources").fetchone()[0] == "sitemapindex"
    conn.close()
