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


WIRE = [
    "Officials from the European Union and the United Kingdom met in Brussels on Wednesday to resume"
    " talks on fishing rights after a pause of three weeks, according to people close to the talks.",
    'Chief negotiator Michel Barnier said: "We are making progress, but significant gaps remain on'
    ' fisheries and on the level playing field."',
    "The talks are expected to continue through the weekend, with both sides hoping to reach an outline"
    " agreement before the end of the month and to put it to their parliaments before the new year.",
    "Fishing accounts for a tiny share of the economy of either side but has become a symbol of"
    " sovereignty for supporters of leaving the bloc, and coastal towns are watching the talks closely.",
    "Neither side would comment on reports that a draft text had already been circulated among"
    " member states.",
    "Business groups on both sides of the Channel have urged the negotiators to agree on customs rules soon,"
    " warning that lorries could queue for days at the ports if the talks end without a deal in January.",
    "A spokesman for the British government said the prime minister was being kept informed of the talks"
    " and would speak to the president of the European Commission by telephone later in the week.",
]
# Three copies of one wire story: the same paragraphs, one edited and one added (hostile) in one copy.
STORY_ARTICLES = [
    {
        "title": "Brexit fishing talks resume in Brussels",
        "text": "\n\n".join(WIRE),
        "url": "https://wire.example.com/fishing-talks",
        "date": "2020-11-04",
        "outlet": "Example Wire",
    },
    {
        "title": f"Fishing talks back on {HOSTILE_SCRIPT}",
        "text": "\n\n".join(
            [
                *WIRE[:2],
                WIRE[2].replace("through the weekend", "into next week"),
                *WIRE[3:],
                f"Editor's note: {HOSTILE_SCRIPT} {HOSTILE_IMG} updated.",
            ]
        ),
        "url": "https://coast.example.net/fishing",
        "date": "2020-11-05",
        "outlet": f"Coast {HOSTILE_IMG} Herald",
    },
    {
        "title": "EU and UK resume fishing talks",
        "text": "\n\n".join(WIRE),
        "url": "https://daily.example.org/eu-uk-fishing",
        "date": "2020-11-04",
        "outlet": "Example Daily",
    },
]


def build(folder: Path, articles: list[dict[str, str]] = ARTICLES) -> Path:
    """A database ingested in this process from the tiny corpus (or the ``articles`` given)."""
    from onrecord.corpus.build import ingest

    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in articles) + "\n", encoding="utf-8")
    db = folder / "corpus.db"
    ingest([str(path)], db, workers=1)
    return db
