"""RSS and Atom reading: entries with content become HTML Items with link, date and feed title."""

from __future__ import annotations

from pathlib import Path

from onrecord.ingest.sources import iter_items

RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example Daily</title>
<item><title>First</title><link>https://d.example/1</link><pubDate>Thu, 22 Oct 2020 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The minister said the plan was "ready".</p>]]></content:encoded></item>
<item><title>Empty</title><link>https://d.example/2</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title>
<entry><title>A</title><link href="https://t.example/a"/><published>2021-03-01T08:00:00Z</published>
<content type="html">&lt;p&gt;Text of the entry.&lt;/p&gt;</content></entry></feed>"""


def test_rss(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    first, empty = list(iter_items([str(path)]))
    assert (first.url, first.published, first.outlet, first.title) == (
        "https://d.example/1", "2020-10-22", "Example Daily", "First"
    )  # fmt: skip
    assert first.text and "ready" in first.text and first.kind == "html"
    assert empty.skip


def test_atom_sniffed_by_content(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(ATOM, encoding="utf-8")
    (entry,) = list(iter_items([str(path)]))
    assert (entry.url, entry.published, entry.outlet) == ("https://t.example/a", "2021-03-01", "Atom Times")
    assert entry.text and "Text of the entry." in entry.text
