"""Bench: `onrecord watch` against local servers, beside `onrecord ingest` of the same pages from disk.

    .venv/bin/python -m bench.bench_watch [--feeds 50] [--per-feed 20] [--rate 20] [--workers 2]
    .venv/bin/python -m bench.bench_watch --rounds 60 --per-round 5     # memory over many rounds

One round: FEEDS feeds on FEEDS loopback hosts (127.0.0.2, 127.0.0.3, ...: per-host politeness
applies to each), each naming PER_FEED article pages (the shipped Wikinews articles of
data/demo/, CC BY 2.5, as HTML pages, reused under new URLs when more are needed). The same pages
are written to a folder and ingested from disk first. Both run as the CLI runs, in a subprocess
into a fresh store, and report wall time, pages per second and the peak RSS of their processes.

Many rounds (``--rounds``): one Watcher in this process, a round every moment with PER_ROUND new
articles on each feed; prints this process's RSS after each round (the analysis workers are
restarted each round), so a leak shows as growth.

Nothing reaches beyond loopback. Not a test: run by hand; results go to bench/results/watch.md.
"""

from __future__ import annotations

import argparse
import html
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo" / "wikinews-2019-2021.jsonl"
ONRECORD = str(Path(sys.executable).with_name("onrecord"))


def pages() -> Iterator[tuple[str, bytes]]:
    """(headline, HTML page) of each shipped Wikinews article, round and round."""
    articles = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = 0
    while True:
        for record in articles:
            n += 1
            paragraphs = "".join(
                f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n") if p.strip()
            )
            title = html.escape(record["title"])
            yield (
                record["title"],
                (
                    f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
                    f"<meta property='og:site_name' content='Wikinews'></head><body><article><h1>{title}</h1>"
                    f"<p>Copy {n}.</p>{paragraphs}</article></body></html>"
                ).encode(),
            )


class Site:
    """A static site on one loopback address: path -> (content type, body)."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.routes: dict[str, tuple[str, bytes]] = {
            "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n")
        }
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                found = site.routes.get(self.path)
                kind, body = found if found else ("text/plain", b"not found")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}{path}"

    def feed(self, paths: list[str]) -> None:
        items = "".join(f"<item><title>{p}</title><link>{self.url(p)}</link></item>" for p in paths)
        channel = f"<channel><title>{self.host}</title>{items}</channel>"
        body = f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>"
        self.routes["/feed.xml"] = ("application/rss+xml", body.encode())


def build(feeds: int, per_feed: int, folder: Path) -> tuple[list[Site], Path]:
    """The sites with their feeds and pages, the same pages written to ``folder``; returns the sites
    and a file listing the feeds."""
    source = pages()
    sites = [Site(f"127.0.0.{n + 2}") for n in range(feeds)]
    folder.mkdir(parents=True, exist_ok=True)
    for s, site in enumerate(sites):
        paths = []
        for a in range(per_feed):
            _, body = next(source)
            path = f"/news/{a}.html"
            site.routes[path] = ("text/html; charset=utf-8", body)
            (folder / f"site{s:03d}-{a:03d}.html").write_bytes(body)
            paths.append(path)
        site.feed(paths)
    listing = folder.parent / "feeds.txt"
    listing.write_text("".join(site.url("/feed.xml") + "\n" for site in sites))
    return sites, listing


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run a CLI command; its wall seconds, the peak RSS (MB) of its largest process, and stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0,):
        print(done.stderr[-2000:], file=sys.stderr)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, done.stderr + done.stdout


def one_round(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _, listing = build(args.feeds, args.per_feed, root / "pages")
        n = args.feeds * args.per_feed
        disk, disk_rss, _ = timed(
            [ONRECORD, "ingest", str(root / "pages"), "--db", str(root / "disk.db"),
             "--workers", str(args.workers), "--quiet"]
        )  # fmt: skip
        watch, watch_rss, out = timed(
            [ONRECORD, "watch", str(listing), "--db", str(root / "watch.db"), "--once", "--allow-private",
             "--rate", str(args.rate), "--concurrency", str(args.concurrency), "--workers", str(args.workers),
             "--archive", str(root / "warc"), "--json"]
        )  # fmt: skip
        report = json.loads(out.strip().splitlines()[-1]) if out.strip().startswith("{") else {}
        if not report:
            report = next((json.loads(x) for x in out.splitlines() if x.startswith('{"event"')), {})
        archived = sum(p.stat().st_size for p in (root / "warc").glob("*.warc.gz")) / 1e6
        print(f"{n} pages ({args.feeds} feeds x {args.per_feed}), {args.workers} analysis workers")
        print(f"ingest from disk: {disk:7.1f} s  {n / disk:5.1f} pages/s  peak RSS {disk_rss:6.0f} MB")
        print(
            f"watch, one round: {watch:7.1f} s  {n / watch:5.1f} pages/s  peak RSS {watch_rss:6.0f} MB"
            f"  (rate {args.rate}/s per host, concurrency {args.concurrency})"
        )
        print(f"watch / ingest time: {watch / disk:.2f}x; archive {archived:.1f} MB; round: {report}")


def many_rounds(args: argparse.Namespace) -> None:
    from onrecord.watch.fetch import FetchPolicy
    from onrecord.watch.rounds import Watcher, WatchOptions
    from onrecord.watch.sources import Source

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = pages()
        sites = [Site(f"127.0.0.{n + 2}") for n in range(args.feeds)]
        published: dict[str, list[str]] = {site.host: [] for site in sites}
        policy = FetchPolicy(
            per_host_interval=1 / args.rate, concurrency=args.concurrency, allow_private=True
        )
        options = WatchOptions(every=0.01, workers=args.workers, archive=root / "warc")
        with Watcher(root / "watch.db", options, policy) as watcher:
            watcher.add([Source(site.url("/feed.xml")) for site in sites])
            for number in range(1, args.rounds + 1):
                for site in sites:
                    for _ in range(args.per_round):
                        path = f"/news/{len(published[site.host])}.html"
                        site.routes[path] = ("text/html; charset=utf-8", next(source)[1])
                        published[site.host].append(path)
                    site.feed(published[site.host][-100:])  # a feed names its latest 100
                watcher.state.conn.execute("UPDATE watch_sources SET next_poll = NULL")
                report = watcher.run_round()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"round {number:3d}: {report.counts['new']:4d} new, {report.seconds:6.1f} s,"
                    f" peak RSS {rss:6.0f} MB"
                )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--per-feed", type=int, default=20)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second per host")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=0, help="many rounds in one process (memory)")
    parser.add_argument("--per-round", type=int, default=5)
    args = parser.parse_args()
    if args.rounds:
        many_rounds(args)
    else:
        one_round(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
