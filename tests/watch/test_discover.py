"""Discovery: article links from feeds, sitemaps and pages; canonical URLs and dates."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.corpus.build import canonical_url
from onrecord.watch import discover
from onrecord.watch.discover import Link, canonical, iso_date, parse_listing

FEED_URL = "https://news.example/section/feed.xml"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel>
  <title>Example News</title>
  <atom:link rel="self" href="https://news.example/section/feed.xml"/>
  <item>
    <title>Mayor acts on &lt;flooding&gt;</title>
    <link>/2024/01/mayor-acts?utm_source=rss&amp;utm_medium=feed&amp;id=7&amp;fbclid=abc</link>
    <pubDate>Mon, 01 Jan 2024 10:00:00 +0200</pubDate>
  </item>
  <item>
    <title><![CDATA[Council votes]]></title>
    <guid isPermaLink="true">story/council-votes#comments</guid>
    <dc:date>2024-01-02T08:30:00Z</dc:date>
  </item>
  <item>
    <title>Not a permalink</title>
    <guid isPermaLink="false">tag:news.example,2024:3</guid>
  </item>
  <item>
    <title>Through FeedBurner</title>
    <link>https://feeds.example/~r/news/~3/xyz/</link>
    <feedburner:origLink>https://news.example/2024/01/original</feedburner:origLink>
  </item>
  <item>
    <title>Again</title>
    <link>https://NEWS.example:443/2024/01/mayor-acts?id=7&amp;ref=homepage</link>
  </item>
</channel>
</rss>"""


def test_rss_relative_links_tracking_and_dates() -> None:
    listing = parse_listing(RSS, FEED_URL, "application/rss+xml")
    assert listing.kind == "rss" and listing.title == "Example News" and listing.error is None
    assert listing.links == [
        Link(
            "https://news.example/2024/01/mayor-acts?id=7",
            published="2024-01-01T10:00:00+02:00",
            title="Mayor acts on <flooding>",
        ),
        Link(
            "https://news.example/section/story/council-votes",
            published="2024-01-02T08:30:00+00:00",
            title="Council votes",
        ),
        Link("https://news.example/2024/01/original", title="Through FeedBurner"),
    ]  # the last item repeats the first once canonical; the non-permalink guid names no page


def test_sloppy_rss_bare_ampersand_is_read() -> None:
    body = b"<rss><channel><item><link>https://a.example/x?a=1&b=2</link></item></channel></rss>"
    assert [link.url for link in parse_listing(body, "https://a.example/feed").links] == [
        "https://a.example/x?a=1&b=2"
    ]


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/en/">
  <title type="text">A Blog</title>
  <link rel="self" href="https://blog.example/atom.xml"/>
  <entry>
    <title>First</title>
    <link rel="enclosure" href="/audio/first.mp3"/>
    <link rel="alternate" type="application/pdf" href="first.pdf"/>
    <link rel="alternate" type="text/html" href="posts/first"/>
    <published>2024-03-05T09:00:00-05:00</published>
    <updated>2024-03-06T10:00:00Z</updated>
  </entry>
  <entry xml:base="https://other.example/">
    <title>Second</title>
    <link href="second?gclid=1"/>
    <updated>2024-03-07</updated>
  </entry>
  <entry><title>No link</title></entry>
</feed>"""


def test_atom_alternate_links_and_xml_base() -> None:
    listing = parse_listing(ATOM, "https://blog.example/atom.xml")
    assert listing.kind == "atom" and listing.title == "A Blog"
    assert listing.links == [
        Link(
            "https://blog.example/en/posts/first",
            published="2024-03-05T09:00:00-05:00",
            modified="2024-03-06T10:00:00+00:00",
            title="First",
        ),
        Link("https://other.example/second", modified="2024-03-07", title="Second"),
    ]


RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF News</title></channel>
  <item rdf:about="https://rdf.example/a"><title>A</title><dc:date>2023-12-31</dc:date></item>
  <item rdf:about="https://rdf.example/b"><title>B</title><link>https://rdf.example/b2</link></item>
</rdf:RDF>"""


def test_rdf_items() -> None:
    listing = parse_listing(RDF, "https://rdf.example/index.rdf")
    assert listing.kind == "rdf" and listing.title == "RDF News"
    assert listing.links == [
        Link("https://rdf.example/a", published="2023-12-31", title="A"),
        Link("https://rdf.example/b2", title="B"),
    ]


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://paper.example/world/2024/05/01/summit-ends</loc>
    <lastmod>2024-05-01T18:00:00+01:00</lastmod>
    <image:image><image:loc>https://img.paper.example/summit.jpg</image:loc></image:image>
    <news:news>
      <news:publication><news:name>The Paper</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01T12:15:00+01:00</news:publication_date>
      <news:title>Summit ends &amp; leaders speak</news:title>
    </news:news>
  </url>
  <url><loc>https://paper.example/about</loc><lastmod>2023-01</lastmod></url>
  <url><loc>ftp://paper.example/file</loc></url>
</urlset>"""


def test_news_sitemap() -> None:
    listing = parse_listing(NEWS_SITEMAP, "https://paper.example/news-sitemap.xml")
    assert listing.kind == "sitemap" and listing.error is None and not listing.truncated
    assert listing.links == [
        Link(
            "https://paper.example/world/2024/05/01/summit-ends",
            published="2024-05-01T12:15:00+01:00",
            modified="2024-05-01T18:00:00+01:00",
            title="Summit ends & leaders speak",
        ),
        Link("https://paper.example/about", modified="2023-01"),
    ]


def test_sitemap_index() -> None:
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://paper.example/sitemap-1.xml.gz</loc><lastmod>2024-01-01</lastmod></sitemap>
      <sitemap><loc>/sitemap-2.xml</loc></sitemap>
    </sitemapindex>"""
    listing = parse_listing(body, "https://paper.example/sitemap.xml")
    assert listing.kind == "sitemapindex" and listing.links == []
    assert listing.sitemaps == [
        "https://paper.example/sitemap-1.xml.gz",
        "https://paper.example/sitemap-2.xml",
    ]


def test_gzipped_sitemap() -> None:
    listing = parse_listing(gzip.compress(NEWS_SITEMAP), "https://paper.example/news.xml.gz")
    assert listing.kind == "sitemap" and len(listing.links) == 2


def test_gzip_past_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "MAX_BODY_BYTES", 1000)
    listing = parse_listing(gzip.compress(b" " * 5000 + NEWS_SITEMAP), "https://paper.example/s.xml.gz")
    assert listing.kind == "unknown" and "larger than" in (listing.error or "") and listing.links == []
    broken = parse_listing(gzip.compress(NEWS_SITEMAP)[:40], "https://paper.example/s.xml.gz")
    assert "not a readable gzip file" in (broken.error or "")


def test_links_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "MAX_LINKS", 3)
    body = "\n".join(f"https://paper.example/{n}" for n in range(10)).encode()
    listing = parse_listing(body, "https://paper.example/sitemap.txt")  # the protocol's text form
    assert listing.kind == "sitemap" and listing.truncated and len(listing.links) == 3


def test_html_page_names_its_feeds() -> None:
    page = b"""<!DOCTYPE html><html><head><title>Front page</title>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="All" href="/feed.xml">
      <link rel="alternate" type="application/atom+xml" href="https://paper.example/atom?utm_source=x">
      <link rel="alternate" hreflang="fr" href="/fr/">
    </head><body><p>News.</p></body></html>"""
    listing = parse_listing(page, "https://paper.example/")
    assert listing.kind == "html" and listing.title == "Front page" and listing.links == []
    assert listing.feeds == ["https://paper.example/feed.xml", "https://paper.example/atom"]
    assert listing.error == (
        "an HTML page, not a feed or sitemap (it advertises https://paper.example/feed.xml, "
        "https://paper.example/atom)"
    )
    bare = parse_listing(b"<p>Hello", "https://paper.example/x", "text/html; charset=utf-8")
    assert bare.kind == "html" and bare.feeds == [] and "advertises no feed" in (bare.error or "")


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\x02garbage\xff\xfe<<>>", b"", b"   ", b'{"json": true}', b"<?xml version='1.0'?><x/>"],
)
def test_unreadable_bodies_name_the_problem(body: bytes) -> None:
    listing = parse_listing(body, "https://a.example/feed")
    assert listing.kind == "unknown" and listing.links == [] and listing.error


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://a.example/&lol9;</link></item></channel></rss>"""


def test_billion_laughs_is_not_expanded() -> None:
    started = time.perf_counter()
    listing = parse_listing(BILLION_LAUGHS, "https://a.example/feed")
    assert time.perf_counter() - started < 2
    assert len(listing.title or "") < 100 and listing.links == []
    assert listing.error and listing.error.startswith("not a readable feed or sitemap (")


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><title>&x;</title><item><link>https://a.example/1</link></item></channel></rss>"
    ).encode()
    listing = parse_listing(body, "https://a.example/feed")
    assert "TOP-SECRET" not in repr(listing)
    assert [link.url for link in listing.links] == ["https://a.example/1"]


@given(st.binary(max_size=400))
@settings(max_examples=150, deadline=None)
def test_parse_listing_never_raises(body: bytes) -> None:
    listing = parse_listing(b"<rss><channel><item><link>" + body, "https://a.example/feed")
    assert listing.kind in {"rss", "atom", "rdf", "sitemap", "sitemapindex", "html", "unknown"}


# -- canonical URLs and dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example:443/a/b?x=1&utm_campaign=z#frag", "https://news.example/a/b?x=1"),
        ("http://news.example:80", "http://news.example/"),
        ("http://news.example:8080/p", "http://news.example:8080/p"),
        ("https://a.example/p?b=2&a=1&fbclid=x&mc_cid=y&ocid=z&at_medium=w", "https://a.example/p?b=2&a=1"),
        ("https://a.example/p?UTM_Source=x&igshid=1&_ga=2&msclkid=3&dclid=4", "https://a.example/p"),
        ("https://a.example/p?q=a+b&empty=", "https://a.example/p?q=a+b&empty="),
        ("https://[2001:DB8::1]:443/p", "https://[2001:db8::1]/p"),
        ("mailto:editor@a.example", None),
        ("ftp://a.example/file", None),
        ("/relative/only", None),
        ("https://a.example/with space", None),
        ("https://a.example:notaport/", None),
        ("", None),
    ],
)
def test_canonical(url: str, expected: str | None) -> None:
    assert canonical(url) == expected


def test_canonical_resolves_against_a_base() -> None:
    assert canonical("../b?ref=x", "https://a.example/x/y/z") == "https://a.example/x/b"
    assert canonical("//cdn.example/p", "https://a.example/") == "https://cdn.example/p"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.news.example/2024/01/02/story-slug",
        "https://news.example/article?id=42&page=2",
        "https://News.Example/a?utm_source=x&ref=y#top",
        "http://news.example",
        "https://news.example/search?q=caf%C3%A9+au+lait",
    ],
)
def test_canonical_agrees_with_the_corpus_key(url: str) -> None:
    assert canonical(url) == canonical_url(url)


@given(st.sampled_from(["http", "https", "HTTP"]), st.text(alphabet="abcXYZ/.-_%?&=#+;:09", max_size=40))
def test_canonical_is_a_fixed_point_of_the_corpus_key(scheme: str, rest: str) -> None:
    key = canonical(f"{scheme}://news.example/{rest}")
    if key is not None:
        assert canonical(key) == key
        assert canonical_url(key) == key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 02 Jan 2024 03:04:05 GMT", "2024-01-02T03:04:05+00:00"),
        ("2 Jan 2024 03:04 -0500", "2024-01-02T03:04:00-05:00"),
        ("2024-01-02", "2024-01-02"),
        ("2024-01", "2024-01"),
        ("2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05.123000+00:00"),
        ("2024-01-02T03:04+01:00", "2024-01-02T03:04:00+01:00"),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value) == expected
