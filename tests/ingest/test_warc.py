"""WARC reading: response records with HTML become Items with URL and date; others are skipped."""

from __future__ import annotations

import io
from pathlib import Path

from onrecord.ingest.sources import iter_items

PAGE = b"<html><head><title>T</title></head><body><article><p>Hello.</p></article></body></html>"


def _warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, ctype, body in (
            ("https://a.example/story", "text/html; charset=utf-8", PAGE),
            ("https://a.example/logo.png", "image/png", b"\x89PNG"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2020-10-22T10:00:00Z"},
            )  # fmt: skip
            writer.write_record(record)
        writer.write_record(
            writer.create_warc_record("https://a.example/", "request", payload=io.BytesIO(b"GET"))
        )
    return path


def test_warc_records(tmp_path: Path) -> None:
    items = list(iter_items([str(_warc(tmp_path / "crawl.warc.gz"))]))
    assert len(items) == 2
    page, image = items
    assert page.url == "https://a.example/story" and page.data == PAGE and page.kind == "html"
    assert page.published == "2020-10-22" and page.published_source == "inferred"
    assert page.record.startswith("record 1")
    assert image.skip and "not an HTML page" in (image.error or "")


def test_corrupt_warc_is_one_failed_item(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nabc")
    items = list(iter_items([str(bad)]))
    assert len(items) == 1 and items[0].error and not items[0].skip
