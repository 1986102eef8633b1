"""Bench: the Spark job in local[2] against the multiprocessing ingest with 2 workers, same input, same run.

    .venv/bin/python bench/bench_spark.py [INPUT ...] [--partitions 2] [--workers 2] [--large]

--large adds the development corpora to the fundus WARC: the 295 Wikinews articles (JSONL) and the
924 PolNeAR train and dev texts (written to a temporary JSONL with their publication dates), about
1,480 articles in all, so that the job's fixed costs (JVM and Python worker start, stage planning)
weigh as they would on a real corpus rather than on 258 pages.

Each side starts cold (fresh output folder, fresh database). Spark is timed twice: the whole run
(session start included) and the job alone with the session already up, since a cluster pays the
start once per job, not per input. Prints articles per second for each and the ratio (target: the
Spark job alone within 1.5x of the ingest). Not a test; the machine's other load shows in the
numbers, so compare the two sides only within one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DEFAULT_INPUT = SHARED / "warc" / "fundus-news-258.warc.gz"
WIKINEWS = SHARED / "open-news" / "wikinews-2019-2021" / "wikinews_2019_2021.jsonl"
POLNEAR = SHARED / "polnear"


def polnear_jsonl(out: Path) -> Path:
    """The PolNeAR train and dev texts as one JSONL (id, date from the file name, text), for volume only."""
    import json

    from onrecord.evaluate.brat import iter_documents

    with out.open("w", encoding="utf-8") as sink:
        for split in ("train", "dev"):
            for doc in iter_documents(POLNEAR, split):
                record = {
                    "id": f"polnear/{split}/{doc.name}",
                    "url": f"polnear://{split}/{doc.name}",
                    "date": doc.published,
                    "text": doc.text,
                }
                sink.write(json.dumps(record) + "\n")
    return out


def main() -> int:
    from onrecord.corpus.build import ingest
    from onrecord.spark.job import run, session

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_INPUT])
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--large", action="store_true", help="add the Wikinews and PolNeAR texts")
    args = parser.parse_args()
    if args.large:
        args.inputs = [*args.inputs, WIKINEWS]
    missing = [p for p in [*args.inputs, *([POLNEAR] if args.large else [])] if not p.exists()]
    if missing:
        print(f"{missing[0]}: missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [str(p) for p in args.inputs]
        if args.large:
            inputs.append(str(polnear_jsonl(Path(tmp) / "polnear.jsonl")))
        started = time.perf_counter()
        summary = ingest(inputs, Path(tmp) / "bench.db", workers=args.workers)
        ingest_s = time.perf_counter() - started
        articles = summary.counts["new"]
        print(f"ingest --workers {args.workers}: {dict(summary.counts)} in {ingest_s:.1f} s")

        started = time.perf_counter()
        spark = session(args.partitions)
        session_s = time.perf_counter() - started
        started = time.perf_counter()
        job = run(inputs, Path(tmp) / "out", spark=spark, partitions=args.partitions)
        job_s = time.perf_counter() - started
        spark.stop()
    print(
        f"spark local[{args.partitions}]: {job.counts['articles_rows']} articles,"
        f" session start {session_s:.1f} s, job {job_s:.1f} s (analysis {job.seconds['analysis']:.1f} s,"
        f" corpus stages and writing {job.seconds['corpus']:.1f} s)"
    )
    if job.counts["articles_rows"] != articles:
        print("warning: the two sides stored different numbers of articles", file=sys.stderr)
    rate_ingest = articles / ingest_s
    rate_job = articles / job_s
    rate_total = articles / (job_s + session_s)
    print(
        f"articles/s: ingest {rate_ingest:.2f}, spark job {rate_job:.2f}, spark with session start"
        f" {rate_total:.2f}; spark/ingest time ratio: job {job_s / ingest_s:.2f}x,"
        f" with session {(job_s + session_s) / ingest_s:.2f}x,"
        f" analysis stage alone {job.seconds['analysis'] / ingest_s:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
