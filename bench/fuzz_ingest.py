"""Fuzz the ingest entry point (not a test; run by hand): random and mutated inputs -> every reader
and the worker's decode/extract/analyse step, which must never raise, whatever the bytes.

    .venv/bin/python bench/fuzz_ingest.py [--minutes 3]

Hypothesis drives it: files are built from seeds (an article, an HTML page, a WARC, JSON lines, an
RSS feed), cut, flipped, gzip-wrapped or replaced by noise, written under a temporary name and read
by ``iter_items``; each Item then goes through ``analyse_item`` as a worker would. Any exception
escaping is a finding: it is printed with the input that caused it, and the run ends with status 1.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ARTICLE = (
    "Kremlin spokesman Dmitry Peskov said on Monday: “We are ready to extend the treaty.” "
    'He added that "the offer stands" until February, according to Reuters.\n'
)
PAGE = f"<html><head><title>Treaty</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
FEED = (
    '<?xml version="1.0"?><rss><channel><title>Wire</title><item><title>T</title>'
    f"<link>https://a.example/1</link><pubDate>Mon, 19 Oct 2020 10:00:00 GMT</pubDate>"
    f"<description><![CDATA[{PAGE}]]></description></item></channel></rss>"
)
NAMES = ["a.txt", "a.html", "a.jsonl", "a.warc", "a.warc.gz", "a.rss", "a.txt.gz", "a.jsonl.gz", "a.xml"]


def _warc(body: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://a.example/", "response", payload=io.BytesIO(body), http_headers=headers
        )
    )
    return out.getvalue()


SEEDS = [
    ARTICLE.encode(),
    PAGE.encode(),
    (json.dumps({"text": ARTICLE, "url": "https://a.example/j"}) + "\n").encode() * 2,
    _warc(PAGE.encode()),
    FEED.encode(),
    ARTICLE.encode("utf-16"),
    ARTICLE.encode("cp1251", "replace"),
]


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "noise"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            data = data[:at] if draw(st.booleans()) else data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=40))
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(1, 50))
        else:
            data = bytearray(draw(st.binary(max_size=400)))
    name = draw(st.sampled_from(NAMES))
    raw = bytes(data)
    if name.endswith(".gz"):
        raw = gzip.compress(raw)
        if draw(st.booleans()):
            raw = raw[: draw(st.integers(0, len(raw)))]
    return name, raw


FINDINGS: list[str] = []
TRIED = [0]


def check(name: str, data: bytes, folder: Path) -> None:
    from onrecord.corpus.build import analyse_item
    from onrecord.ingest.sources import iter_items

    path = folder / name
    path.write_bytes(data)
    TRIED[0] += 1
    try:
        for item in iter_items([str(path)]):
            result = analyse_item(item, item.input_hash(), None)
            assert result.status in ("article", "skipped", "failed")
            if result.article is not None:
                text = result.article.text
                for quote in result.article.quotes:
                    assert 0 <= quote.span.start <= quote.span.end <= len(text)
    except Exception:
        FINDINGS.append(f"{name} {data[:200]!r}...\n{traceback.format_exc()}")
        raise


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    from onrecord.ingest.document import from_text
    from onrecord.pipeline import analyze_raw

    analyze_raw(from_text("Warm up. He said “yes”."))  # load the model before the clock starts
    deadline = time.monotonic() + args.minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(files())
        def fuzz(case: tuple[str, bytes]) -> None:
            check(*case, folder)

        while time.monotonic() < deadline and not FINDINGS:
            try:
                fuzz()
            except Exception as exc:  # hypothesis re-raises the (shrunk) finding
                print(f"finding: {type(exc).__name__}: {exc}", file=sys.stderr)
    for finding in FINDINGS[-3:]:
        print(finding, file=sys.stderr)
    print(f"{TRIED[0]} inputs tried in {args.minutes:g} min, {len(FINDINGS)} raised")
    return 1 if FINDINGS else 0


if __name__ == "__main__":
    sys.exit(main())
