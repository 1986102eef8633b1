"""A tiny corpus for the web tests, one article of it hostile (import, not conftest)."""

from __future__ import annotations

import json
from pathlib import Path

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_LINK = "javascript:alert(1)"

ARTICLES = [
    {
        "title": "Kremlin ready to extend treaty",
        "text": "Kremlin spokesman Dmitry Peskov said on Monday: "
        '"We are ready to extend the treaty for one year." Officials in Washington have not yet '
        "answered the proposal, which follows months of stalled negotiations. Peskov added that "
        '"the offer stands until February."',
        "url": "https://news.example.org/kremlin-treaty",
        "date": "2020-10-19",
        "outlet": "Example News",
    },
    {
        "title": "Trump speaks on Iran",
        "text": 'President Donald Trump said on Tuesday that Iran "will never have a nuclear weapon" and '
        'called for new talks. Ivanka Trump said the family was "very proud of the work being done."',
        "url": "https://wire.example.com/trump-iran",
        "date": "2020-01-07",
        "outlet": "Example Wire",
    },
    {
        "title": f"Hostile {HOSTILE_SCRIPT} headline",
        "text": f"Mayor Jane Smith said on Friday: “Visit {HOSTILE_LINK} and {HOSTILE_IMG} today, "
        f"the council will pay for it.” The council met in the town hall. {HOSTILE_SCRIPT} "
        "Residents were not told.",
        "url": "javascript://hostile.example.net/%0Aalert(1)",
        "date": "2020-10-23",
        "outlet": f"Evil {HOSTILE_IMG} Outlet",
    },
]


def build(folder: Path) -> Path:
    """A database ingested in this process from the tiny corpus."""
    from onrecord.corpus.build import ingest

    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ARTICLES) + "\n", encoding="utf-8")
    db = folder / "corpus.db"
    ingest([str(path)], db, workers=1)
    return db
