"""Sources from arguments, OPML files and text files of URLs, each problem one line naming where."""

from __future__ import annotations

from pathlib import Path

from onrecord.watch.sources import Source, read_sources

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News">
      <outline text="Paper" title="The Paper" type="rss" xmlUrl="https://paper.example/rss"/>
      <outline text="Regional">
        <outline text="Town &amp; Country" type="rss" xmlUrl="https://town.example/feed.atom"/>
      </outline>
    </outline>
    <outline text="A page, not a feed" type="link" url="https://paper.example/"/>
    <outline text="Gopher" xmlUrl="gopher://old.example/feed"/>
  </body>
</opml>"""


def test_opml_with_nested_outlines(tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, encoding="utf-8")
    sources, problems = read_sources([str(path)])
    assert sources == [
        Source("https://paper.example/rss", "The Paper"),
        Source("https://town.example/feed.atom", "Town & Country"),
    ]
    assert problems == [f"{path}: outline 'Gopher': 'gopher://old.example/feed' is not an http(s) URL"]


def test_unreadable_opml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_bytes(b"\x00\x01 not xml")
    other = tmp_path / "other.xml"
    other.write_text("<rss><channel/></rss>")
    empty = tmp_path / "empty.opml"
    empty.write_text("<opml><body><outline text='folder'/></body></opml>")
    sources, problems = read_sources([str(broken), str(other), str(empty)])
    assert sources == []
    assert problems[0].startswith(f"{broken}: not a readable OPML file (")
    assert problems[1] == f"{other}: not a readable OPML file (the root element is <rss>, not <opml>)"
    assert problems[2] == f"{empty}: no feeds in this OPML file (no outline has an xmlUrl)"


def test_text_file_of_sources(tmp_path: Path) -> None:
    (tmp_path / "more.opml").write_text(OPML, encoding="utf-8")
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "\ufeff# feeds to watch\n"
        "https://paper.example/rss   # the main feed\n"
        "\n"
        "https://paper.example/sitemap-news.xml\n"
        "ftp://files.example/feed\n"
        "https://PAPER.example/rss#again\n"
        "more.opml\n"
        "nowhere.opml\n",
        encoding="utf-8",
    )
    sources, problems = read_sources([str(listing), "https://town.example/feed.atom?utm_source=x"])
    assert sources == [
        Source("https://paper.example/rss"),
        Source("https://paper.example/sitemap-news.xml"),
        Source("https://town.example/feed.atom", "Town & Country"),
    ]  # duplicates by canonical URL: the first kept, with its title or none
    assert problems == [
        f"{listing} line 5: 'ftp://files.example/feed' is not an http(s) URL",
        f"{listing} line 7: more.opml: outline 'Gopher': 'gopher://old.example/feed' is not an http(s) URL",
        f"{listing} line 8: 'nowhere.opml' is neither an http(s) URL nor an OPML file",
    ]


def test_arguments_that_are_not_sources(tmp_path: Path) -> None:
    binary = tmp_path / "list.txt"
    binary.write_bytes(b"https://a.example/\n\xff\xfe\n")
    args = ["nope.txt", "ftp://x.example/feed", "paper.example/rss", str(tmp_path), str(binary)]
    sources, problems = read_sources(args)
    assert sources == []
    assert problems == [
        "nope.txt: no such file",
        "'ftp://x.example/feed' is not an http(s) URL",
        "paper.example/rss: no such file (a URL starts with http:// or https://)",
        f"{tmp_path}: a folder, not a file of sources",
        f"{binary}: not UTF-8 text (invalid start byte at byte 19)",
    ]
