"""One statement, many reports: exact and lightly edited copies of a quote across outlets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.sample import write_jsonl
from onrecord.corpus.build import ingest
from onrecord.store.statements import same_statement, statement_keys

QUOTE = "We will not accept any deal that leaves our farmers worse off than they were before the war"
EDITED = "We will not accept any deal which leaves our farmers worse off than they were before the war"
OTHER = "The ministry will publish its own figures on the harvest and the export routes next month"


def test_near_copies_are_one_statement_and_different_words_are_not() -> None:
    assert same_statement(QUOTE.casefold(), EDITED.casefold())
    assert not same_statement(QUOTE.casefold(), OTHER.casefold())
    assert statement_keys("too short to key") == (None, None)


def test_an_edited_copy_in_another_outlet_counts_once(tmp_path: Path) -> None:
    rows = [
        {
            "title": "Farm talks stall",
            "text": f'"{QUOTE}," Agriculture Minister Olena Kovalenko said on Monday.',
            "url": "https://a.example.org/farm",
            "date": "2023-03-06",
            "outlet": "Outlet A",
        },
        {
            "title": "Minister rejects deal",
            "text": f'"{EDITED}," Agriculture Minister Olena Kovalenko said.',
            "url": "https://b.example.org/deal",
            "date": "2023-03-07",
            "outlet": "Outlet B",
        },
        {
            "title": "Harvest data",
            "text": f'"{OTHER}," Agriculture Minister Olena Kovalenko said on Tuesday.',
            "url": "https://c.example.org/data",
            "date": "2023-03-07",
            "outlet": "Outlet C",
        },
    ]
    db = tmp_path / "corpus.db"
    ingest([str(write_jsonl(tmp_path / "in.jsonl", rows))], db, workers=1)
    with sqlite3.connect(db) as conn:
        reports = sorted(r for (r,) in conn.execute("SELECT reports FROM statements"))
        first = conn.execute("SELECT first_said_on FROM statements WHERE reports = 2").fetchone()
    assert reports == [1, 2]
    assert first == ("2023-03-06",)
