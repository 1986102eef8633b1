"""Ingest WARC files (CC-NEWS style) -> Items: HTML response records with their URL and crawl date.

Read with warcio, record by record; request, metadata and warcinfo records are passed over, and a
response that is not an HTML page with status 200 becomes a skipped Item naming why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from onrecord.ingest.sources import Item

MAX_RECORD_BYTES = 20_000_000
_TRUNCATED = "WARC file is truncated (it ends inside a record)"


class _Counted:
    """A read-only stream that counts the bytes read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.read_bytes += len(data)
        return data

    def tell(self) -> int:
        return self.read_bytes


def iter_warc(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every response record of a WARC (gzip or not) as an Item, in file order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = 0
    counted = _Counted(stream)
    try:
        records = ArchiveIterator(counted)
        for record in records:
            if record.rec_type != "response":
                continue
            index += 1
            yield _item(record, source, index)
        # warcio ends quietly at a gzip member cut short: bytes read past the last whole record
        # mean the file was truncated (a crawl interrupted, a partial download).
        if counted.read_bytes > records.offset:
            yield Item(source, f"after record {index}", error=_TRUNCATED)
    except ArchiveLoadFailed as exc:
        yield Item(source, f"after record {index}", error=f"not a readable WARC file ({exc})")
    except Exception as exc:  # warcio raises assorted errors on malformed headers; the run goes on
        reason = f"WARC file is truncated or corrupt ({type(exc).__name__}: {exc})"
        yield Item(source, f"after record {index}", error=reason)


def _item(record: object, source: str, index: int) -> Item:
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    date = headers.get_header("WARC-Date")
    label = f"record {index}" + (f" {url}" if url else "")
    http = record.http_headers  # type: ignore[attr-defined]
    status = http.get_statuscode() if http is not None else None
    content_type = http.get_header("Content-Type") if http is not None else None
    refused = refusal(source, label, url, status, content_type)
    if refused is not None:
        return refused
    data = record.content_stream().read(MAX_RECORD_BYTES + 1)  # type: ignore[attr-defined]
    if getattr(record.raw_stream, "limit", 0) and len(data) <= MAX_RECORD_BYTES:  # type: ignore[attr-defined]
        return Item(source, label, url=url, error=_TRUNCATED)  # bytes the header promised are missing
    return response_item(source, label, url, date, data)


def refusal(
    source: str, label: str, url: str | None, status: str | int | None, content_type: str | None
) -> Item | None:
    """A skipped Item when an HTTP response is not an article page to read (not 200, not HTML)."""
    if status and str(status) != "200":
        return Item(source, label, url=url, error=f"HTTP status {status}", skip=True)
    content_type = (content_type or "").lower()
    if content_type and "html" not in content_type:
        return Item(source, label, url=url, error=f"not an HTML page ({content_type})", skip=True)
    return None


def response_item(source: str, label: str, url: str | None, date: str | None, data: bytes) -> Item:
    """The Item of an HTML page fetched from ``url`` at ``date`` (ISO 8601): how a WARC's response
    record is read, and how ``onrecord watch`` reads the page it just fetched and archived, so the
    archive read back gives the same inputs."""
    if len(data) > MAX_RECORD_BYTES:
        return Item(source, label, url=url, error=f"page larger than {MAX_RECORD_BYTES} bytes", skip=True)
    return Item(
        source,
        label,
        data=data,
        kind="html",
        url=url,
        published=date[:10] if date else None,
        published_source="inferred" if date else None,
    )
