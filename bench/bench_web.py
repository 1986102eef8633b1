"""Bench: web page latency under a bounded loopback load (not a test; run by hand).

    .venv/bin/python -m bench.bench_web [--quotes 1000000] [--db PATH] [--clients 4] [--seconds 20]

Builds (or reuses) the synthetic store of bench/bench_queries.py, starts ``onrecord serve`` on
127.0.0.1 (a free port), then runs CLIENTS threads for SECONDS, each requesting search pages (and
their JSON twin), article pages, actor pages and the overview in turn. Traffic goes to the loopback
address only; the loop is bounded in time and stops by itself. Prints requests, errors, the load
average and p50/p95/max per page kind (target: p95 <= 150 ms on the 1,000,000-quote store).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.bench_queries import build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _samples(db: Path) -> tuple[list[str], list[str], list[int]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    words = [w for (s,) in conn.execute("SELECT statement FROM quotes WHERE id % 997 = 0") for w in s.split()]
    actors = [
        r[0] for r in conn.execute("SELECT actor_id FROM quotes WHERE id % 991 = 0 AND actor_id IS NOT NULL")
    ]
    articles = [r[0] for r in conn.execute("SELECT article_id FROM quotes WHERE id % 983 = 0")]
    conn.close()
    return words, actors, articles


def _client(
    base: str,
    words: list[str],
    actors: list[str],
    articles: list[int],
    until: float,
    seed: int,
    out: dict[str, list[float]],
    errors: list[str],
) -> None:
    rng = random.Random(seed)  # noqa: S311  (picking test pages, not secrets)
    kinds = (
        "search",
        "article",
        "actor",
        "overview",
        "api search",
        "search best match",
        "search phrase, range, kind",
        "outlet",
        "articles",
    )
    with httpx.Client(base_url=base, timeout=30) as client:
        i = 0
        while time.monotonic() < until:
            kind = kinds[i % len(kinds)]
            i += 1
            path = {
                "search": f"/search?q={rng.choice(words)}",
                "actor": f"/actors/{rng.choice(actors)}",
                "article": f"/articles/{rng.choice(articles)}",
                "overview": "/",
                "api search": f"/api/search?q={rng.choice(words)}&limit=20",
                "search best match": f"/search?q={rng.choice(words)}+OR+{rng.choice(words)}&sort=relevance",
                "search phrase, range, kind": f'/search?q="{rng.choice(words)} {rng.choice(words)}"'
                f"&since=2015-01-01&until=2019-12-31&kind=direct&sort=oldest",
                "outlet": f"/outlets/Outlet%20{rng.randrange(20)}",
                "articles": f"/articles?offset={rng.randrange(0, 1000)}",
            }[kind]
            started = time.perf_counter()
            try:
                response = client.get(path)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {path}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__} {path}")
                continue
            out.setdefault(kind, []).append((time.perf_counter() - started) * 1000)


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from onrecord.cli.main import run; run()", "serve", "--db", str(db),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench-web.db"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.quotes)
        print(f"built {db} ({args.quotes:,} quotes) in {time.perf_counter() - started:.0f} s")
    words, actors, articles = _samples(db)
    port = _free_port()
    server = _serve(db, port)
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=_client, args=(f"http://127.0.0.1:{port}", words, actors, articles, until, n, {}, errors)
        )
        for n in range(args.clients)
    ]
    per_thread: list[dict[str, list[float]]] = [t._args[6] for t in threads]  # type: ignore[attr-defined]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.terminate()
    server.wait(timeout=10)
    for part in per_thread:
        for kind, values in part.items():
            timings.setdefault(kind, []).extend(values)
    total = sum(len(v) for v in timings.values())
    print(
        f"{args.clients} clients for {args.seconds:.0f} s on loopback: {total} requests, {len(errors)} errors"
        f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    for kind, values in sorted(timings.items()):
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"  {kind:12} n={len(values):5}  p50 {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms"
              f"  max {values[-1]:7.1f} ms")  # fmt: skip
    for error in errors[:10]:
        print("  error:", error)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
