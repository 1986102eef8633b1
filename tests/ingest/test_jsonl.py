"""JSON Lines reading: text or html, url, date, outlet; bad lines named, gzip read through."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from onrecord.corpus.build import to_raw
from onrecord.ingest.sources import iter_items


def test_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": "Head",
                "text": "Body text.",
                "url": "https://x.example/a",
                "date": "2020-01-02",
                "outlet": "X",
            }
        ),
        "[1, 2]",
        "",
        json.dumps({"html": "<html><body><p>x</p></body></html>", "url": "https://x.example/b"}),
        json.dumps({"url": "https://x.example/c"}),
    ]
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = list(iter_items([str(path)]))
    assert [i.record for i in items] == ["line 1", "line 2", "line 4", "line 5"]
    first = items[0]
    assert (first.url, first.published, first.published_source, first.outlet) == (
        "https://x.example/a", "2020-01-02", "given", "X"
    )  # fmt: skip
    raw = to_raw(first)
    assert raw.text == "Head\n\nBody text." and raw.published == "2020-01-02"
    assert items[1].error == "not a JSON object"
    assert items[2].kind == "html"
    assert items[3].error and "no 'text'" in items[3].error
