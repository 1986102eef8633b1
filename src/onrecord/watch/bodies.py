"""Response bodies for ``onrecord.watch.fetch``: raw bytes in, decoded bytes out, under the caps.

A body is read as it arrives and decoded here (gzip, deflate), never holding more than the cap: a
decompression bomb stops at the cap plus one byte. A watchdog shuts the socket at the response's
deadline, so a server dripping a byte a second cannot hold a fetch past its time cap.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any

import httpx

MOVED_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


class Overflow(Exception):
    """The decoded body passed the cap."""


class Decoder:
    """Undoes one Content-Encoding as bytes arrive, never holding more than ``cap`` decoded bytes."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.encoding = encoding
        self._cap = cap
        self._out = bytearray()
        self._head = b""  # deflate: the first bytes, until the zlib-or-raw choice can be made
        self._zlib: zlib._Decompress | None = None

    def feed(self, data: bytes) -> None:
        if self.encoding == "identity":
            self._keep(data)
            return
        if self._zlib is None:
            data, self._head = self._head + data, b""
            if self.encoding == "deflate" and len(data) < 2:
                self._head = data
                return
            self._zlib = zlib.decompressobj(wbits(self.encoding, data))
        while data:
            # max_length bounds each step's output, so a bomb never inflates past cap + 1 bytes.
            self._keep(self._zlib.decompress(data, self._cap - len(self._out) + 1))
            data = self._zlib.unconsumed_tail

    def finish(self) -> bytes:
        if self._head:
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._keep(self._zlib.decompress(self._head, self._cap + 1))
        if self._zlib is not None:
            self._keep(self._zlib.flush())
        return bytes(self._out)

    def partial(self) -> bytes:
        return bytes(self._out)

    def _keep(self, data: bytes) -> None:
        room = self._cap - len(self._out)
        self._out += data[:room]
        if len(data) > room:
            raise Overflow


def wbits(encoding: str, head: bytes) -> int:
    if encoding in ("gzip", "x-gzip"):
        return 16 + zlib.MAX_WBITS
    # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: look at the header.
    wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    failure: str | None = None
    truncated: str | None = None
    retryable: bool = False


def read_body(response: httpx.Response, cap: int, keep_partial: bool, watchdog: Watchdog) -> Body:
    """Stream the raw body under the size cap (``keep_partial``: past it, keep what came rather than
    fail) and the time cap, and decode it."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    if response.is_stream_consumed:  # a test transport's ready-made response, already decoded
        encoding, chunks = "identity", iter([response.content])
    else:
        chunks = response.iter_raw()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        return Body(b"", f"unsupported Content-Encoding {encoding}", "unspecified")
    too_big = f"response larger than the {cap:,}-byte cap"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap and not keep_partial:
        return Body(b"", f"{too_big} (Content-Length: {int(declared):,})", "length")
    decoder = Decoder(encoding, cap)
    received = 0
    try:
        for chunk in chunks:
            received += len(chunk)
            decoder.feed(chunk[: len(chunk) - max(0, received - cap)])
            if received > cap:
                return Body(decoder.partial(), None if keep_partial else too_big, "length")
            if time.monotonic() > watchdog.deadline:
                return Body(decoder.partial(), watchdog.message, "time")
        return Body(decoder.finish())
    except Overflow:
        if keep_partial:
            return Body(decoder.partial(), None, "length")
        # Not kept: the first megabytes of a bomb are worthless in the archive and a copy costs memory.
        return Body(b"", f"{encoding} expands past the {cap:,}-byte cap (decompression bomb?)", "length")
    except zlib.error as exc:
        return Body(decoder.partial(), f"{encoding} body is corrupt ({exc})", "unspecified")
    except httpx.TransportError as exc:
        if watchdog.fired:
            return Body(decoder.partial(), watchdog.message, "time")
        return Body(decoder.partial(), f"connection broke mid-body ({one_line(exc)})", "disconnect", True)


def archived_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """Response headers as received, with the ones the decoded body no longer matches set aside."""
    kept: list[tuple[str, str]] = []
    moved: list[tuple[str, str]] = []
    for name_bytes, value_bytes in raw:
        name, value = name_bytes.decode("latin-1"), value_bytes.decode("latin-1")
        if name.lower() in MOVED_HEADERS:
            moved.append((f"X-Onrecord-Original-{name.title()}", value))
        else:
            kept.append((name, value))
    return kept + moved


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


# --- Time cap -----------------------------------------------------------------------------------


class Watchdog:
    """Ends a response at its deadline by shutting its socket, so that no read outlives the cap.

    httpx's time-outs bound each read, not the whole response: a server that drips a byte a second
    would never trip them. The socket is learnt from httpcore's trace hook as soon as a connection
    opens, and from the response once headers are in (for a connection reused from the pool).
    """

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.message = f"no whole response within {seconds:g} s"
        self.fired = False
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._done = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self._hold(info.get("return_value"))

    def watch(self, response: httpx.Response) -> None:
        self._hold(response.extensions.get("network_stream"))

    def cancel(self) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()

    def _hold(self, stream: Any) -> None:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._socket = sock

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            if self._socket is not None:
                with contextlib.suppress(OSError):  # already closed: nothing left to stop
                    self._socket.shutdown(socket.SHUT_RDWR)
