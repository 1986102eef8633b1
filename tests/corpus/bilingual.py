"""An English and German corpus for the language facet's tests, built once a session (import, not conftest).

The English and Italian articles are the small corpus's (``corpus.sample``; Italian has no language
pack: stored, not analysed); the German ones quote the same spokesman under his German name ("Dmitri
Peskow": one actor with "Dmitry Peskov") and a mayor only the German press quotes. One outlet's
name is hostile: it is rendered beside the statements.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.sample import ARTICLES

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
ENGLISH = ARTICLES[:3]
ITALIAN = ARTICLES[3:]
GERMAN = [
    {
        "title": "Kreml zur Verlängerung bereit",
        "text": "Kremlsprecher Dmitri Peskow sagte am Montag, Russland sei bereit, den Vertrag um ein Jahr"
        " zu verlängern. „Das Angebot gilt bis Februar“, sagte Peskow vor Journalisten in Moskau.",
        "url": "https://zeitung.example.de/kreml",
        "date": "2020-10-21",
        "outlet": f"Beispielzeitung {HOSTILE}",
    },
    {
        "title": "Streit um den Hafen",
        "text": "Der Bürgermeister Klaus Berger sagte am Montag, die Stadt werde den Hafen nicht verkaufen."
        " „Das kommt nicht in Frage“, sagte er vor den Abgeordneten im Rathaus der Stadt.",
        "url": "https://zeitung.example.de/hafen",
        "date": "2020-10-22",
        "outlet": "Beispielzeitung",
    },
]


def bilingual_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus's database, ingested the first time a test asks for it in this session."""
    from onrecord.corpus.build import ingest

    folder = tmp_path_factory.getbasetemp() / "bilingual"
    db = folder / "corpus.db"
    if not db.exists():
        folder.mkdir(exist_ok=True)
        source = folder / "articles.jsonl"
        source.write_text(
            "\n".join(json.dumps(row) for row in ENGLISH + GERMAN + ITALIAN) + "\n", encoding="utf-8"
        )
        ingest([str(source)], db, workers=1)
    return db
