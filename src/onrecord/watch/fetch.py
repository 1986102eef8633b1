"""Fetch for ``onrecord watch``: a URL in, its body and every HTTP exchange out (web → Fetched → archive).

The fetcher behaves the way a crawler that runs for months has to: robots.txt (RFC 9309) read once
per site and cached, one request at a time per host, spaced by an interval that a robots
Crawl-delay can raise, retries with exponential backoff and Retry-After, caps on size, time and
decompression, redirects followed by hand so that every hop is checked (scheme, address, robots,
loops), and no loopback, private or link-local address unless the policy allows it.

Nothing raises out of :meth:`Fetcher.fetch`: a failure is one line of plain words in
:attr:`Fetched.error`, beside the exchanges seen so far. Every response received is an
:class:`Exchange` (retried ones too), ready for the WARC archive, in :attr:`Fetched.exchanges` in
the order they happened. That list includes the robots.txt reads the fetch caused (a site's
robots.txt is read by the first fetch that needs it, then cached), so archiving ``exchanges``
archives everything exactly once; :attr:`Fetched.robots_exchanges` names those reads and
:attr:`Fetched.hops` leaves them out.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import httpx

from onrecord.watch.bodies import Body, Watchdog, archived_headers, one_line, read_body
from onrecord.watch.robots import ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS, Rules, crawl_delay, rules_from

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8"
)
# Only what we decode ourselves, under the size cap; br and zstd are never advertised.
ACCEPT_ENCODING = "gzip, deflate"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how defensively to fetch; the size and time limits apply per response.

    Attributes:
        user_agent: product and version with a URL about the bot; robots.txt is matched against
            its first word ("onrecord").
        contact: an email or URL put in the User-Agent; an email is also sent as From.
        per_host_interval: seconds between the end of one request to a host and the next; a
            robots.txt Crawl-delay (or Request-rate) raises it, up to 60 s.
        concurrency: requests in flight overall (one per host at most).
        max_redirects: hops followed after the first request.
        max_bytes: body cap, both as received and once gzip/deflate is undone.
        max_seconds: connect, headers and whole body of one response.
        retries: further attempts after a 429, 500, 502, 503, 504, time-out or broken connection.
        backoff: the first wait between attempts; it doubles each time, plus up to 50 % jitter.
        max_retry_after: a longer Retry-After makes the fetch give up and the host wait.
        allow_private: fetch loopback, private, link-local and reserved addresses (tests, intranets).
    """

    user_agent: str = "onrecord/0.1 (+https://github.com/onrecord/onrecord)"
    contact: str | None = None
    per_host_interval: float = 1.0
    concurrency: int = 8
    max_redirects: int = 5
    max_bytes: int = 10_000_000
    max_seconds: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 120.0
    allow_private: bool = False

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.max_bytes < 1 or self.max_seconds <= 0:
            raise ValueError("concurrency, max_bytes and max_seconds must be positive")
        if min(self.per_host_interval, self.max_redirects, self.retries, self.backoff) < 0:
            raise ValueError("per_host_interval, max_redirects, retries and backoff cannot be negative")
        if not self.user_agent.strip():
            raise ValueError("user_agent cannot be empty")
        for text in (self.user_agent, self.contact or ""):
            if not text.isprintable() or not text.isascii():
                raise ValueError(f"{text!r} cannot go in an HTTP header: use printable ASCII")

    @property
    def user_agent_header(self) -> str:
        """The User-Agent sent: the product and its URL, with the contact inside the comment."""
        if not self.contact:
            return self.user_agent
        if self.user_agent.endswith(")"):
            return f"{self.user_agent[:-1]}; contact: {self.contact})"
        return f"{self.user_agent} (contact: {self.contact})"

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against ("onrecord")."""
        return self.user_agent.split("/", 1)[0].split()[0]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP request and its response (one hop of a redirect chain), as the archive writes it.

    ``response_headers`` are as received, except Content-Encoding, Transfer-Encoding and
    Content-Length, which no longer describe the decoded ``body``: they are kept as
    ``X-Onrecord-Original-<Name>``. ``truncated`` is a WARC-Truncated reason ("length", "time",
    "disconnect", "unspecified") when the body is not whole.
    """

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    ip: str | None
    truncated: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of one fetch: the final response, or ``error`` in one line of plain words."""

    url: str
    final_url: str
    status: int | None
    body: bytes
    headers: dict[str, str]
    exchanges: list[Exchange]  # everything to archive: robots.txt reads and every hop, in order
    not_modified: bool = False
    error: str | None = None
    retries: int = 0
    etag: str | None = None
    last_modified: str | None = None
    robots_exchanges: list[Exchange] = field(default_factory=list)

    @property
    def hops(self) -> list[Exchange]:
        """The exchanges of the URL asked for and its redirects, without robots.txt reads."""
        robots = {id(exchange) for exchange in self.robots_exchanges}
        return [exchange for exchange in self.exchanges if id(exchange) not in robots]


class _Stop(Exception):
    """Ends one fetch; the message becomes ``Fetched.error``."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """The limits of one kind of fetch (a page, or a robots.txt)."""

    max_bytes: int
    max_redirects: int
    retries: int
    robots: bool
    keep_partial: bool  # past the size cap, keep what came (robots.txt) instead of failing


@dataclass(slots=True)
class _Trail:
    """What one fetch has seen so far."""

    url: str
    current: str
    exchanges: list[Exchange] = field(default_factory=list)
    robots_exchanges: list[Exchange] = field(default_factory=list)
    last: Exchange | None = None  # the latest response of the URL or its redirects
    retries: int = 0

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        self.last = exchange

    def add_robots(self, exchanges: list[Exchange]) -> None:
        self.exchanges.extend(exchanges)
        self.robots_exchanges.extend(exchanges)

    def result(self, error: str | None, etag: str | None, last_modified: str | None) -> Fetched:
        last = self.last
        headers = _header_dict(last.response_headers) if last else {}
        status = last.status if last else None
        not_modified = status == 304 and error is None
        if error is None and status is not None and not (200 <= status < 300 or not_modified):
            error = f"HTTP {status} {last.reason if last else ''}".strip()
        return Fetched(
            url=self.url,
            final_url=self.current,
            status=status,
            body=last.body if last and error is None else b"",
            headers=headers,
            exchanges=self.exchanges,
            not_modified=not_modified,
            error=error,
            retries=self.retries,
            etag=headers.get("etag", etag if not_modified else None),
            last_modified=headers.get("last-modified", last_modified if not_modified else None),
            robots_exchanges=self.robots_exchanges,
        )


def _header_dict(pairs: list[tuple[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


# --- URLs and addresses -------------------------------------------------------------------------


def _parse_url(url: str, base: httpx.URL | None = None) -> httpx.URL:
    """An absolute http(s) URL without its fragment, or a refusal."""
    try:
        target = base.join(url) if base is not None else httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise _Stop(f"not a valid URL: {url!r} ({exc})") from None
    if not target.scheme:
        raise _Stop(f"not an absolute URL: {url!r}")
    if target.scheme not in _DEFAULT_PORTS:
        raise _Stop(f"refused: {target.scheme}: URLs are not fetched (only http and https)")
    if not target.host:
        raise _Stop(f"not a valid URL: {url!r} has no host")
    return target.copy_with(fragment=None)


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a seam the tests replace)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise _Stop(f"cannot resolve {host} ({exc})") from None
    return [str(info[4][0]) for info in infos]


def _non_public_kind(address: str) -> str | None:
    """What makes an address off-limits ("loopback", "private", …), or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparsable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    kinds = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, matches in kinds if matches), None)


def _port(url: httpx.URL) -> int:
    return url.port or _DEFAULT_PORTS[url.scheme]


# --- Per-host spacing ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Host:
    interval: float
    next_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(slots=True)
class _Turn:
    hold_for: float = 0.0  # keep the host waiting at least this long after this request (Retry-After)


class _HostGate:
    """One request at a time per host, each starting an interval after the previous one ended."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    def _host(self, name: str) -> _Host:
        with self._lock:
            if name not in self._hosts:
                self._hosts[name] = _Host(self._interval)
            return self._hosts[name]

    def set_interval(self, name: str, seconds: float) -> None:
        host = self._host(name)
        with self._lock:
            host.interval = max(self._interval, seconds)

    @contextmanager
    def turn(self, name: str, max_wait: float) -> Iterator[_Turn]:
        host = self._host(name)
        with host.lock:
            wait = host.next_at - time.monotonic()
            if wait > max(max_wait, host.interval):
                raise _Stop(f"{name} asked to wait {wait:.0f} s more (Retry-After): skipped this round")
            if wait > 0:
                time.sleep(wait)
            turn = _Turn()
            try:
                yield turn
            finally:
                host.next_at = time.monotonic() + max(host.interval, turn.hold_for)


# --- The fetcher --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Outcome:
    exchange: Exchange | None
    failure: str | None = None
    retryable: bool = False


class Fetcher:
    """Fetches pages politely from many threads at once; one per watch run, closed at its end.

    Cookies set by a site are kept for the fetcher's life (some sites redirect until one is sent
    back), and proxies from the environment are ignored so that the address checks hold.

    Args:
        policy: the limits and the identity to fetch with.
        transport: an httpx transport to use instead of the network (tests; the per-response time
            cap then relies on the transport's own time-outs).
    """

    def __init__(
        self, policy: FetchPolicy = FetchPolicy(), *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._policy = policy
        seconds = policy.max_seconds
        headers = {
            "User-Agent": policy.user_agent_header,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if policy.contact and _EMAIL.fullmatch(policy.contact):
            headers["From"] = policy.contact
        self._client = httpx.Client(
            headers=headers,
            follow_redirects=False,
            trust_env=False,
            transport=transport,
            limits=httpx.Limits(
                max_connections=policy.concurrency, max_keepalive_connections=policy.concurrency
            ),
            timeout=httpx.Timeout(
                connect=min(10.0, seconds), read=seconds, write=min(10.0, seconds), pool=seconds
            ),
        )
        self._gate = _HostGate(policy.per_host_interval)
        self._slots = threading.BoundedSemaphore(policy.concurrency)
        self._robots: dict[str, Rules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_guard = threading.Lock()
        self._page_plan = _Plan(policy.max_bytes, policy.max_redirects, policy.retries, True, False)
        self._robots_plan = _Plan(
            min(policy.max_bytes, ROBOTS_MAX_BYTES), ROBOTS_MAX_REDIRECTS, 0, False, True
        )

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, robots: bool = True
    ) -> Fetched:
        """Fetch ``url``, following redirects; never raises for anything the network does.

        Args:
            url: an absolute http(s) URL.
            etag: the ETag from the last fetch, sent as If-None-Match (a 304 sets ``not_modified``).
            last_modified: the Last-Modified from the last fetch, sent as If-Modified-Since.
            robots: check robots.txt for every hop (switch off only for URLs a user named by hand).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        plan = replace(self._page_plan, robots=robots)
        return self._run(url, plan, headers, etag=etag, last_modified=last_modified)

    @property
    def policy(self) -> FetchPolicy:
        return self._policy

    def close(self) -> None:
        """Close the connections (also done on leaving a ``with`` block)."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(
        self, url: str, plan: _Plan, headers: dict[str, str], *, etag: str | None, last_modified: str | None
    ) -> Fetched:
        trail = _Trail(url=url, current=url)
        try:
            self._follow(trail, plan, headers)
        except _Stop as stop:
            logger.debug("%s: %s", url, stop)
            return trail.result(str(stop), etag, last_modified)
        return trail.result(None, etag, last_modified)

    def _follow(self, trail: _Trail, plan: _Plan, headers: dict[str, str]) -> None:
        target = _parse_url(trail.url)
        chain = [str(target)]
        while True:
            trail.current = str(target)
            self._check_hop(target, plan, trail)
            response = self._with_retries(target, plan, headers, trail)
            location = _header_dict(response.response_headers).get("location")
            if response.status not in REDIRECT_STATUSES:
                return
            if not location:
                raise _Stop(f"HTTP {response.status} redirect without a Location header")
            target = _parse_url(location, base=target)
            if str(target) in chain:
                raise _Stop("redirect loop: " + " → ".join([*chain, str(target)]))
            chain.append(str(target))
            if len(chain) > plan.max_redirects + 1:
                raise _Stop(f"more than {plan.max_redirects} redirects: " + " → ".join(chain))

    def _check_hop(self, url: httpx.URL, plan: _Plan, trail: _Trail) -> None:
        if not self._policy.allow_private:
            for address in _resolve(url.raw_host.decode("ascii"), _port(url)):
                if kind := _non_public_kind(address):
                    where = address if address == url.host else f"{url.host} resolves to {address}, which"
                    raise _Stop(f"refused: {where} is a {kind} address (use --allow-private)")
        if plan.robots:
            self._check_robots(url, trail)

    def _check_robots(self, url: httpx.URL, trail: _Trail) -> None:
        rules = self._rules_for(url, trail)
        if rules.refusal:
            raise _Stop(rules.refusal)
        token = self._policy.robots_token
        if rules.parser is not None and not rules.parser.can_fetch(str(url), token):
            path = url.raw_path.decode("ascii")
            raise _Stop(f"robots.txt disallows {path} for {token}")

    def _rules_for(self, url: httpx.URL, trail: _Trail) -> Rules:
        """The site's robots.txt rules, read once per scheme, host and port and then cached."""
        robots_url = str(url.copy_with(path="/robots.txt", query=None))
        with self._robots_guard:
            lock = self._robots_locks.setdefault(robots_url, threading.Lock())
        with lock:  # one thread reads a site's robots.txt; the others wait for its answer
            cached = self._robots.get(robots_url)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            fetched = self._run(robots_url, self._robots_plan, {}, etag=None, last_modified=None)
            trail.add_robots(fetched.exchanges)
            rules = rules_from(robots_url, fetched)
            delay = crawl_delay(rules.parser, self._policy.robots_token) if rules.parser else 0.0
            self._gate.set_interval(url.host, delay)
            self._robots[robots_url] = rules
            return rules

    def _with_retries(self, url: httpx.URL, plan: _Plan, headers: dict[str, str], trail: _Trail) -> Exchange:
        problem = ""
        for attempt in range(plan.retries + 1):
            with self._gate.turn(url.host, self._policy.max_retry_after) as turn:
                with self._slots:
                    outcome = self._send(url, headers, plan)
                if outcome.exchange is not None:
                    trail.add(outcome.exchange)
                if outcome.failure and not outcome.retryable:
                    raise _Stop(outcome.failure)
                status = outcome.exchange.status if outcome.exchange else None
                if outcome.exchange is not None and status not in RETRY_STATUSES:
                    return outcome.exchange
                problem = outcome.failure or f"HTTP {status}"
                turn.hold_for = wait = self._retry_wait(outcome.exchange, attempt)
                if wait > self._policy.max_retry_after:  # only a Retry-After can be this long
                    limit = f"{self._policy.max_retry_after:g}"
                    raise _Stop(
                        f"asks to wait {wait:.0f} s (Retry-After), more than {limit} s: skipped this round"
                    )
            if attempt < plan.retries:
                logger.debug("%s: %s; retrying in %.2f s", url, problem, wait)
                trail.retries += 1
        raise _Stop(f"{problem} after {plan.retries} retries" if plan.retries else problem)

    def _retry_wait(self, exchange: Exchange | None, attempt: int) -> float:
        """Retry-After when the server gave one, else exponential backoff with jitter."""
        wait = _retry_after(_header_dict(exchange.response_headers).get("retry-after")) if exchange else None
        if wait is not None:
            return wait
        jitter = 1 + random.uniform(0, 0.5)  # noqa: S311 - spreads retries out, not a secret
        return min(self._policy.backoff * 2.0**attempt * jitter, self._policy.max_retry_after)

    def _send(self, url: httpx.URL, headers: dict[str, str], plan: _Plan) -> _Outcome:
        """One request and its whole response, under the time cap."""
        watchdog = Watchdog(self._policy.max_seconds)
        sent_at = datetime.now(UTC)
        try:
            extensions = {"trace": watchdog.trace}
            with self._client.stream("GET", url, headers=headers, extensions=extensions) as response:
                watchdog.watch(response)
                ip = self._check_peer(url, response)
                body = read_body(response, plan.max_bytes, plan.keep_partial, watchdog)
                watchdog.cancel()
                exchange = _exchange(url, response, body, sent_at, ip)
                logger.debug("GET %s → %s (%d bytes)", url, response.status_code, len(body.data))
                return _Outcome(exchange, body.failure, body.retryable)
        except httpx.TimeoutException as exc:
            if watchdog.fired:
                return _Outcome(None, watchdog.message)
            if isinstance(exc, httpx.ConnectTimeout):
                return _Outcome(
                    None,
                    f"no connection to {url.host} within {min(10.0, self._policy.max_seconds):g} s",
                    True,
                )
            return _Outcome(None, f"no response within {self._policy.max_seconds:g} s", True)
        except httpx.TransportError as exc:
            if watchdog.fired:
                return _Outcome(None, watchdog.message)
            return _Outcome(None, f"connection to {url.host} failed ({one_line(exc)})", True)
        except httpx.HTTPError as exc:
            return _Outcome(None, f"request failed ({one_line(exc)})")
        finally:
            watchdog.cancel()

    def _check_peer(self, url: httpx.URL, response: httpx.Response) -> str | None:
        """The address actually connected to, refused if private: DNS may answer differently twice."""
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        ip = str(peer[0]) if peer else None
        if ip and not self._policy.allow_private and (kind := _non_public_kind(ip)):
            raise _Stop(
                f"refused: {url.host} connected to {ip}, which is a {kind} address (use --allow-private)"
            )
        return ip


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _exchange(
    url: httpx.URL, response: httpx.Response, body: Body, sent_at: datetime, ip: str | None
) -> Exchange:
    return Exchange(
        url=str(url),
        method=response.request.method,
        request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.request.headers.raw],
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        response_headers=archived_headers(response.headers.raw),
        body=body.data,
        fetched_at=sent_at,
        ip=ip,
        truncated=body.truncated,
    )
