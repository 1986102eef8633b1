"""Small hand-made corpus inputs shared by the store, corpus, query and CLI tests (import, not conftest)."""

from __future__ import annotations

import json
from pathlib import Path

WIRE = (
    "Moscow has said it is ready to extend the treaty for one year without preconditions, a step "
    "the Kremlin hopes will open talks on a wider arms control framework next spring. Officials in "
    "Washington have not yet answered the proposal, which follows months of stalled negotiations "
    "between the two delegations meeting in Geneva and Vienna over the summer. Analysts said a short "
    "extension would buy time for both sides but would not settle the dispute over verification, "
    "tactical weapons and the place of third countries in any future agreement. The treaty, signed in "
    "2010, limits each side to 1,550 deployed strategic warheads and 700 deployed missiles and bombers, "
    "and it expires in February unless both presidents agree to prolong it."
)

ARTICLES = [
    {
        "title": "Kremlin ready to extend treaty",
        "text": "Kremlin spokesman Dmitry Peskov said on Monday: "
        f'"We are ready to extend the treaty for one year." {WIRE}',
        "url": "https://news.example.org/kremlin-treaty?utm_source=feed",
        "date": "2020-10-19",
        "outlet": "Example News",
    },
    {
        "title": "Moscow offers one-year extension",
        "text": f'"We are ready to extend the treaty for one year," Peskov told reporters. {WIRE}',
        "url": "https://wire.example.com/moscow-offer",
        "date": "2020-10-20",
        "outlet": "Example Wire",
    },
    {
        "title": "Trump speaks on Iran",
        "text": 'President Donald Trump said on Tuesday that Iran "will never have a nuclear weapon" and '
        'called for new talks. Ivanka Trump said the family was "very proud of the work being done."',
        "url": "https://news.example.org/trump-iran",
        "date": "2020-01-07",
        "outlet": "Example News",
    },
    {
        "title": "Il governo esamina la situazione",
        "text": "Il governo si è riunito lunedì per esaminare la situazione. Il portavoce ha detto che "
        "l'esecutivo proseguirà i colloqui con i partner la prossima settimana e poi prenderà una decisione.",
        "url": "https://giornale.example.it/situazione",
        "date": "2020-10-21",
        "outlet": "Giornale di Esempio",
    },
]


def write_jsonl(path: Path, rows: list[dict[str, str]], bad_line: bool = False) -> Path:
    lines = [json.dumps(row) for row in rows]
    if bad_line:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(folder: Path) -> Path:
    """A database ingested (in this process) from the small corpus, with one bad line."""
    from onrecord.corpus.build import ingest

    write_jsonl(folder / "articles.jsonl", ARTICLES, bad_line=True)
    db = folder / "corpus.db"
    ingest([str(folder / "articles.jsonl")], db, workers=1)
    return db


# Queries whose answers over a Parquet output must equal the SQLite store's: (query, args, kwargs)
# for ``onrecord.queries`` and ``onrecord.store.parquet`` (the Spark job's output and an export).
PARQUET_QUERIES: list[tuple[str, tuple[str, ...], dict[str, object]]] = [
    ("quotes", (), {"limit": 500}),
    ("quotes", (), {"speaker": "Peskov"}),
    ("quotes", (), {"search": "treaty"}),
    ("quotes", (), {"search": "nuclear weapon", "since": "2020-01-01", "until": "2020-12-31"}),
    ("quotes", (), {"about": "Iran"}),
    ("quotes", (), {"outlet": "example news"}),
    ("quotes", (), {"limit": 3, "offset": 2}),
    ("actors", (), {"limit": 500}),
    ("actors", (), {"search": "trump"}),
    ("timeline", ("Peskov",), {}),
    ("timeline", ("extend the treaty",), {"limit": 50}),
]
