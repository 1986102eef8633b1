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
    if http is not None:
        status = http.get_statuscode()
        content_type = (http.get_header("Content-Type") or "").lower()
        if status and status != "200":
            return Item(source, label, url=url, error=f"HTTP status {status}", skip=True)
        if content_type and "html" not in content_type:
            return Item(source, label, url=url, error=f"not an HTML page ({content_type})", skip=True)
    data = record.content_stream().read(MAX_RECORD_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_RECORD_BYTES:
        return Item(source, label, url=url, error=f"page larger than {MAX_RECORD_BYTES} bytes", skip=True)
    if getattr(record.raw_stream, "limit", 0):  # type: ignore[attr-defined]
        return Item(source, label, url=url, error=_TRUNCATED)  # bytes the header promised are missing
    return Item(
        source,
        label,
        data=data,
        kind="html",
        url=url,
        published=date[:10] if date else None,
        published_source="inferred" if date else None,
    )
