"""A small hand-made corpus for corpus identities: one Putin under three names, Peskov and Putin
given their titles, then named only by them; two Trumps; an office no one clearly holds (import)."""

from __future__ import annotations

from pathlib import Path

from corpus.sample import write_jsonl


def _row(url: str, date: str, outlet: str, title: str, text: str) -> dict[str, str]:
    return {"url": url, "date": date, "outlet": outlet, "title": title, "text": text}


NEWS, WIRE = "Example News", "Example Wire"
ARTICLES = [
    _row("https://a.example/peskov-1", "2020-10-19", NEWS, "Kremlin rejects report",
         'Kremlin spokesman Dmitry Peskov said on Monday that the report was "absolute nonsense." '
         "The Kremlin has denied similar reports before."),
    _row("https://a.example/trump-1", "2020-10-20", NEWS, "Trump on Iran",
         'President Donald Trump said on Tuesday that Iran "will never have a nuclear weapon." '
         "Secretary of State Mike Pompeo agreed."),
    _row("https://a.example/putin-1", "2020-10-21", NEWS, "Putin offers extension",
         'Russian President Vladimir Putin said on Wednesday that the treaty "must be extended without '
         'conditions." Talks are expected next month.'),
    _row("https://b.example/ivanka-1", "2020-10-22", WIRE, "Ivanka Trump visits factory",
         'Ivanka Trump, a senior adviser to the president, said the new plant was "a great day for American '
         'workers." She toured the site with local officials.'),
    _row("https://b.example/putin-2", "2020-10-23", WIRE, "Putin speaks at forum",
         'Vladimir Vladimirovich Putin spoke at the Valdai forum. "We are open to dialogue," Putin said.'),
    _row("https://a.example/kremlin-2", "2020-11-03", NEWS, "Moscow warns of response",
         'The Kremlin spokesman said on Tuesday that the new sanctions were "a hostile act that will not go '
         'unanswered." No further details were given.'),
    _row("https://b.example/trump-2", "2020-11-04", WIRE, "Trump claims victory",
         'President Trump said on Wednesday that he had "won this election" and that Pompeo would lead the '
         "transition talks."),
    _row("https://a.example/president-1", "2020-11-05", NEWS, "President speaks",
         'The president said on Thursday that the country was "ready for anything." Aides declined to '
         "comment."),
    _row("https://b.example/kremlin-3", "2023-06-01", WIRE, "Kremlin silent",
         'The Kremlin spokesman said on Thursday that there was "nothing to add." Officials gave no '
         "details."),
]  # fmt: skip
PESKOV = "p-36751365fad6"  # Actor.make_id("Dmitry Peskov", "person")
DONALD = "p-1a4cd83e2d7d"  # Actor.make_id("Donald Trump", "person")
IVANKA = "p-03e3e800ffed"  # Actor.make_id("Ivanka Trump", "person")


def write(folder: Path) -> Path:
    return write_jsonl(folder / "identities.jsonl", ARTICLES)


def build(folder: Path) -> Path:
    """A database ingested (in this process) from this corpus."""
    from onrecord.corpus.build import ingest

    db = folder / "identities.db"
    ingest([str(write(folder))], db, workers=1)
    return db
