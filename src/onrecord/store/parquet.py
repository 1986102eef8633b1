"""The Parquet store: the Spark job's datasets -> DuckDB views -> the answers of ``onrecord.queries``.

One dataset per store table, named, typed and ordered like it (``store/rows.py`` derives the
Arrow schemas from ``store/schema.py``). Per-article tables are partitioned by publication month
(``month=YYYY-MM`` folders, ``month=unknown`` when undated); the partition column lives in the
folder names only, so the files hold exactly the store's columns. Querying needs no Spark: DuckDB
reads the files in place.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.queries import like_pattern, placeholders, surname_keys
from onrecord.store.rows import table_columns
from onrecord.store.schema import CONFIDENT_SQL

# Tables written per article, partitioned by the article's publication month.
PER_ARTICLE = ("articles", "article_actors", "mentions", "quotes", "time_expressions")
# Corpus-level tables, small next to the per-article ones, one dataset each.
CORPUS = ("outlets", "stories", "actors", "actor_aliases", "actor_roles", "statements", "failures")
DATASETS = PER_ARTICLE + CORPUS
PARTITION = "month"
UNDATED = "unknown"
SUCCESS = "_SUCCESS"  # the empty file Spark leaves in a dataset it finished writing
# Characters Hive (and so Spark) writes as %XX in a partition folder's name.
_ESCAPED = frozenset("\"#%'*/:=?\\\x7f{[]^") | frozenset(chr(c) for c in range(0x20))


def month_of(date: str | None) -> str:
    """The partition of a YYYY-MM-DD date: YYYY-MM, or ``unknown``."""
    return date[:7] if date and len(date) >= 7 and date[:4].isdigit() and date[4] == "-" else UNDATED


def partition_folder(month: str) -> str:
    """The folder of a month's rows in a per-article dataset, ``month=2020-10``, escaped as Spark does."""
    return f"{PARTITION}=" + "".join(f"%{ord(c):02X}" if c in _ESCAPED else c for c in month)


def open_duckdb(out: str | Path) -> Any:
    """A DuckDB connection with one view per dataset, named and typed like the SQLite tables."""
    import duckdb

    root = Path(out)
    missing = [t for t in DATASETS if not (root / t).is_dir()]
    if missing:
        raise OnrecordError(
            f"{out}: not an onrecord Parquet output (no {', '.join(missing)};"
            " create it with `onrecord spark`)"
        )
    conn = duckdb.connect(":memory:")
    for table in DATASETS:
        files = sorted((root / table).rglob("*.parquet"))
        if files:
            paths = "[" + ", ".join(_sql_string(str(f)) for f in files) + "]"
            source = f"read_parquet({paths}, hive_partitioning = false, union_by_name = true)"
            present = {str(row[0]) for row in conn.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}  # noqa: S608
            # A column the output lacks (written before a migration added it, e.g. quotes.confidence)
            # reads as NULL, as the SQLite store's rows from before that migration do.
            columns = ", ".join(
                f'"{n}"' if n in present else f'CAST(NULL AS {_duck_type(t)}) AS "{n}"'
                for n, t, _nn in table_columns(table)
            )
            conn.execute(f"CREATE VIEW {table} AS SELECT {columns} FROM {source}")  # noqa: S608  (our names)
        else:
            # An empty dataset (no failures, say): an empty table of the right shape.
            types = ", ".join(f'"{n}" {_duck_type(t)}' for n, t, _nn in table_columns(table))
            conn.execute(f"CREATE TABLE {table} ({types})")
    return conn


def _duck_type(sqlite_type: str) -> str:
    # SQLite's REAL is a double; DuckDB's REAL is a 4-byte float.
    return "DOUBLE" if sqlite_type == "REAL" else sqlite_type


def _sql_string(text: str) -> str:
    # DDL cannot take parameters; the paths are our own files, quoted as SQL string literals.
    return "'" + text.replace("'", "''") + "'"


# -- the read side over Parquet: the answers of ``onrecord.queries``, in DuckDB SQL ---------------
#
# Same filters, same order, same columns as the SQLite queries. SQLite's full-text index is
# replaced by a token match (FTS5's unicode61 tokenizer: letters and digits, case and accents
# folded; each query word a phrase, every word required), and NULL dates sort first as in SQLite.

_NORMAL = (
    r"' ' || trim(regexp_replace(lower(strip_accents(coalesce({col}, ''))), '[^\p{{L}}\p{{N}}]+', ' ', 'g'))"
    r" || ' '"
)
_TOKEN = re.compile(r"[^\W_]+")


def _phrases(text: str) -> list[str]:
    """The user's words as FTS5 phrases: each word's tokens, space-padded for a containment test."""
    phrases = []
    for word in text.split():
        folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        tokens = _TOKEN.findall(folded.lower())
        if tokens:
            phrases.append(" " + " ".join(tokens) + " ")
    return phrases


def _match(columns: list[str], phrases: list[str]) -> tuple[str, list[Any]]:
    """SQL for: every phrase occurs in one of ``columns`` (no phrase: no row, as an empty FTS query)."""
    if not phrases:
        return "FALSE", []
    normal = [_NORMAL.format(col=c) for c in columns]
    clause = " AND ".join("(" + " OR ".join(f"contains({n}, ?)" for n in normal) + ")" for _ in phrases)
    return clause, [p for p in phrases for _ in normal]


def find_actors(conn: Any, name: str) -> list[str]:
    """Actor ids a name can mean (as ``queries.find_actors``)."""
    folded = " ".join(name.split())
    keys = surname_keys(folded)
    for sql, params in (
        (
            "SELECT id FROM actors WHERE id = ? OR lower(name) = lower(?)"
            " UNION SELECT actor_id FROM actor_aliases WHERE lower(alias) = lower(?)",
            [folded, folded, folded],
        ),
        (
            f"SELECT id FROM actors WHERE surname IN ({placeholders(keys)}) AND type = 'person'",  # noqa: S608
            keys,
        ),
        ("SELECT id FROM actors WHERE name ILIKE ? ESCAPE '\\'", [f"%{like_pattern(folded)}%"]),
    ):
        ids = [str(row[0]) for row in conn.execute(sql, params).fetchall()]
        if ids:
            return sorted(ids)
    return []


def _mention_of(ids: list[str]) -> str:
    # Placeholders only: the ids go in as parameters.
    return f"m.article_id = q.article_id AND m.actor_id IN ({placeholders(ids)})"


def _rows(conn: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _page(
    conn: Any, select: str, where: list[str], params: list[Any], order: str, limit: int, offset: int
) -> Any:
    from onrecord.queries import Page

    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT count(*) FROM ({select}{clause})", params).fetchone()[0])  # noqa: S608
    rows = _rows(conn, f"{select}{clause} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
    return Page(rows, total, limit, offset)


# A statement told in pieces is one quote row per piece, all with the statement's span: its first
# piece alone is listed and counted (as ``queries.FIRST_PIECE``; Spark's rows carry no piece number).
FIRST_PIECE = (
    "NOT EXISTS (SELECT 1 FROM quotes p WHERE p.article_id = q.article_id"
    " AND p.content_start = q.content_start AND p.content_end = q.content_end AND p.id < q.id)"
)

QUOTE_SELECT = """SELECT q.id, q.date, q.speaker,
 coalesce(ac.name, q.speaker) AS actor, q.actor_id, q.confidence, q.kind, q.statement, q.text AS quoted,
 q.cue_lemma AS cue, q.attitude, q.content_start, q.content_end, o.name AS outlet, a.headline,
 coalesce(a.url, a.source) AS source, q.article_id, q.statement_id, a.language
 FROM quotes q JOIN articles a ON a.id = q.article_id
 LEFT JOIN actors ac ON ac.id = q.actor_id LEFT JOIN outlets o ON o.id = a.outlet_id"""


def quotes(
    conn: Any,
    *,
    speaker: str | None = None,
    search: str | None = None,
    about: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_confidence: float | None = None,
    language: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Any:
    """Statements matching every filter given, oldest first (as ``queries.quotes``)."""
    where: list[str] = [FIRST_PIECE]
    params: list[Any] = []
    if speaker:
        ids = find_actors(conn, speaker)
        where.append(f"q.actor_id IN ({placeholders(ids)})")
        params += ids
    if search:
        clause, values = _match(["q.statement", "q.speaker"], _phrases(search))
        where.append(clause)
        params += values
    if about:
        ids = find_actors(conn, about)
        within = 'm.start >= q.content_start AND m."end" <= q.content_end'
        inside = f"EXISTS (SELECT 1 FROM mentions m WHERE {_mention_of(ids)} AND {within})"  # noqa: S608
        clause, values = _match(["q.statement"], _phrases(about))
        where.append(f"({inside} OR ({clause}))")
        params += [*ids, *values]
    if outlet:
        where.append("lower(o.name) = lower(?)")
        params.append(outlet)
    if since:
        where.append("q.date >= ?")
        params.append(since)
    if until:
        where.append("q.date <= ?")
        params.append(until)
    if min_confidence is not None:
        where.append("q.confidence >= ?")
        params.append(min_confidence)
    if language:
        where.append("a.language = ?")
        params.append(language)
    return _page(conn, QUOTE_SELECT, where, params, "q.date NULLS FIRST, q.id", limit, offset)


def actors(
    conn: Any, *, search: str | None = None, confident_only: bool = True, limit: int = 20, offset: int = 0
) -> Any:
    """Actors, most mentioned first, optionally those whose name or alias contains ``search``;
    ``statements`` counts the confident attributions unless ``confident_only`` is False (as
    ``queries.actors``)."""
    confident = f" AND {CONFIDENT_SQL.format(row='q')}" if confident_only else ""
    select = f"""SELECT ac.id, ac.name, ac.type, ac.mentions,
     (SELECT count(*) FROM quotes q WHERE q.actor_id = ac.id AND {FIRST_PIECE}{confident}) AS statements,
     (SELECT count(*) FROM article_actors aa WHERE aa.actor_id = ac.id) AS articles FROM actors ac"""  # noqa: S608  (fixed SQL)
    where: list[str] = []
    params: list[Any] = []
    if search:
        pattern = f"%{like_pattern(search.strip())}%"
        where.append(
            "(ac.name ILIKE ? ESCAPE '\\' OR ac.id IN (SELECT actor_id FROM actor_aliases"
            " WHERE alias ILIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern]
    return _page(conn, select, where, params, "ac.mentions DESC, ac.id", limit, offset)


def timeline(conn: Any, name_or_text: str, *, limit: int = 20, offset: int = 0) -> Any:
    """Dated statements by an actor and the articles naming them (or containing the words), oldest first."""
    ids = find_actors(conn, name_or_text)
    if ids:
        marks = placeholders(ids)
        quote_where = f"q.actor_id IN ({marks})"
        article_where = f"a.id IN (SELECT article_id FROM article_actors WHERE actor_id IN ({marks}))"  # noqa: S608
        quote_params: list[Any] = list(ids)
        article_params: list[Any] = list(ids)
    else:
        phrases = _phrases(name_or_text)
        quote_where, quote_params = _match(["q.statement", "q.speaker"], phrases)
        article_where, article_params = _match(["a.headline", "a.text"], phrases)
    select = f"""SELECT * FROM (
     SELECT q.date AS date, 'statement' AS kind, q.speaker AS who,
      q.statement AS what, a.headline, q.id AS ref FROM quotes q JOIN articles a ON a.id = q.article_id
      WHERE {quote_where} AND {FIRST_PIECE}
     UNION ALL
     SELECT a.published, 'article', NULL, a.headline, a.headline, a.id FROM articles a
      WHERE {article_where})"""  # noqa: S608  (user input only in parameters)
    return _page(
        conn,
        select,
        ["date IS NOT NULL"],
        [*quote_params, *article_params],
        "date, kind DESC, ref",
        limit,
        offset,
    )
