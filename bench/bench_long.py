"""Benchmark: analysis cost against text length on issue 17's transcript shape (not a test).

Run by hand::

    .venv/bin/python bench/bench_long.py [--scales 0.1 1 10] [--whole-up-to 1]

The shape: paragraphs of 400 times '"Trust is low," Peskov said.' (11.6 kB, 400 quotes each); 1x is
20 paragraphs (232 kB, 8,000 quotes). Each scale is analysed in a fresh process (CPU seconds of the
analysis, peak RSS of the process), in pieces as onrecord does (``onrecord.pieces``) and, up to
``--whole-up-to``, as one text (pieces switched off: what onrecord did before). 100x (23 MB) is
beyond the input cap (``pipeline.MAX_TEXT_CHARS``, 3,000,000 characters), so it is not run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from onrecord import pieces
from onrecord.ingest.document import from_text
from onrecord.pipeline import Pipeline
paragraphs, whole = int(sys.argv[1]), sys.argv[2] == "whole"
if whole:
    pieces.PIECE_CHARS = 10**9
text = "\n\n".join([" ".join(['"Trust is low," Peskov said.'] * 400)] * paragraphs) + "\n"
pipe = Pipeline()
pipe(from_text("Warm up. \"Yes,\" he said."))
start = time.process_time()
article = pipe(from_text(text))
seconds = time.process_time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"chars": len(text), "quotes": len(article.quotes), "cpu_s": seconds, "rss_mb": rss / 1024}))
"""


def measure(paragraphs: int, whole: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(paragraphs), "whole" if whole else "pieces"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1, 10])
    parser.add_argument("--whole-up-to", type=float, default=1)
    args = parser.parse_args()
    print(f"{'scale':>6} {'chars':>10} {'quotes':>7} {'mode':>7} {'CPU s':>8} {'s/100 kB':>9} {'peak MB':>8}")
    for scale in args.scales:
        paragraphs = max(1, round(20 * scale))
        modes = ["pieces"] + (["whole"] if scale <= args.whole_up_to else [])
        for mode in modes:
            m = measure(paragraphs, mode == "whole")
            per = m["cpu_s"] / (m["chars"] / 100_000)
            print(
                f"{scale:>6g} {m['chars']:>10,} {m['quotes']:>7,} {mode:>7} {m['cpu_s']:>8.1f} {per:>9.2f}"
                f" {m['rss_mb']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
