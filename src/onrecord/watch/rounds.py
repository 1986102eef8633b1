"""Watch rounds: sources -> (polite fetching, threads) pages -> bounded queue -> the ingest pipeline -> store.

Each round polls the sources that are due (conditional GET), records the article URLs their listings
name, and fetches the URLs waiting (newest first, at most ``max_new`` per source). Fetching runs in
threads, one task per host, so one slow or strict host never holds up the others; the pages go
through a bounded queue into the same analysis and store as ``onrecord ingest`` (worker processes),
so fetching and analysis overlap and memory holds at most ``queue_size`` pages. Every exchange,
listings and robots.txt included, is appended to the WARC archive before its page is analysed.

A stop (Ctrl-C, SIGTERM) ends fetching at once; pages already fetched are still analysed and
stored, and what was not fetched waits in the store for the next round.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT
from onrecord.corpus.build import Ingest, Result
from onrecord.ingest.sources import Item
from onrecord.ingest.warc import refusal, response_item
from onrecord.store.sqlite import Store
from onrecord.watch.archive import WarcArchive
from onrecord.watch.discover import Listing, parse_listing
from onrecord.watch.fetch import Fetched, Fetcher, FetchPolicy
from onrecord.watch.sources import Source
from onrecord.watch.state import FAILED, SKIPPED, STORED, Queued, WatchedSource, WatchState, stamp, utc_now

log = logging.getLogger(__name__)

# A sitemap index names sitemaps by day or by section; a round reads at most this many of them.
MAX_CHILD_SITEMAPS = 10


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """How a watch runs. ``every``: seconds between polls of one source; ``max_new``: URLs fetched
    per source and round; ``refetch``: fetch again every URL the listings name, stored or not."""

    every: float = 900.0
    max_new: int = 100
    refetch: bool = False
    queue_size: int = 32
    workers: int | None = None
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
    archive: Path | None = None
    archive_max_bytes: int = 1_000_000_000


@dataclass(slots=True)
class RoundReport:
    """What one round did, for the progress line and the JSON log."""

    number: int
    started: str
    sources: int = 0
    sources_failed: int = 0
    not_modified: int = 0
    new_links: int = 0
    fetched: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    waiting: int = 0
    seconds: float = 0.0
    stopped: bool = False
    next_round: str | None = None
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        c = self.counts
        text = (
            f"round {self.number}: {self.sources} sources polled ({self.sources_failed} failed,"
            f" {self.not_modified} unchanged), {self.new_links} new links, {self.fetched} pages fetched:"
            f" {c['new']} new articles, {c['updated']} updated, {c['unchanged']} unchanged,"
            f" {c['skipped']} skipped, {c['failed']} failed; {self.waiting} waiting; {self.seconds:.1f} s"
        )
        if self.stopped:
            text += "; stopped"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": "round",
            "round": self.number,
            "started": self.started,
            "seconds": round(self.seconds, 2),
            "sources": self.sources,
            "sources_failed": self.sources_failed,
            "not_modified": self.not_modified,
            "new_links": self.new_links,
            "fetched": self.fetched,
            **{k: self.counts[k] for k in ("new", "updated", "unchanged", "skipped", "failed")},
            "waiting": self.waiting,
            "stopped": self.stopped,
            "next_round": self.next_round,
            "errors": self.errors,
        }


_DONE = object()


class Watcher:
    """Watches sources into one store; ``run_round`` once, or ``run`` round after round."""

    def __init__(
        self,
        db: str | Path,
        options: WatchOptions | None = None,
        policy: FetchPolicy | None = None,
        *,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.options = options = options or WatchOptions()
        self.fetcher = fetcher or Fetcher(policy or FetchPolicy())
        self.stopping = threading.Event()
        self.store = Store(db)  # one connection for the ingest and the watch state, closed by close()
        self.ingest = Ingest(
            db,
            workers=options.workers,
            article_timeout=options.article_timeout,
            versions=True,
            store=self.store,
        )
        self.state = WatchState(self.ingest.store.conn)
        self.archive = (
            WarcArchive(options.archive, max_bytes=options.archive_max_bytes) if options.archive else None
        )
        self.rounds = 0

    def close(self) -> None:
        self.fetcher.close()
        if self.archive is not None:
            self.archive.close()
        self.store.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(self, sources: Sequence[Source]) -> int:
        return self.state.add_sources(sources)

    def stop(self) -> None:
        """End the round in progress soon (pages fetched are still stored) and run no other."""
        self.stopping.set()

    # -- rounds ----------------------------------------------------------------------------------

    def run(self, *, once: bool = False, on_round: Callable[[RoundReport], None] | None = None) -> None:
        """Round after round until stopped (``once``: one round). Between rounds, sleep until the
        next source is due."""
        while not self.stopping.is_set():
            report = self.run_round()
            if on_round is not None:
                on_round(report)
            if once or self.stopping.is_set():
                return
            due = self.state.next_poll()
            wait = self.options.every if due is None else (due - utc_now()).total_seconds()
            self.stopping.wait(max(1.0, wait))

    def run_round(self) -> RoundReport:
        """Poll the sources due, then fetch and store the URLs waiting."""
        started = time.monotonic()
        self.rounds += 1
        report = RoundReport(self.rounds, stamp(utc_now()))
        due = self.state.due(utc_now())
        report.sources = len(due)
        for source, listing, fetched in self._polls(due):
            self._record_poll(source, listing, fetched, report)
        # Every source's waiting URLs, due or not: a round cut short (a stop, a crash) or capped by
        # ``max_new`` left them for this one.
        queued = [
            q for source in self.state.sources() for q in self.state.to_fetch(source, self.options.max_new)
        ]
        if queued and not self.stopping.is_set():
            self._fetch_and_store(queued, report)
        report.waiting = self.state.waiting()
        report.stopped = self.stopping.is_set()
        nxt = self.state.next_poll()
        report.next_round = stamp(nxt) if nxt is not None else None
        report.seconds = time.monotonic() - started
        return report

    def _polls(
        self, due: list[WatchedSource]
    ) -> Iterator[tuple[WatchedSource, Listing | None, Fetched | None]]:
        """Each due source fetched (conditionally) and parsed; a sitemap index's sitemaps read too."""
        if not due:
            return
        workers = max(1, min(len(due), self.fetcher.policy.concurrency))
        with ThreadPoolExecutor(workers, thread_name_prefix="onrecord-poll") as pool:
            yield from pool.map(self._poll, due)

    def _poll(self, source: WatchedSource) -> tuple[WatchedSource, Listing | None, Fetched | None]:
        if self.stopping.is_set():
            return source, None, None  # not polled: it stays due
        fetched = self._fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        if fetched.error or fetched.not_modified:
            return source, None, fetched
        listing = parse_listing(fetched.body, fetched.final_url, fetched.headers.get("content-type"))
        if listing.kind == "sitemapindex" and not listing.error:
            links = list(listing.links)
            for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
                if self.stopping.is_set():
                    break
                page = self._fetch(child)
                if page.error is None:
                    links += parse_listing(page.body, page.final_url, page.headers.get("content-type")).links
            listing = Listing(listing.kind, listing.title, links, listing.sitemaps, listing.feeds)
        return source, listing, fetched

    def _record_poll(
        self, source: WatchedSource, listing: Listing | None, fetched: Fetched | None, report: RoundReport
    ) -> None:
        if fetched is None:  # the watch is stopping
            return
        now, every = utc_now(), self.options.every
        error = fetched.error or (listing.error if listing is not None else None)
        if error is not None:
            report.sources_failed += 1
            report.errors.append(f"{source.url}: {error}")
            self.state.polled(source, now, every, error=error)
            return
        if listing is None:  # not modified since the last poll
            report.not_modified += 1
            self.state.polled(source, now, every)
            return
        report.new_links += self.state.list_links(source, listing.links, now, refetch=self.options.refetch)
        self.state.polled(
            source, now, every, kind=listing.kind, title=listing.title, etag=fetched.etag,
            last_modified=fetched.last_modified,
        )  # fmt: skip

    def _fetch(self, url: str, **validators: Any) -> Fetched:
        """One fetch, every exchange of it archived before it is used."""
        fetched = self.fetcher.fetch(url, **validators)
        if self.archive is not None:
            for exchange in fetched.exchanges:
                self.archive.write(exchange)
        return fetched

    # -- pages -----------------------------------------------------------------------------------

    def _fetch_and_store(self, queued: list[Queued], report: RoundReport) -> None:
        """Fetch the queued URLs (threads, one task per host) into a bounded queue that the ingest
        pipeline reads as it goes."""
        pages: queue.Queue[Any] = queue.Queue(maxsize=self.options.queue_size)
        abandon = threading.Event()  # the ingest ended early: the fetchers stop putting pages
        by_host: dict[str, list[Queued]] = defaultdict(list)
        for q in queued:
            by_host[urlsplit(q.url).netloc].append(q)
        remaining = [len(by_host)]
        lock = threading.Lock()

        def put(value: Any, always: bool = False) -> None:
            while not pages_put(pages, value):
                if (self.stopping.is_set() and not always) or abandon.is_set():
                    return

        def fetch_host(links: list[Queued]) -> None:
            try:
                for q in links:
                    if self.stopping.is_set() or abandon.is_set():
                        return
                    put((q, self._fetch(q.url)))
            finally:
                with lock:
                    remaining[0] -= 1
                    last = remaining[0] == 0
                if last:
                    put(_DONE, always=True)

        waiting: dict[tuple[str, str], Queued] = {}

        def items() -> Iterator[Item]:
            while (got := pages.get()) is not _DONE:
                q, fetched = got
                report.fetched += 1
                item = page_item(q, fetched)
                waiting[(item.source, item.record)] = q
                yield item

        def written(result: Result, outcome: str, article_id: int | None) -> None:
            q = waiting.pop((result.item.source, result.item.record), None)
            if q is None:
                return
            report.counts[outcome] += 1
            status = STORED if article_id is not None else FAILED if outcome == "failed" else SKIPPED
            self.state.fetched(
                q, utc_now(), status=status, final_url=result.item.url, article_id=article_id,
                error=result.reason or None, outcome=outcome,
            )  # fmt: skip

        pool = ThreadPoolExecutor(
            max(1, min(len(by_host), self.fetcher.policy.concurrency)), "onrecord-fetch"
        )
        try:
            for links in by_host.values():
                pool.submit(fetch_host, links)
            self.ingest.run_items(items(), f"watch round {report.number}", on_write=written)
        finally:
            abandon.set()
            _drain(pages)
            pool.shutdown(wait=True, cancel_futures=True)


def pages_put(pages: queue.Queue[Any], value: Any) -> bool:
    """Put on the bounded queue, waiting a moment while it is full; False when it stayed full."""
    try:
        pages.put(value, timeout=0.2)
    except queue.Full:
        return False
    return True


def _drain(pages: queue.Queue[Any]) -> None:
    while True:
        try:
            pages.get_nowait()
        except queue.Empty:
            return


def page_item(q: Queued, fetched: Fetched) -> Item:
    """The Item of a fetched article URL: read as its archived response record would be read back
    (``onrecord.ingest.warc``), named by its source and URL."""
    if fetched.error is not None:
        return Item(q.source_url, q.url, url=q.url, error=fetched.error, skip=_expected(fetched.error))
    refused = refusal(
        q.source_url, q.url, fetched.final_url, fetched.status, fetched.headers.get("content-type")
    )
    if refused is not None:
        return refused
    when = fetched.exchanges[-1].fetched_at if fetched.exchanges else dt.datetime.now(dt.UTC)
    return response_item(q.source_url, q.url, fetched.final_url, when.isoformat(), fetched.body)


def _expected(error: str) -> bool:
    """Errors that are a site's choice, not a failure: robots.txt says no."""
    return error.startswith("robots.txt")
