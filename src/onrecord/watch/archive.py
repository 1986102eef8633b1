"""Archive what was fetched: HTTP exchanges -> rotating WARC/1.1 files that ``onrecord ingest`` reads back.

Each exchange becomes a request record and a response record (gzip per record, each naming the
other in WARC-Concurrent-To), written with warcio. The response's HTTP block carries the decoded
body with a Content-Length to match; a Content-Encoding or Transfer-Encoding header still present
(the body is decoded, so they no longer hold) is kept renamed ``X-Onrecord-Original-<Name>``.

Files: ``{prefix}-{YYYYMMDDHHMMSS}-{serial:05d}-{pid}.warc.gz`` in the folder, the time the file was
opened (UTC), a serial counted across the process and the process id. Names sort in write order
within a process and never collide: a file is created exclusively, so an archive never appends to
a file an earlier process (or another archive) wrote. A new file starts when the next exchange
would take the current one past ``max_bytes`` (one exchange larger than that gets a file of its
own) or when the UTC day changes; each file opens with a warcinfo record.

Crash safety: an exchange's two records are built in memory and appended with one write, so a
process killed at any point leaves whole records (at most the last exchange cut short, which
``ingest`` reports as a truncated file). A write that fails (a full disk) is cut back off the file.
Writes are serialised by a lock: the watcher may call ``write`` from several threads.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from onrecord.watch.fetch import Exchange

SUFFIX = ".warc.gz"
WARC_VERSION = "1.1"
_WARC_SPEC = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
_UNSAFE = re.compile(r"[\r\n\x00]+")  # a header may not break its line
_SERIALS = itertools.count(1)  # across the process: two archives in one folder never pick one name
_SERIALS_LOCK = threading.Lock()


def utc_now() -> datetime:
    return datetime.now(UTC)


class WarcArchive:
    """Appends HTTP exchanges to rotating WARC files in a folder; a context manager.

    Args:
        folder: where the files go (created when missing).
        prefix: the start of every file name.
        max_bytes: the size past which the next exchange starts a new file.
        operator: who runs the crawl (a name, an email address), written in each warcinfo record.
        now: the clock, for file names, warcinfo dates and the daily rotation (tests pass a fake).
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        prefix: str = "onrecord",
        max_bytes: int = 1_000_000_000,
        operator: str | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.operator = operator
        self._now = now
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._day: date | None = None
        self._size = 0
        self._exchanges = 0  # in the current file
        self._closed = False

    @property
    def current(self) -> Path | None:
        """The file being written, None before the first write and after ``close``."""
        return self._path

    def write(self, exchange: Exchange) -> tuple[str, int]:
        """Append one exchange: a request record, then a response record.

        Returns:
            The file's path and the offset in it where the response record starts.
        """
        data, response_at = exchange_records(exchange)  # built outside the lock: threads overlap
        with self._lock:
            if self._closed:
                raise ValueError("the WARC archive is closed; open a new WarcArchive to write more")
            self._make_room(len(data))
            assert self._file is not None and self._path is not None
            offset = self._size
            _append(self._file, data, offset)
            self._size += len(data)
            self._exchanges += 1
            return str(self._path), offset + response_at

    def close(self) -> None:
        """Finish the current file (flushed to disk); later writes raise."""
        with self._lock:
            self._close_file()
            self._closed = True

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _make_room(self, incoming: int) -> None:
        """Rotate when the day changed or ``incoming`` bytes would pass max_bytes; open if needed."""
        moment = _utc(self._now())
        if self._file is not None and (
            moment.date() != self._day or (self._exchanges and self._size + incoming > self.max_bytes)
        ):
            self._close_file()
        if self._file is None:
            self._open(moment)

    def _open(self, moment: datetime) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_BINARY", 0)
        while True:
            with _SERIALS_LOCK:
                serial = next(_SERIALS)
            name = f"{self.prefix}-{moment:%Y%m%d%H%M%S}-{serial:05d}-{os.getpid()}{SUFFIX}"
            try:
                descriptor = os.open(self.folder / name, flags, 0o644)
            except FileExistsError:  # another process with a recycled pid, in the same second
                continue
            break
        file = os.fdopen(descriptor, "ab", buffering=0)
        try:
            info = warcinfo_record(name, moment, self.operator)
            _append(file, info, 0)
        except BaseException:
            file.close()
            (self.folder / name).unlink(missing_ok=True)  # an empty file, not one without warcinfo
            raise
        self._file, self._path, self._day = file, self.folder / name, moment.date()
        self._size, self._exchanges = len(info), 0

    def _close_file(self) -> None:
        if self._file is None:
            return
        try:
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
            self._file = None
            self._path = None


def _append(file: BinaryIO, data: bytes, size: int) -> None:
    """Append ``data`` whole, or cut the file back to ``size`` and raise."""
    view = memoryview(data)
    try:
        while view:
            written = file.write(view)
            view = view[written:]
    except OSError:
        os.ftruncate(file.fileno(), size)
        raise


# -- records -----------------------------------------------------------------------------------


def exchange_records(exchange: Exchange) -> tuple[bytes, int]:
    """An exchange's request and response records, gzipped; and where the response starts."""
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
    common = {"WARC-Date": _warc_date(exchange.fetched_at)}
    if exchange.ip:
        common["WARC-IP-Address"] = exchange.ip
    request = writer.create_warc_record(
        exchange.url, "request", payload=io.BytesIO(b""), length=0,
        http_headers=_request_head(exchange), warc_headers_dict=dict(common),
    )  # fmt: skip
    response_headers = dict(common)
    if exchange.truncated:
        response_headers["WARC-Truncated"] = exchange.truncated
    response = writer.create_warc_record(
        exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
        http_headers=_response_head(exchange), warc_headers_dict=response_headers,
    )  # fmt: skip
    request_id = request.rec_headers.get_header("WARC-Record-ID")
    response_id = response.rec_headers.get_header("WARC-Record-ID")
    request.rec_headers.add_header("WARC-Concurrent-To", response_id)
    response.rec_headers.add_header("WARC-Concurrent-To", request_id)
    writer.write_record(request)
    response_at = buffer.tell()
    writer.write_record(response)
    return buffer.getvalue(), response_at


def warcinfo_record(filename: str, moment: datetime, operator: str | None) -> bytes:
    """The warcinfo record that opens a file: the software, the format, the robots policy."""
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
    info = {
        "software": _software(),
        "format": f"WARC File Format {WARC_VERSION}",
        "conformsTo": _WARC_SPEC,
        "robots": "obey",
        "operator": operator,  # warcio leaves out empty fields
    }
    record = writer.create_warcinfo_record(filename, info)
    record.rec_headers.replace_header("WARC-Date", _warc_date(moment))
    writer.write_record(record)
    return buffer.getvalue()


def _request_head(exchange: Exchange) -> Any:
    from warcio.statusandheaders import StatusAndHeaders

    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [(_clean(name), _clean(value)) for name, value in exchange.request_headers]
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    version = exchange.http_version or "HTTP/1.1"
    return StatusAndHeaders(f"{exchange.method} {target} {version}", headers, protocol="")


def _response_head(exchange: Exchange) -> Any:
    from warcio.statusandheaders import StatusAndHeaders

    # The fetcher set aside the headers that no longer describe the decoded body (Content-Length
    # among them, as X-Onrecord-Original-*): the body's own length is added here.
    headers = [(_clean(name), _clean(value)) for name, value in exchange.response_headers]
    headers.append(("Content-Length", str(len(exchange.body))))
    reason = exchange.reason or _phrase(exchange.status)
    status = f"{exchange.status} {reason}".strip()
    return StatusAndHeaders(status, headers, protocol=exchange.http_version or "HTTP/1.1")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _clean(text: str) -> str:
    return _UNSAFE.sub(" ", text).strip()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _warc_date(moment: datetime) -> str:
    """WARC/1.1's date: UTC, to the microsecond when there is one ("2024-01-02T03:04:05.123456Z")."""
    utc = _utc(moment)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{utc.microsecond:06d}Z" if utc.microsecond else f"{stamp}Z"


def _software() -> str:
    from onrecord import __version__

    return f"onrecord/{__version__}"
