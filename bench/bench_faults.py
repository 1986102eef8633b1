"""Bench: kill -9 during `onrecord ingest` many times, then finish and compare (not a test; run by hand).

    .venv/bin/python bench/bench_faults.py [--kills 30] [--articles 60] [--workers 1]

Ingests a generated corpus once uninterrupted (the reference), then again into a fresh store with
the whole process group killed by SIGKILL at random moments (after a random number of articles
is stored, plus up to 0.3 s), ``--kills`` times, checking after each
kill that `PRAGMA integrity_check` is ok and no article is stored twice; a last uninterrupted run
finishes the job and its store is compared with the reference (every meaningful table, not ids,
run ids or timestamps). Prints kills landed, articles stored per kill, and any difference.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from reliability.faults import ingest, integrity, kill_after, snapshot, stored, write_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random()  # noqa: S311  (random kill times)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = write_corpus(folder / "corpus.jsonl", args.articles)
        started = time.monotonic()
        proc = ingest(corpus, folder / "reference.db", args.workers)
        proc.communicate()
        seconds = time.monotonic() - started
        print(f"reference: {args.articles} articles in {seconds:.1f} s (exit {proc.returncode})")
        db = folder / "killed.db"
        landed = done = 0
        for n in range(args.kills):
            before = stored(db)
            if before >= args.articles:  # this store is complete: finish and compare it, start another
                done += compare(corpus, db, folder / "reference.db", args.workers)
                for leftover in folder.glob("killed.db*"):
                    leftover.unlink()
                before = 0
            target = rnd.randrange(before + 1, args.articles + 1)
            landed += kill_after(corpus, db, target, rnd.uniform(0, 0.3), args.workers)
            status = integrity(db) if db.exists() else "no store yet"
            conn = sqlite3.connect(db)
            keys = [row[0] for row in conn.execute("SELECT key FROM articles")]
            conn.close()
            doubled = len(keys) - len(set(keys))
            print(f"kill {n + 1}: integrity {status}, {len(keys)} articles stored, {doubled} doubled")
            if status != "ok" or doubled:
                return 1
        done += compare(corpus, db, folder / "reference.db", args.workers)
        print(f"{landed} of {args.kills} kills landed during an ingest; {done} killed stores finished equal")
        return 0 if same_all[0] else 1


same_all = [True]


def compare(corpus: Path, db: Path, reference: Path, workers: int) -> int:
    """Finish an interrupted store with an uninterrupted run and compare it with the reference."""
    proc = ingest(corpus, db, workers)
    proc.communicate()
    same = snapshot(db) == snapshot(reference) and integrity(db) == "ok"
    print(f"rerun exit {proc.returncode}, integrity {integrity(db)}, equal to the reference: {same}")
    same_all[0] = same_all[0] and same
    return int(same)


if __name__ == "__main__":
    sys.exit(main())
