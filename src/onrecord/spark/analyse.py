"""The Spark job's executor side: units -> raw Items -> analysed rows, one Arrow batch at a time.

Each function takes and yields ``pyarrow.RecordBatch`` (Spark's ``mapInArrow``), and runs the
very code of ``onrecord ingest``: ``ingest.sources`` reads the Items, ``corpus.build.analyse_item``
decodes, extracts, detects the language and analyses each one, ``store.rows`` makes its rows.
The spaCy model is loaded by the first Item a Python worker sees and cached at module level
(``pipeline.analyze_raw``), so it is never pickled or broadcast; Spark reuses the worker for
later tasks. Ids are fixed by input order: an article's id is (unit ordinal, record position),
and its quotes, mentions and time expressions are numbered under it, so a rerun gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT
from onrecord.store.parquet import UNDATED, month_of
from onrecord.store.rows import article_record

BATCH_ROWS = 8  # analysed rows per Arrow batch: bounds an executor's memory on long documents
POSITION_BITS = 24  # records per unit: up to 16.7 M
CHILD_BITS = 16  # quotes, mentions or time expressions per article: up to 65,536


def article_id(unit: int, position: int) -> int:
    """An article's id from its place in the input: ordered like ``onrecord ingest`` would number it."""
    return (unit << POSITION_BITS) | position


def child_id(parent: int, index: int) -> int:
    """The id of an article's n-th quote, mention or time expression."""
    if index >= 1 << CHILD_BITS:
        raise ValueError(f"more than {1 << CHILD_BITS} rows of one kind in one article")
    return (parent << CHILD_BITS) | index


def stable_id(text: str) -> int:
    """A positive 60-bit id from a text (outlet names, statement fingerprints, failures)."""
    return int(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:15], 16)


# -- schemas -------------------------------------------------------------------------------------


@cache
def raw_schema() -> Any:
    """One Item as read from its unit (the shuffle between reading and analysis carries these)."""
    import pyarrow as pa

    s, i = pa.string(), pa.int64()
    return pa.schema(
        [("input_id", s), ("unit", i), ("position", i), ("source", s), ("record", s), ("data", pa.binary()),
         ("text", s), ("kind", s), ("title", s), ("url", s), ("published", s), ("published_source", s),
         ("outlet", s), ("error", s), ("skip", pa.bool_())]
    )  # fmt: skip


@cache
def staging_schema() -> Any:
    """One analysed Item: its provenance, its article's own rows, and the rows' lists to explode."""
    import pyarrow as pa

    s, i = pa.string(), pa.int64()
    actor = pa.struct(
        [("local_id", s), ("name", s), ("type", s), ("surname", s), ("given_names", s), ("mentions", i),
         ("aliases", pa.list_(s)), ("roles", pa.list_(s))]
    )  # fmt: skip
    mention = pa.struct([("id", i), ("local_id", s), ("start", i), ("end", i), ("text", s), ("kind", s)])
    quote = pa.struct(
        [("id", i), ("local_id", s), ("speaker", s), ("kind", s), ("start", i), ("end", i), ("text", s),
         ("content_start", i), ("content_end", i), ("statement", s), ("cue", s), ("cue_lemma", s),
         ("attitude", s), ("said_on", s), ("said_on_source", s), ("date", s), ("confidence", pa.float64()),
         ("fingerprint", s)]
    )  # fmt: skip
    timex = pa.struct([("id", i), ("start", i), ("end", i), ("text", s), ("value", s), ("type", s)])
    return pa.schema(
        [("input_id", s), ("unit", i), ("position", i), ("id", i), ("source", s), ("record", s),
         ("status", s), ("reason", s), ("input_hash", s), ("key", s), ("content_hash", s), ("url", s),
         ("outlet", s), ("domain", s), ("language", s), ("analysed", i), ("minhash", pa.binary()),
         ("bands", pa.list_(i)), ("headline", s), ("published", s), ("published_source", s),
         ("format", s), ("text", s), ("analysis", s), ("pipeline_version", s), ("month", s),
         ("actors", pa.list_(actor)), ("mentions", pa.list_(mention)), ("quotes", pa.list_(quote)),
         ("timex", pa.list_(timex))]
    )  # fmt: skip


# -- reading -------------------------------------------------------------------------------------


def read_units(batches: Iterable[Any]) -> Iterator[Any]:
    """(input_id, unit, uri) rows -> every Item of each unit as a raw row, in file order."""
    import pyarrow as pa

    from onrecord.spark.inputs import iter_unit

    schema = raw_schema()
    for batch in batches:
        for unit in batch.to_pylist():
            rows: list[dict[str, Any]] = []
            for position, item in enumerate(iter_unit(unit["uri"])):
                rows.append(
                    {"input_id": unit["input_id"], "unit": unit["unit"], "position": position,
                     "source": item.source, "record": item.record, "data": item.data, "text": item.text,
                     "kind": item.kind, "title": item.title, "url": item.url, "published": item.published,
                     "published_source": item.published_source, "outlet": item.outlet, "error": item.error,
                     "skip": item.skip}
                )  # fmt: skip
                if len(rows) >= BATCH_ROWS * 8:
                    yield pa.RecordBatch.from_pylist(rows, schema=schema)
                    rows = []
            if rows:
                yield pa.RecordBatch.from_pylist(rows, schema=schema)


# -- analysing -----------------------------------------------------------------------------------


def analyse_rows(batches: Iterable[Any], timeout: float | None = DEFAULT_ARTICLE_TIMEOUT) -> Iterator[Any]:
    """Raw Item rows -> analysed rows (``staging_schema``), with the code ``onrecord ingest`` runs;
    an article over ``timeout`` seconds gives a failed row naming the limit."""
    import pyarrow as pa

    schema = staging_schema()
    rows: list[dict[str, Any]] = []
    for batch in batches:
        for raw in batch.to_pylist():
            rows.append(analyse_row(raw, timeout))
            if len(rows) >= BATCH_ROWS:
                yield pa.RecordBatch.from_pylist(rows, schema=schema)
                rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def analyse_row(raw: dict[str, Any], timeout: float | None = DEFAULT_ARTICLE_TIMEOUT) -> dict[str, Any]:
    """One raw Item row -> its analysed row; a bad document gives a skipped or failed row."""
    from onrecord.corpus.build import analyse_item
    from onrecord.ingest.sources import Item
    from onrecord.pipeline import PIPELINE_VERSION

    item = Item(
        raw["source"], raw["record"] or "", data=raw["data"], text=raw["text"], kind=raw["kind"],
        title=raw["title"], url=raw["url"], published=raw["published"],
        published_source=raw["published_source"], outlet=raw["outlet"], error=raw["error"],
        skip=bool(raw["skip"]),
    )  # fmt: skip
    input_hash = item.input_hash()
    result = analyse_item(item, input_hash, None, timeout)
    own = article_id(raw["unit"], raw["position"])
    row: dict[str, Any] = {
        "input_id": raw["input_id"], "unit": raw["unit"], "position": raw["position"], "id": own,
        "source": item.source, "record": item.record, "status": result.status, "reason": result.reason,
        "input_hash": input_hash, "pipeline_version": PIPELINE_VERSION, "month": UNDATED,
    }  # fmt: skip
    if result.status != "article" or result.article is None:
        return row
    record = article_record(result.article, result.language)
    for name in ("mentions", "quotes", "timex"):
        for index, child in enumerate(record[name]):
            child["id"] = child_id(own, index)
    row.update(record)
    row.update(
        key=result.key, content_hash=result.content_hash, url=result.url, outlet=result.outlet,
        domain=result.domain, language=result.language, analysed=int(result.analysed),
        minhash=result.minhash, bands=bands(result.minhash), month=month_of(result.article.published),
    )  # fmt: skip
    return row


@cache
def _banding() -> tuple[int, int]:
    """(bands, rows per band) of corpus/dedup.py's LSH, as datasketch chooses them for its threshold."""
    from datasketch import MinHashLSH

    from onrecord.corpus.dedup import NUM_PERM, THRESHOLD

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def bands(minhash: bytes | None) -> list[int] | None:
    """The LSH band keys of a MinHash: two articles are candidates when one band key is equal."""
    if minhash is None:
        return None
    count, width = _banding()
    step = 4 * width  # 32-bit hash values
    return [
        int.from_bytes(
            hashlib.blake2b(minhash[b * step : (b + 1) * step], digest_size=8).digest(), "big", signed=True
        )
        for b in range(count)
    ]
