"""Bench: ingest throughput of a WARC with 1 and 2 workers, and the resume check (not a test; run by hand).

    .venv/bin/python bench/bench_ingest.py [WARC] [--workers 1 2]

Prints, per worker count, the counts, wall time, new articles per second and the speed-up over
one worker. Each run ingests into a fresh temporary database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WARC = REPO.parent / "shared" / "data" / "warc" / "fundus-news-258.warc.gz"


def main() -> int:
    from onrecord.corpus.build import ingest

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("warc", nargs="?", type=Path, default=DEFAULT_WARC)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not args.warc.exists():
        print(f"{args.warc}: missing", file=sys.stderr)
        return 2
    base: float | None = None
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            summary = ingest([str(args.warc)], Path(tmp) / "bench.db", workers=workers)
            seconds = time.perf_counter() - started
        rate = summary.counts["new"] / seconds
        base = base or rate
        print(
            f"workers={workers}: {dict(summary.counts)} in {seconds:.1f} s, {rate:.2f} new articles/s,"
            f" x{rate / base:.2f} of the first"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
