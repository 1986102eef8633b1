"""The WARC archive: exchanges written as request/response pairs that ingest and warcio read back."""

from __future__ import annotations

import errno
import itertools
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from onrecord.ingest.sources import iter_items
from onrecord.watch import archive as archive_module
from onrecord.watch.archive import WarcArchive
from onrecord.watch.fetch import Exchange

WHEN = datetime(2024, 5, 1, 9, 30, 15, 250000, tzinfo=UTC)
ARTICLE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Town floods</title></head><body>"
    b"<article><h1>River floods the old town</h1>"
    b"<p>The river rose two metres overnight and flooded the old town on Tuesday, officials said.</p>"
    b'<p>"We will act," the mayor said. "Nobody should lose their home to this river again."</p>'
    b"<p>Residents of twelve streets spent the night in the school gym while crews pumped water.</p>"
    b"</article></body></html>"
)
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


def exchange(
    url: str,
    status: int = 200,
    reason: str = "OK",
    body: bytes = b"",
    response_headers: list[tuple[str, str]] | None = None,
    *,
    ip: str | None = "192.0.2.7",
    truncated: str | None = None,
) -> Exchange:
    """An exchange as the fetcher makes them (a GET sent at WHEN)."""
    agent = [("User-Agent", "onrecord/0.1.0 (+https://onrecord.example/bot)")]
    return Exchange(
        url, "GET", agent, status, reason, "HTTP/1.1", response_headers or [], body, WHEN, ip, truncated
    )


def page(url: str = "https://town.example/news/flood?id=3", body: bytes = ARTICLE) -> exchange:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("X-Onrecord-Original-Content-Encoding", "gzip")]
    return exchange(url, body=body, response_headers=headers)


def records(path: Path) -> list[Any]:
    """Every record of a WARC file, digests checked, with its content read."""
    found = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            record.content = record.content_stream().read()
            found.append(record)
    return found


def warcs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.warc.gz"))


def test_pages_read_back_by_ingest(tmp_path: Path) -> None:
    moved = exchange(
        "https://town.example/old", 301, "Moved Permanently", b"",
        [("Location", "https://town.example/news/flood?id=3"), ("Content-Length", "0")],
    )  # fmt: skip
    feed = exchange(
        "https://town.example/feed", body=FEED, response_headers=[("Content-Type", "application/rss+xml")]
    )
    with WarcArchive(tmp_path, operator="Newsroom <desk@town.example>") as archive:
        written = [archive.write(e) for e in (page(), moved, feed)]
        path = archive.current
    assert path is not None and {p for p, _ in written} == {str(path)} and archive.current is None
    items = list(iter_items([str(path)]))
    assert len(items) == 3
    article, redirect, listing = items
    assert article.url == "https://town.example/news/flood?id=3" and article.data == ARTICLE
    assert article.kind == "html" and article.published == "2024-05-01" and article.error is None
    assert redirect.skip and redirect.error == "HTTP status 301"
    assert listing.skip and "not an HTML page" in (listing.error or "")


def test_records_pair_digests_and_offsets(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, operator="desk@town.example") as archive:
        path, offset = archive.write(page())
        archive.write(exchange("https://town.example/robots.txt", 404, "", b"gone", ip=None))
    found = records(Path(path))
    assert [r.rec_type for r in found] == ["warcinfo", "request", "response", "request", "response"]
    assert all(r.digest_checker.passed is not False for r in found)
    info = found[0].content.decode()
    assert "software: onrecord/" in info and "robots: obey" in info and "operator: desk@town.example" in info
    assert found[0].rec_headers.get_header("WARC-Filename") == Path(path).name
    request, response = found[1], found[2]
    ids = (
        request.rec_headers.get_header("WARC-Record-ID"),
        response.rec_headers.get_header("WARC-Record-ID"),
    )
    assert request.rec_headers.get_header("WARC-Concurrent-To") == ids[1]
    assert response.rec_headers.get_header("WARC-Concurrent-To") == ids[0]
    for record in (request, response):
        assert record.rec_headers.get_header("WARC-Target-URI") == "https://town.example/news/flood?id=3"
        assert record.rec_headers.get_header("WARC-Date") == "2024-05-01T09:30:15.250000Z"
        assert record.rec_headers.get_header("WARC-IP-Address") == "192.0.2.7"
        assert record.rec_headers.protocol == "WARC/1.1"
    assert (
        request.http_headers.protocol == "GET"
        and request.http_headers.statusline == "/news/flood?id=3 HTTP/1.1"
    )
    assert request.http_headers.get_header("Host") == "town.example"
    assert response.http_headers.protocol == "HTTP/1.1" and response.http_headers.statusline == "200 OK"
    assert response.http_headers.get_header("Content-Length") == str(len(ARTICLE))
    assert response.http_headers.get_header("X-Onrecord-Original-Content-Encoding") == "gzip"
    assert response.content == ARTICLE
    assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    missing = found[4]
    assert missing.http_headers.statusline == "404 Not Found" and missing.content == b"gone"
    assert missing.rec_headers.get_header("WARC-IP-Address") is None
    with Path(path).open("rb") as stream:  # the offset returned is where the response record starts
        stream.seek(offset)
        first = next(iter(ArchiveIterator(stream)))
        assert first.rec_type == "response" and first.content_stream().read() == ARTICLE
    assert Checker(SimpleNamespace(inputs=[path], verbose=False)).process_all() == 0


def test_the_decoded_body_has_its_length_and_no_header_can_inject_another(tmp_path: Path) -> None:
    cut = exchange(
        "https://town.example/x",
        body=b"<html><body>hi</body></html>",
        response_headers=[
            ("Content-Type", "text/html"),
            ("X-Onrecord-Original-Content-Encoding", "br"),
            ("X-Onrecord-Original-Content-Length", "999"),
            ("X-Injected", "a\r\nSet-Cookie: evil=1"),
        ],
        truncated="length",
    )
    with WarcArchive(tmp_path) as archive:
        path, _ = archive.write(cut)
    response = records(Path(path))[2]
    headers = response.http_headers
    assert headers.get_header("X-Onrecord-Original-Content-Encoding") == "br"
    assert headers.get_header("Content-Length") == "28" and response.content == cut.body
    assert headers.get_header("Set-Cookie") is None
    assert response.rec_headers.get_header("WARC-Truncated") == "length"


def test_rotation_by_size(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, max_bytes=1) as archive:  # every exchange alone in its file
        written = [archive.write(page(f"https://town.example/{n}")) for n in range(3)]
    paths = [p for p, _ in written]
    assert len(set(paths)) == 3 and [str(p) for p in warcs(tmp_path)] == paths  # names sort in write order
    for n, path in enumerate(paths):
        found = records(Path(path))
        assert [r.rec_type for r in found] == ["warcinfo", "request", "response"]
        assert found[2].rec_headers.get_header("WARC-Target-URI") == f"https://town.example/{n}"


def test_a_file_holds_what_fits(tmp_path: Path) -> None:
    with WarcArchive(tmp_path / "one") as probe:
        probe.write(page())
        size = Path(probe.current or "").stat().st_size
    with WarcArchive(tmp_path / "two", max_bytes=2 * size) as archive:
        paths = [archive.write(page(f"https://town.example/{n}"))[0] for n in range(5)]
    assert len(paths) == 5 and len(set(paths)) == 3  # a warcinfo, then two exchanges a file
    assert all(Path(p).stat().st_size <= 2 * size for p in set(paths))


def test_rotation_by_day(tmp_path: Path) -> None:
    clock = iter([WHEN, WHEN + timedelta(hours=1), WHEN + timedelta(days=1)])
    with WarcArchive(tmp_path, now=lambda: next(clock), prefix="town") as archive:
        paths = [archive.write(page(f"https://town.example/{n}"))[0] for n in range(3)]
    assert paths[0] == paths[1] != paths[2]
    names = [Path(p).name for p in (paths[0], paths[2])]
    assert names[0].startswith("town-20240501093015-") and names[1].startswith("town-20240502093015-")
    assert [p.name for p in warcs(tmp_path)] == names
    assert names[0].endswith(f"-{os.getpid()}.warc.gz")
    assert records(Path(paths[2]))[0].rec_headers.get_header("WARC-Date") == "2024-05-02T09:30:15.250000Z"


def fixed_clock() -> datetime:
    return WHEN


def test_archives_never_share_or_reuse_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "_SERIALS", itertools.count(7))
    taken = tmp_path / f"onrecord-20240501093015-00007-{os.getpid()}.warc.gz"
    taken.write_bytes(b"written by an earlier process")
    first, second = WarcArchive(tmp_path, now=fixed_clock), WarcArchive(tmp_path, now=fixed_clock)
    path_one, _ = first.write(page())
    path_two, _ = second.write(page())
    first.write(page("https://town.example/again"))
    first.close()
    second.close()
    assert taken.read_bytes() == b"written by an earlier process"
    assert len({str(taken), path_one, path_two}) == 3
    assert [r.rec_type for r in records(Path(path_one))].count("response") == 2


def test_threads_write_whole_records(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, max_bytes=200_000)

    def work(worker: int) -> None:
        for n in range(20):
            archive.write(page(f"https://town.example/{worker}/{n}"))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    archive.close()
    found = [r for path in warcs(tmp_path) for r in records(path)]
    responses = [r for r in found if r.rec_type == "response"]
    assert len(responses) == 160 and all(r.content == ARTICLE for r in responses)
    assert all(r.digest_checker.passed is not False for r in found)
    requests = {r.rec_headers.get_header("WARC-Record-ID") for r in found if r.rec_type == "request"}
    assert {r.rec_headers.get_header("WARC-Concurrent-To") for r in responses} == requests
    targets = {r.rec_headers.get_header("WARC-Target-URI") for r in responses}
    assert len(targets) == 160
    assert sum(1 for item in iter_items([str(tmp_path)]) if item.data == ARTICLE) == 160


class _FullDisk:
    """A file that takes a few bytes of a write, then fails as a full disk does."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def write(self, data: memoryview) -> int:
        self.file.write(data[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:
        return int(self.file.fileno())


def test_a_failed_write_leaves_whole_records(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    path, _ = archive.write(page())
    size = Path(path).stat().st_size
    real = archive._file
    archive._file = _FullDisk(real)  # type: ignore[assignment]  # a disk that fills up mid-write
    with pytest.raises(OSError, match="No space"):
        archive.write(page("https://town.example/lost"))
    assert Path(path).stat().st_size == size
    archive._file = real
    archive.write(page("https://town.example/after"))
    archive.close()
    urls = [item.url for item in iter_items([path])]
    assert urls == ["https://town.example/news/flood?id=3", "https://town.example/after"]


def test_closed_archive(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path / "new" / "folder")
    assert archive.current is None and not (tmp_path / "new").exists()  # no file until a write
    archive.close()
    with pytest.raises(ValueError, match="closed"):
        archive.write(page())


def test_the_fetchers_exchange_fits(tmp_path: Path) -> None:
    fetch = pytest.importorskip("onrecord.watch.fetch")
    exchange = fetch.Exchange(
        url="https://town.example/a", method="GET", request_headers=[("Accept", "text/html")],
        status=200, reason="OK", http_version="HTTP/1.1",
        response_headers=[("Content-Type", "text/html")], body=ARTICLE, fetched_at=WHEN, ip=None,
    )  # fmt: skip
    with WarcArchive(tmp_path) as archive:
        path, _ = archive.write(exchange)
    assert [item.data for item in iter_items([path])] == [ARTICLE]


def test_ingest_reads_an_archived_article(tmp_path: Path) -> None:
    from onrecord.corpus.build import ingest

    with WarcArchive(tmp_path / "warc") as archive:
        archive.write(page())
    summary = ingest([str(tmp_path / "warc")], tmp_path / "corpus.db", workers=1)
    assert summary.counts["new"] == 1, summary.problems
