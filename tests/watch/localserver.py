"""A small threaded HTTP server on 127.0.0.1 for the watch tests: routes set per test, requests recorded.

    server.route("/feed.xml", Reply(200, feed_v1))                 # the same reply every time
    server.route("/page", Reply(500), Reply(200, b"ok"))           # in turn; the last one repeats
    server.route("/echo", lambda request: Reply(200, request.headers["user-agent"].encode()))
    server.reply("/robots.txt", body="User-agent: *\\nDisallow: /private/\\n")
    fetch(server.url("/page")); assert server.requests_to("/page")[1].time - ... >= 1.0

A route registered again replaces the old one (and restarts its sequence), so a test can change a
feed between two watch rounds. A path never registered answers 404. Paths match with their query
first, then without it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass(frozen=True)
class Reply:
    """A canned response. ``chunk_size``/``chunk_delay`` drip the body; ``chunked`` sends it with
    Transfer-Encoding: chunked and no length; ``content_length`` sends a length other than the
    body's (a lie, to test caps); ``delay`` waits before the status line."""

    status: int = 200
    body: bytes | str = b""
    headers: Sequence[tuple[str, str]] | dict[str, str] = ()
    delay: float = 0.0
    chunk_size: int = 0
    chunk_delay: float = 0.0
    chunked: bool = False
    content_length: int | None = None

    @property
    def data(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body

    def header_pairs(self) -> list[tuple[str, str]]:
        return list(self.headers.items()) if isinstance(self.headers, dict) else list(self.headers)


@dataclass(frozen=True)
class Request:
    """One request as the server saw it; ``time`` is time.monotonic() on arrival."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    time: float

    @property
    def host(self) -> str:
        """The Host header without its port ("127.0.0.1", "localhost")."""
        return self.headers.get("host", "").rsplit(":", 1)[0]


Handler = Callable[[Request], Reply]


@dataclass
class _Route:
    replies: list[Reply | Handler]
    served: int = 0

    def take(self) -> Reply | Handler:
        item = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return item


@dataclass
class LocalServer:
    """The server; start it with ``with LocalServer() as server`` or the ``local_server`` fixture."""

    requests: list[Request] = field(default_factory=list)
    _routes: dict[str, _Route] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> Self:
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not started"
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """An http URL of this server; ``host="localhost"`` gives a second host name for it."""
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply | Handler) -> None:
        """Answer ``path`` with these replies in turn (the last one repeats); replaces an old route."""
        if not replies:
            raise ValueError("give at least one Reply or handler")
        with self._lock:
            self._routes[path] = _Route(list(replies))

    def reply(self, path: str, status: int = 200, body: bytes | str = b"", **options: Any) -> None:
        """Shorthand for ``route(path, Reply(status, body, **options))``."""
        self.route(path, Reply(status, body, **options))

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.route(path, Reply(status, headers={"Location": to}))

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    def clear(self) -> None:
        """Forget every route and every recorded request."""
        with self._lock:
            self._routes.clear()
            self.requests.clear()

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path or r.path.split("?", 1)[0] == path]

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self._routes.get(request.path) or self._routes.get(request.path.split("?", 1)[0])
            item = route.take() if route is not None else Reply(404, b"not found")
        return item if isinstance(item, Reply) else item(request)  # a handler runs outside the lock


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler still dripping a body does not hold up the end of a test

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is normal here
            super().handle_error(request, client_address)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, as real servers do
        disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall

        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply = server._answer(Request("GET", self.path, headers, time.monotonic()))
            try:
                self._write(reply)
            except ConnectionError:
                self.close_connection = True  # the client hung up (a cap or a time-out): fine

        def _write(self, reply: Reply) -> None:
            time.sleep(reply.delay)
            body = reply.data
            self.send_response(reply.status)
            pairs = reply.header_pairs()
            for name, value in pairs:
                self.send_header(name, value)
            names = {name.lower() for name, _ in pairs}
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif "content-length" not in names:
                length = len(body) if reply.content_length is None else reply.content_length
                self.send_header("Content-Length", str(length))
            if reply.content_length is not None:
                self.close_connection = True  # the length was a lie: this connection cannot be reused
            self.end_headers()
            size = reply.chunk_size or max(1, len(body))
            for start in range(0, len(body), size):
                time.sleep(reply.chunk_delay)
                piece = body[start : start + size]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if reply.chunked else piece)
                self.wfile.flush()
            if reply.chunked:
                self.wfile.write(b"0\r\n\r\n")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    return _Handler
