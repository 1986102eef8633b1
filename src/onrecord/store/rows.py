"""Store rows: the SQLite schema -> Arrow schemas, and one analysed Article -> its per-article rows.

The column names and types of every Parquet dataset come from ``store/schema.py``: the migrations
are applied to an empty in-memory SQLite database and each table's ``PRAGMA table_info`` is mapped
to Arrow, so the Spark job's output and the SQLite store cannot drift apart. ``article_record``
turns an Article into the rows the store writes for it, before the corpus-level facts (global
actor ids, statements, stories) are known; the Spark job fills those in with its corpus stages.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.model import Actor, Article, Quote
from onrecord.store.schema import MIGRATIONS

_ARROW_TYPES = {"INTEGER": "int64", "TEXT": "string", "BLOB": "binary", "REAL": "float64"}
_POSSESSIVE = re.compile(r"['’]s$")


@cache
def table_columns(table: str) -> tuple[tuple[str, str, bool], ...]:
    """(name, SQLite type, not null) of each column of ``table``, as the migrations leave it."""
    conn = sqlite3.connect(":memory:")
    try:
        for _name, migration in MIGRATIONS:
            migration(conn)
        rows = conn.execute('SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (table,))
        columns = tuple((str(n), str(t).upper(), bool(nn) or bool(pk)) for n, t, nn, pk in rows)
    finally:
        conn.close()
    if not columns:
        raise OnrecordError(f"no table {table!r} in the store schema")
    return columns


def column_names(table: str) -> list[str]:
    """The columns of a store table, in schema order."""
    return [name for name, _type, _nn in table_columns(table)]


def arrow_schema(table: str) -> Any:
    """The Arrow schema of one dataset: the SQLite table's columns, types and NOT NULL flags."""
    import pyarrow as pa

    fields = []
    for name, sqlite_type, not_null in table_columns(table):
        if sqlite_type not in _ARROW_TYPES:
            raise OnrecordError(f"column {table}.{name}: SQLite type {sqlite_type} has no Arrow type")
        fields.append(pa.field(name, pa.type_for_alias(_ARROW_TYPES[sqlite_type]), nullable=not not_null))
    return pa.schema(fields)


def headline(article: Article) -> str | None:
    """The stored headline: the headline span's text, else the headline the page gave."""
    if article.headline is not None:
        return article.slice(article.headline)
    return article.headline_text


def analysis_json(article: Article) -> str:
    """The stored analysis of an article: its JSON contract without the text (kept in its own column)."""
    analysis = article.to_dict()
    analysis.pop("text")
    return json.dumps(analysis, ensure_ascii=False)


def aliases(article: Article, actor: Actor) -> list[str]:
    """The names an article gives an actor: its canonical name and each name mention, sans possessive."""
    names = {actor.name} | {
        _POSSESSIVE.sub("", article.slice(m.span)) for m in actor.mentions if m.kind == "name"
    }
    return sorted(names)


def quote_columns(article: Article, quote: Quote) -> dict[str, Any]:
    """The ``quotes`` columns a quote decides by itself (no ids, statement or pipeline version)."""
    actor = article.actor(quote.actor_id)
    return {
        "speaker": actor.name if actor else None,
        "kind": quote.kind,
        "start": quote.span.start,
        "end": quote.span.end,
        "text": article.slice(quote.span),
        "content_start": quote.statement.start,
        "content_end": quote.statement.end,
        "statement": article.slice(quote.statement),
        "cue": article.slice(quote.cue.span) if quote.cue else None,
        "cue_lemma": quote.cue.lemma if quote.cue else None,
        "attitude": quote.cue.attitude if quote.cue else None,
        "said_on": quote.said_on,
        "said_on_source": quote.said_on_source,
        # A statement recalled without a date has none: not the day the article appeared.
        "date": quote.said_on or (None if quote.said_on_source == "recalled" else article.published),
        "confidence": quote.confidence,
    }


def timex_rows(article: Article) -> list[dict[str, Any]]:
    """The ``time_expressions`` columns of each of an article's time expressions."""
    return [
        {
            "start": x.span.start,
            "end": x.span.end,
            "text": article.slice(x.span),
            "value": x.value,
            "type": x.type,
        }
        for x in article.timex
    ]


def article_record(article: Article, language: str | None = None) -> dict[str, Any]:
    """The per-article rows of one analysed Article, local actor ids not yet resolved.

    ``language`` is the article's: its people's surname keys are spelt as its names are
    (``corpus.identities.split_name``), so that the corpus stage groups them with the same people
    named in other languages.

    Keys: the ``articles`` columns the article itself decides (``headline``, ``published``,
    ``published_source``, ``format``, ``text``, ``analysis``), and the lists ``actors`` (one per
    article actor, with its aliases, roles and mention count), ``mentions``, ``quotes`` (with their
    statement date and fingerprint) and ``timex``, each row with the SQLite columns it maps to.
    """
    from onrecord.corpus.identities import quote_fingerprint, split_name

    actors = []
    mentions = []
    for actor in article.actors:
        given, surname = split_name(actor.name, actor.type, language)
        actors.append(
            {
                "local_id": actor.id,
                "name": actor.name,
                "type": actor.type,
                "surname": surname,
                "given_names": given,
                "mentions": len(actor.mentions),
                "aliases": aliases(article, actor),
                "roles": list(actor.roles),
            }
        )
        mentions += [
            {
                "local_id": actor.id,
                "start": m.span.start,
                "end": m.span.end,
                "text": article.slice(m.span),
                "kind": m.kind,
            }
            for m in actor.mentions
        ]
    return {
        "headline": headline(article),
        "published": article.published,
        "published_source": article.published_source,
        "format": article.format,
        "text": article.text,
        "analysis": analysis_json(article),
        "actors": actors,
        "mentions": mentions,
        "quotes": [_quote_row(article, index, quote_fingerprint) for index in range(len(article.quotes))],
        "timex": timex_rows(article),
    }


def _quote_row(article: Article, index: int, fingerprint: Any) -> dict[str, Any]:
    quote = article.quotes[index]
    local_id = quote.actor_id if article.actor(quote.actor_id) else None
    row = {"index": index, "local_id": local_id, **quote_columns(article, quote)}
    row["fingerprint"] = fingerprint(article, quote)
    return row
