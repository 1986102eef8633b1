"""robots.txt for ``onrecord.watch.fetch``: a site's robots.txt as fetched -> the rules to fetch it by.

RFC 9309: a readable robots.txt is parsed with protego (Scrapy's parser: wildcards, longest match,
Crawl-delay, Request-rate); a 4xx allows everything; a 5xx, a 429 or no answer disallows the whole
site for now, and is asked again sooner than a readable one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from protego import Protego

if TYPE_CHECKING:
    from onrecord.watch.fetch import Fetched

MAX_CRAWL_DELAY = 60.0
# RFC 9309 §2.5: parsers must read at least 500 KiB; Google ignores what lies past that, and so do we.
ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_MAX_REDIRECTS = 5
ROBOTS_TTL = 3600.0
# An unreachable robots.txt blocks the whole site, so it is asked again sooner than a readable one.
ROBOTS_FAILURE_TTL = 300.0


@dataclass(frozen=True, slots=True)
class Rules:
    """A site's robots.txt as read: a parser, nothing (all allowed), or a refusal (all disallowed)."""

    parser: Protego | None
    refusal: str | None
    expires: float


def rules_from(robots_url: str, fetched: Fetched) -> Rules:
    """RFC 9309 §2.3.1: 2xx parsed, 4xx allows everything, 5xx or unreachable disallows everything."""
    status, now = fetched.status, time.monotonic()
    if status is not None and 200 <= status < 300 and fetched.error is None:
        text = fetched.body.decode("utf-8", errors="replace").lstrip("\ufeff")
        return Rules(Protego.parse(text), None, now + ROBOTS_TTL)
    if status is not None and 300 <= status < 500 and status != 429:
        return Rules(None, None, now + ROBOTS_TTL)  # unavailable (or redirects gone wrong): allowed
    reason = f"answered HTTP {status}" if status and status >= 300 else f"could not be read ({fetched.error})"
    refusal = f"{robots_url} {reason}, so the site counts as disallowed for now (RFC 9309)"
    return Rules(None, refusal, now + ROBOTS_FAILURE_TTL)


def crawl_delay(parser: Protego, token: str) -> float:
    delay = parser.crawl_delay(token) or 0.0
    rate = parser.request_rate(token)
    if rate is not None and rate.requests:
        delay = max(delay, rate.seconds / rate.requests)
    return min(delay, MAX_CRAWL_DELAY)
