"""The polite fetcher against a local server: robots.txt, redirects, retries, caps, rate limits, addresses."""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from onrecord.watch import fetch as fetch_module
from onrecord.watch.fetch import Fetched, Fetcher, FetchPolicy

from .localserver import LocalServer, Reply, Request

# Every test allows loopback (the server lives there) and keeps retries and backoff short.
FAST = FetchPolicy(allow_private=True, per_host_interval=0.0, backoff=0.01, retries=2, max_seconds=5.0)

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Nothing in this file may connect or resolve a name beyond the loopback interface."""
    connected: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise OSError(f"test guard: {address[0]} is not a loopback address")
            connected.append(address[0])
        real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise socket.gaierror(f"test guard: no name lookups ({host})") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return connected


@pytest.fixture
def make_fetcher() -> Iterator[MakeFetcher]:
    """Fetcher(FAST with these changes), closed after the test."""
    made: list[Fetcher] = []

    def make(**changes: Any) -> Fetcher:
        made.append(Fetcher(replace(FAST, **changes)))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher: MakeFetcher) -> Fetcher:
    return make_fetcher()


def paths(server: LocalServer) -> list[str]:
    return [request.path for request in server.requests]


# --- The plain case -----------------------------------------------------------------------------


def test_plain_page(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/story", body="<p>Said.</p>", headers={"Content-Type": "text/html", "ETag": '"a1"'})
    got = fetcher.fetch(local_server.url("/story"))
    assert got.error is None
    assert (got.status, got.body, got.final_url) == (200, b"<p>Said.</p>", got.url)
    assert got.headers["content-type"] == "text/html"
    assert got.etag == '"a1"'
    robots, page = got.exchanges
    assert robots.url.endswith("/robots.txt") and robots.status == 404
    assert got.robots_exchanges == [robots] and got.hops == [page]
    assert (page.method, page.status, page.reason, page.http_version) == ("GET", 200, "OK", "HTTP/1.1")
    assert page.ip == "127.0.0.1" and page.fetched_at.tzinfo is UTC
    sent = dict(page.request_headers)
    assert sent["Accept-Encoding"] == "gzip, deflate" and "text/html" in sent["Accept"]
    assert ("X-Onrecord-Original-Content-Length", "12") in page.response_headers
    assert "content-length" not in got.headers


def test_a_missing_page_is_an_error_with_its_status(local_server: LocalServer, fetcher: Fetcher) -> None:
    got = fetcher.fetch(local_server.url("/gone"))
    assert (got.status, got.error, got.body) == (404, "HTTP 404 Not Found", b"")
    assert got.exchanges[-1].body == b"not found"  # still archived as received


# --- robots.txt ---------------------------------------------------------------------------------


def test_robots_disallows_a_path(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    local_server.reply("/private/memo", body="secret")
    local_server.reply("/public", body="open")
    refused = fetcher.fetch(local_server.url("/private/memo"))
    assert refused.error == "robots.txt disallows /private/memo for onrecord"
    assert refused.status is None and len(refused.robots_exchanges) == 1
    allowed = fetcher.fetch(local_server.url("/public"))
    assert allowed.error is None and allowed.robots_exchanges == []  # read once, archived once
    assert paths(local_server) == ["/robots.txt", "/public"]


def test_robots_404_allows_everything(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/private/memo", body="fine")
    assert fetcher.fetch(local_server.url("/private/memo")).body == b"fine"


def test_robots_500_refuses_the_site_for_now(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/robots.txt", status=500)
    local_server.reply("/story", body="x")
    got = fetcher.fetch(local_server.url("/story"))
    assert got.error is not None and "robots.txt answered HTTP 500" in got.error
    assert "disallowed" in got.error and "/story" not in paths(local_server)
    assert [e.status for e in got.robots_exchanges] == [500]


def test_robots_read_once_by_many_threads(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", delay=0.2))
    local_server.reply("/story", body="x")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fetcher.fetch, [local_server.url("/story")] * 4))
    assert all(r.error is None for r in results)
    assert paths(local_server).count("/robots.txt") == 1
    assert sum(len(r.robots_exchanges) for r in results) == 1


def test_robots_for_our_agent_and_its_crawl_delay(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    rules = "User-agent: onrecord\nDisallow: /drafts/\nCrawl-delay: 0.3\n\nUser-agent: *\nDisallow: /\n"
    local_server.reply("/robots.txt", body=rules)
    local_server.reply("/a", body="a")
    fetcher = make_fetcher(per_host_interval=0.01)
    assert fetcher.fetch(local_server.url("/a")).error is None
    assert fetcher.fetch(local_server.url("/a")).error is None
    assert fetcher.fetch(local_server.url("/drafts/x")).error == "robots.txt disallows /drafts/x for onrecord"
    first, second = (r.time for r in local_server.requests_to("/a"))
    assert second - first >= 0.29


def test_robots_txt_may_redirect(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.redirect("/robots.txt", "/static/robots.txt", status=301)
    local_server.reply("/static/robots.txt", body="User-agent: *\nDisallow: /x\n")
    assert fetcher.fetch(local_server.url("/x")).error == "robots.txt disallows /x for onrecord"


def test_a_huge_robots_txt_is_read_up_to_500_kib(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/robots.txt", body="User-agent: *\nDisallow: /x\n" + "# padding\n" * 60_000)
    assert fetcher.fetch(local_server.url("/x")).error == "robots.txt disallows /x for onrecord"


def test_exchanges_are_in_the_order_they_happened(local_server: LocalServer, fetcher: Fetcher) -> None:
    # A redirect to another host reads that host's robots.txt between the two hops.
    local_server.redirect("/a", local_server.url("/b", "localhost"))
    local_server.reply("/b", body="b")
    got = fetcher.fetch(local_server.url("/a"))
    assert [e.url for e in got.exchanges] == [
        local_server.url("/robots.txt"),
        local_server.url("/a"),
        local_server.url("/robots.txt", "localhost"),
        local_server.url("/b", "localhost"),
    ]
    assert [e.url for e in got.hops] == [local_server.url("/a"), local_server.url("/b", "localhost")]


def test_robots_can_be_skipped(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/robots.txt", body="User-agent: *\nDisallow: /\n")
    local_server.reply("/x", body="x")
    assert fetcher.fetch(local_server.url("/x"), robots=False).body == b"x"
    assert paths(local_server) == ["/x"]


# --- Redirects ----------------------------------------------------------------------------------


def test_redirect_chain_keeps_every_hop(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.redirect("/old", local_server.url("/moved"), status=301)
    local_server.redirect("/moved", "final?from=moved", status=302)  # relative, resolved against /moved
    local_server.reply("/final", body="here")
    got = fetcher.fetch(local_server.url("/old"))
    assert got.error is None and got.body == b"here"
    assert got.final_url == local_server.url("/final?from=moved")
    assert [(e.url, e.status) for e in got.hops] == [
        (local_server.url("/old"), 301),
        (local_server.url("/moved"), 302),
        (local_server.url("/final?from=moved"), 200),
    ]


def test_redirect_loop(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.redirect("/a", "/b")
    local_server.redirect("/b", "/a")
    got = fetcher.fetch(local_server.url("/a"))
    a, b = local_server.url("/a"), local_server.url("/b")
    assert got.error == f"redirect loop: {a} → {b} → {a}"
    assert len(got.hops) == 2 and got.status == 302


def test_too_many_redirects(local_server: LocalServer, make_fetcher: MakeFetcher) -> None:
    for n in range(1, 5):
        local_server.redirect(f"/r{n}", f"/r{n + 1}")
    got = make_fetcher(max_redirects=2).fetch(local_server.url("/r1"))
    assert got.error is not None and got.error.startswith("more than 2 redirects: ")
    assert len(got.hops) == 3 and "/r4" not in paths(local_server)


def test_redirect_to_a_file_url_is_refused(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.redirect("/sneaky", "file:///etc/passwd")
    got = fetcher.fetch(local_server.url("/sneaky"))
    assert got.error == "refused: file: URLs are not fetched (only http and https)"


def test_every_hop_is_checked_against_robots(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    local_server.redirect("/go", "/private/memo")
    got = fetcher.fetch(local_server.url("/go"))
    assert got.error == "robots.txt disallows /private/memo for onrecord"
    assert "/private/memo" not in paths(local_server)


# --- Retries ------------------------------------------------------------------------------------


def test_429_retry_after_is_honoured(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/busy", Reply(429, headers={"Retry-After": "1"}), Reply(200, "now"))
    got = fetcher.fetch(local_server.url("/busy"))
    assert (got.error, got.body, got.retries) == (None, b"now", 1)
    first, second = (r.time for r in local_server.requests_to("/busy"))
    assert second - first >= 0.98
    assert [e.status for e in got.hops] == [429, 200]  # the refusal is archived too


def test_retry_after_too_long_skips_the_host(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/busy", status=503, headers={"Retry-After": "3600"})
    local_server.reply("/other", body="x")
    started = time.monotonic()
    got = fetcher.fetch(local_server.url("/busy"))
    assert got.error == "asks to wait 3600 s (Retry-After), more than 120 s: skipped this round"
    later = fetcher.fetch(local_server.url("/other"))  # the same host: not asked while it waits
    assert later.error is not None and "asked to wait" in later.error and "skipped this round" in later.error
    assert time.monotonic() - started < 1 and "/other" not in paths(local_server)


def test_retry_after_as_an_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wait = fetch_module._retry_after(when)
    assert wait is not None and 28 <= wait <= 30
    assert fetch_module._retry_after("soon") is None


def test_500_then_success(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.route("/flaky", Reply(500), Reply(502), Reply(200, "ok"))
    got = fetcher.fetch(local_server.url("/flaky"))
    assert (got.error, got.body, got.retries) == (None, b"ok", 2)


def test_500_forever(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/broken", status=500)
    got = fetcher.fetch(local_server.url("/broken"))
    assert got.error == "HTTP 500 after 2 retries"
    assert got.status == 500 and len(local_server.requests_to("/broken")) == 3


def test_connection_refused_is_retried_then_reported(fetcher: Fetcher) -> None:
    with socket.socket() as placeholder:  # a port nobody listens on
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    got = fetcher.fetch(f"http://127.0.0.1:{port}/", robots=False)
    assert got.error is not None and got.error.startswith("connection to 127.0.0.1 failed")
    assert got.error.endswith("after 2 retries") and got.status is None and got.exchanges == []


# --- Caps ---------------------------------------------------------------------------------------


def test_a_dripping_response_ends_at_the_time_cap(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    local_server.reply("/drip", body=b"x" * 100, chunk_size=1, chunk_delay=0.1)
    started = time.monotonic()
    got = make_fetcher(max_seconds=1.0).fetch(local_server.url("/drip"), robots=False)
    assert got.error == "no whole response within 1 s"
    assert 0.9 <= time.monotonic() - started < 1.5
    assert got.exchanges[-1].truncated == "time"


def test_a_stalled_body_ends_at_the_deadline_not_a_read_later(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    # Headers after 0.6 s, then silence: a per-read time-out alone would end this at 1.6 s.
    local_server.reply("/stall", body=b"x" * 10, delay=0.6, chunk_size=5, chunk_delay=3.0)
    started = time.monotonic()
    got = make_fetcher(max_seconds=1.0).fetch(local_server.url("/stall"), robots=False)
    assert got.error == "no whole response within 1 s"
    assert time.monotonic() - started < 1.4


def test_size_cap_from_content_length(local_server: LocalServer, make_fetcher: MakeFetcher) -> None:
    local_server.reply("/huge", body=b"x" * 10, content_length=50_000_000)
    got = make_fetcher(max_bytes=1000).fetch(local_server.url("/huge"), robots=False)
    assert got.error == "response larger than the 1,000-byte cap (Content-Length: 50,000,000)"


def test_size_cap_while_streaming_a_chunked_body(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    local_server.reply("/long", body=b"y" * 5000, chunked=True, chunk_size=500)
    got = make_fetcher(max_bytes=1000).fetch(local_server.url("/long"), robots=False)
    assert got.error == "response larger than the 1,000-byte cap"
    assert got.exchanges[-1].truncated == "length" and len(got.exchanges[-1].body) == 1000


def test_a_20_mb_page_stops_at_the_default_10_mb_cap(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    local_server.reply("/20mb", body=b"z" * 20_000_000, chunked=True, chunk_size=1_000_000)
    cap = FetchPolicy().max_bytes
    got = make_fetcher(max_bytes=cap).fetch(local_server.url("/20mb"), robots=False)
    assert got.error == "response larger than the 10,000,000-byte cap" and got.body == b""
    assert len(got.exchanges[-1].body) == cap and got.exchanges[-1].truncated == "length"


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """50 MB of zeros gzipped to about 50 KB, compressed a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    megabyte = bytes(1_000_000)
    return b"".join(packer.compress(megabyte) for _ in range(50)) + packer.flush()


def test_gzip_bomb_is_refused_in_little_memory(
    local_server: LocalServer, make_fetcher: MakeFetcher, gzip_bomb: bytes
) -> None:
    assert len(gzip_bomb) < 100_000
    local_server.reply("/bomb", body=gzip_bomb, headers={"Content-Encoding": "gzip"})
    fetcher = make_fetcher(max_bytes=1_000_000)
    tracemalloc.start()
    try:
        got = fetcher.fetch(local_server.url("/bomb"), robots=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got.error == "gzip expands past the 1,000,000-byte cap (decompression bomb?)"
    assert peak < 8_000_000


def test_gzip_is_decoded(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/gz", body=gzip.compress(b"<rss/>" * 1000), headers={"Content-Encoding": "gzip"})
    got = fetcher.fetch(local_server.url("/gz"))
    assert got.body == b"<rss/>" * 1000
    assert ("X-Onrecord-Original-Content-Encoding", "gzip") in got.exchanges[-1].response_headers
    assert "content-encoding" not in got.headers


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib-wrapped", "raw"])
def test_deflate_is_decoded_wrapped_or_raw(local_server: LocalServer, fetcher: Fetcher, wbits: int) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    local_server.reply(
        "/df",
        body=packer.compress(b"<p>deflated</p>") + packer.flush(),
        headers={"Content-Encoding": "deflate"},
    )
    assert fetcher.fetch(local_server.url("/df")).body == b"<p>deflated</p>"


def test_an_unadvertised_encoding_is_an_error(local_server: LocalServer, fetcher: Fetcher) -> None:
    local_server.reply("/br", body=b"\x1b\x00", headers={"Content-Encoding": "br"})
    assert fetcher.fetch(local_server.url("/br")).error == "unsupported Content-Encoding br"


# --- Conditional GET ----------------------------------------------------------------------------


def test_conditional_get_304(local_server: LocalServer, fetcher: Fetcher) -> None:
    stamp = "Wed, 02 Dec 2026 10:00:00 GMT"

    def feed(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, "<rss/>", headers={"ETag": '"v1"', "Last-Modified": stamp})

    local_server.route("/feed.xml", feed)
    first = fetcher.fetch(local_server.url("/feed.xml"))
    assert (first.etag, first.last_modified, first.not_modified) == ('"v1"', stamp, False)
    again = fetcher.fetch(local_server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.not_modified, again.error, again.body) == (304, True, None, b"")
    assert (again.etag, again.last_modified) == ('"v1"', stamp)  # kept when the 304 omits one
    sent = local_server.requests_to("/feed.xml")[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == stamp


# --- Rate limits --------------------------------------------------------------------------------


def test_per_host_interval_across_threads_but_hosts_in_parallel(
    local_server: LocalServer, make_fetcher: MakeFetcher
) -> None:
    local_server.reply("/p", body="x")
    fetcher = make_fetcher(per_host_interval=0.2)
    urls = [local_server.url("/p", host) for _ in range(4) for host in ("127.0.0.1", "localhost")]
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fetcher.fetch, urls))
    elapsed = time.monotonic() - started
    assert all(r.error is None for r in results)
    times = {
        host: [r.time for r in local_server.requests if r.host == host] for host in ("127.0.0.1", "localhost")
    }
    for host_times in times.values():
        assert len(host_times) == 5  # robots.txt and four pages, all spaced
        assert min(b - a for a, b in itertools.pairwise(host_times)) >= 0.19
    assert elapsed < 1.5  # one host after the other would take at least 1.6 s


def test_concurrency_caps_requests_in_flight(local_server: LocalServer, make_fetcher: MakeFetcher) -> None:
    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow(request: Request) -> Reply:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.1)
        with lock:
            in_flight[0] -= 1
        return Reply(200, "x")

    local_server.route("/slow", slow)
    fetcher = make_fetcher(concurrency=1)
    urls = [local_server.url("/slow", host) for host in ("127.0.0.1", "localhost")] * 2
    with ThreadPoolExecutor(4) as pool:
        assert all(r.error is None for r in pool.map(lambda u: fetcher.fetch(u, robots=False), urls))
    assert peak[0] == 1


# --- Addresses, schemes, identity ---------------------------------------------------------------


def test_loopback_refused_unless_allowed(local_server: LocalServer, make_fetcher: MakeFetcher) -> None:
    local_server.reply("/x", body="x")
    got = make_fetcher(allow_private=False).fetch(local_server.url("/x"))
    assert got.error == "refused: 127.0.0.1 is a loopback address (use --allow-private)"
    got = make_fetcher(allow_private=False).fetch(local_server.url("/x", "localhost"))
    assert (
        got.error
        == "refused: localhost resolves to 127.0.0.1, which is a loopback address (use --allow-private)"
    )
    assert local_server.requests == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link-local"),
        ("::ffff:192.168.0.1", "private"),
        ("::", "unspecified"),
    ],
)
def test_names_resolving_to_private_addresses_are_refused(
    monkeypatch: pytest.MonkeyPatch, make_fetcher: MakeFetcher, address: str, kind: str
) -> None:
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["93.184.216.34", address])
    got = make_fetcher(allow_private=False).fetch("http://intranet.test/")
    assert (
        got.error
        == f"refused: intranet.test resolves to {address}, which is a {kind} address (use --allow-private)"
    )


def test_the_address_connected_to_is_checked_too(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch, make_fetcher: MakeFetcher
) -> None:
    # DNS said "public" when asked, but the connection went to loopback (DNS rebinding).
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["93.184.216.34"])
    local_server.reply("/x", body="x")
    got = make_fetcher(allow_private=False).fetch(local_server.url("/x"), robots=False)
    assert got.error is not None and got.error.startswith("refused: 127.0.0.1 connected to 127.0.0.1")
    assert got.exchanges == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("file:///etc/passwd", "refused: file: URLs are not fetched (only http and https)"),
        ("ftp://127.0.0.1/x", "refused: ftp: URLs are not fetched (only http and https)"),
        ("/relative", "not an absolute URL: '/relative'"),
        ("http:///nohost", "not a valid URL: 'http:///nohost' has no host"),
    ],
)
def test_bad_urls_are_errors_not_exceptions(fetcher: Fetcher, url: str, error: str) -> None:
    got = fetcher.fetch(url)
    assert (got.error, got.status, got.exchanges) == (error, None, [])


def test_user_agent_and_from_carry_the_contact(local_server: LocalServer, make_fetcher: MakeFetcher) -> None:
    local_server.reply("/x", body="x")
    make_fetcher(contact="desk@news.example").fetch(local_server.url("/x"))
    for request in local_server.requests:  # robots.txt and the page alike
        assert request.headers["user-agent"] == (
            "onrecord/0.1 (+https://github.com/onrecord/onrecord; contact: desk@news.example)"
        )
        assert request.headers["from"] == "desk@news.example"
    local_server.clear()
    local_server.reply("/x", body="x")
    make_fetcher(contact="https://news.example/bots").fetch(local_server.url("/x"), robots=False)
    (request,) = local_server.requests
    assert request.headers["user-agent"].endswith("; contact: https://news.example/bots)")
    assert "from" not in request.headers


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        FetchPolicy(concurrency=0)
    with pytest.raises(ValueError, match="header"):
        FetchPolicy(contact="me@x.example\r\nX-Injected: 1")


def test_requests_never_leave_loopback(
    local_server: LocalServer, fetcher: Fetcher, loopback_only: list[str]
) -> None:
    local_server.reply("/x", body="x")
    assert fetcher.fetch(local_server.url("/x")).error is None
    assert loopback_only and set(loopback_only) == {"127.0.0.1"}
    # The guard itself works: a documentation-range address is stopped before any packet leaves.
    stopped: Fetched = fetcher.fetch("http://192.0.2.1/", robots=False)
    assert stopped.error is not None and "test guard" in stopped.error


def test_a_transport_can_stand_in_for_the_network() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=gzip.compress(b"mocked"), headers={"Content-Encoding": "gzip"})

    with Fetcher(FAST, transport=httpx.MockTransport(answer)) as fetcher:
        got = fetcher.fetch("https://news.example/story")
    assert (got.error, got.body) == (None, b"mocked")
    assert got.exchanges[-1].ip is None and got.exchanges[-1].url == "https://news.example/story"
