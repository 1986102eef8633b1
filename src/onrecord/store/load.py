"""The Parquet output of ``onrecord spark`` -> (DuckDB reads it) -> a SQLite store the web app serves.

The Parquet datasets have the SQLite store's schema (``store/rows.py`` derives one from the other),
so loading is a copy: a new store is created by the very same migrations, its triggers are dropped
for the bulk insert (one row at a time they would update the full-text indexes and the tallies
per row), the rows are copied table by table in foreign-key order, then the triggers are put back,
each external-content full-text index is rebuilt once and ``recount()`` computes the tallies once.

The store is a cache keyed by the output's manifest (``_manifest/datasets.json``, rewritten by
every rebuild of the datasets) and the schema's migrations: it is rebuilt only when either
changed. By default it lives in the user's cache folder, never inside the output folder; a
``--db`` path given by the user is used instead (and may then take corrections).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.store.parquet import DATASETS
from onrecord.store.schema import MIGRATIONS, TABLES, mark_pieces, recount
from onrecord.store.sqlite import connect, store_error, transaction

MANIFEST = Path("_manifest") / "datasets.json"
LOAD_VERSION = "1"  # bump when the loader's output changes for the same input
COMMAND = "serve --parquet"  # the runs row a load writes: what built this store, from which output
BATCH_ROWS = 2_000


@dataclass(frozen=True, slots=True)
class Loaded:
    """A store loaded from a Parquet output: its path, and whether this call (re)built it."""

    path: Path
    built: bool


def cache_folder() -> Path:
    """Where loaded stores are cached: ``$XDG_CACHE_HOME/onrecord/parquet`` (else ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "onrecord" / "parquet"


def output_key(out: Path) -> str:
    """What a loaded store depends on: the output's manifest, the schema's migrations, the loader."""
    manifest = out / MANIFEST
    try:
        built = manifest.read_bytes()
    except OSError:
        raise OnrecordError(
            f"{out}: not a finished onrecord Parquet output (no {MANIFEST}; run `onrecord spark` to the end)"
        ) from None
    digest = hashlib.sha256()
    for part in (built, *(name.encode() for name, _ in MIGRATIONS), LOAD_VERSION.encode()):
        digest.update(part)
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def load(out: str | Path, db: str | Path | None = None) -> Loaded:
    """The SQLite store of a Parquet output, built (or rebuilt) only when the output changed.

    Args:
        out: the ``--out`` folder of ``onrecord spark``.
        db: where to keep the store (default: a file in ``cache_folder()`` named after ``out``).
            An existing file is reused if it was loaded from this very output; a store loaded from
            an older state of it is rebuilt unless it holds judgements (then refused); any other
            database is refused rather than overwritten.

    Returns:
        The store's path, and whether it was built now.
    """
    root = Path(out).resolve()
    key = output_key(root)
    if db is None:
        folder = cache_folder()
        prefix = hashlib.sha256(str(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        target = folder / f"{prefix}-{key}.db"
        if target.exists():
            return Loaded(target, built=False)
        _build(root, target, key)
        for stale in folder.glob(f"{prefix}-*.db"):  # the same output, loaded before it changed
            if stale != target:
                _remove(stale)
        return Loaded(target, built=True)
    target = Path(db)
    if target.exists():
        if _loaded_key(target, root) == key:
            return Loaded(target, built=False)
        _check_replaceable(target, root)
    _build(root, target, key)
    return Loaded(target, built=True)


def _command(root: Path, key: str) -> str:
    return f"{COMMAND} {root} ({key})"


def _loaded_key(path: Path, root: Path) -> str | None:
    """The key a store was loaded with from ``root``, or None if it was not loaded from it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT command FROM runs ORDER BY id LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    prefix = f"{COMMAND} {root} ("
    if row is None or not str(row[0]).startswith(prefix):
        return None
    return str(row[0])[len(prefix) : -1]


def _check_replaceable(path: Path, root: Path) -> None:
    """Refuse to replace a store not loaded from ``root``, or one holding corrections."""
    if _loaded_key(path, root) is None:
        raise OnrecordError(
            f"{path}: this database was not loaded from {root}; give --db a new file name"
            " (an existing store is never overwritten)"
        )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        judged = int(conn.execute("SELECT count(*) FROM judgements").fetchone()[0])
    finally:
        conn.close()
    if judged:
        raise OnrecordError(
            f"{path}: loaded from an older state of {root} and holds {judged} judgements;"
            " give --db a new file name (this one keeps them: `onrecord judgements --db` lists them)"
        )


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _build(root: Path, target: Path, key: str) -> None:
    """Load every dataset into a new store next to ``target``, then move it into place."""
    from onrecord.store.parquet import open_duckdb

    duck = open_duckdb(root)  # checks that every dataset is there
    tmp = target.with_name(target.name + ".loading")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove(tmp)
        conn = connect(tmp)
        try:
            started = _now()
            with transaction(conn):
                triggers = _drop_triggers(conn)
                counts = {table: _copy(duck, conn, root, table) for table in TABLES if table in DATASETS}
                mark_pieces(conn)  # the datasets keep every piece; the search and tallies count one
                for sql in triggers:
                    conn.execute(sql)
                _rebuild_full_text(conn)
                recount(conn)
                conn.execute(
                    "INSERT INTO runs (started_at, finished_at, command, pipeline_version, new)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (started, _now(), _command(root, key), _pipeline_versions(conn), counts["articles"]),
                )
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        _remove(target)
        tmp.replace(target)
    except (sqlite3.Error, OSError) as exc:
        raise OnrecordError(store_error(tmp, exc)) from None
    finally:
        duck.close()
        _remove(tmp)


def _drop_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop every trigger and return their SQL, to create them again after the bulk insert."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid"
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [str(sql) for _name, sql in rows]


def _copy(duck: Any, conn: sqlite3.Connection, root: Path, table: str) -> int:
    """Copy one dataset into its table: the columns both have, in Arrow batches; returns the rows."""
    files = sorted((root / table).rglob("*.parquet"))
    if not files:
        return 0
    stored = [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')]
    paths = [str(f) for f in files]
    source = "read_parquet(?, hive_partitioning = false, union_by_name = true)"
    present = {str(row[0]) for row in duck.execute(f"DESCRIBE SELECT * FROM {source}", [paths]).fetchall()}  # noqa: S608
    # A column the output lacks (written before a migration added it) keeps the column's default.
    columns = [c for c in stored if c in present]
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = duck.execute(f"SELECT {quoted} FROM {source}", [paths])  # noqa: S608  (our names)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in columns)})'  # noqa: S608
    count = 0
    while rows := cursor.fetchmany(BATCH_ROWS):
        conn.executemany(insert, rows)
        count += len(rows)
    return count


def _rebuild_full_text(conn: sqlite3.Connection) -> None:
    """Rebuild each external-content FTS5 index from its table, once, after the bulk insert."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    for name, sql in rows:
        text = str(sql).lower()
        if "using fts5" in text and "content=" in text and "content=''" not in text:
            conn.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')  # noqa: S608  (schema names)


def _pipeline_versions(conn: sqlite3.Connection) -> str:
    rows = conn.execute("SELECT DISTINCT pipeline_version FROM articles ORDER BY 1").fetchall()
    return ",".join(str(row[0]) for row in rows)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
