"""The SQLite store -> Parquet datasets laid out exactly as the Spark job writes them.

``onrecord export --format parquet DIR`` writes one dataset per table of ``store/parquet.py``
(``DATASETS``), each file typed by ``store/rows.arrow_schema``, the schema the Spark job casts its
output to: per-article tables in ``month=YYYY-MM`` folders (``month=unknown`` when undated; the
month only in the folder names), corpus tables as one file each, a ``_SUCCESS`` file in every
dataset. So ``quotes|actors|timeline --parquet``, ``serve --parquet`` and DuckDB read an export
of a SQLite store as they read the Spark job's output.

Rows are read in one read transaction (one state of the store, even while an ingest writes) and
written table by table, a month at a time, in bounded row groups: memory does not grow with the
store. Columns referring to tables that have no dataset (``run_id``: ``runs``) are written null,
as the Spark job writes them. A new export is written under ``DIR/_export`` and only then moved
over the datasets it replaces; ``_manifest/datasets.json``, the key ``serve --parquet`` caches
by, is written last, and ``_manifest/export.json`` marks the folder as an export.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.store.load import MANIFEST
from onrecord.store.parquet import DATASETS, PER_ARTICLE, SUCCESS, UNDATED, month_of, partition_folder
from onrecord.store.rows import arrow_schema, column_names

# Says that a folder holds an export (and may be replaced by the next one); written first, kept
# while an export is replaced, so a folder left by a killed export is still recognised as one.
EXPORT_MARK = MANIFEST.parent / "export.json"
STAGING = "_export"  # the new datasets, until they replace the old ones
FETCH_ROWS = 1_000
# A row group is written when either is reached: the bytes bound memory on long articles (the
# text and its analysis), the rows keep row groups of small rows from being tiny.
ROW_GROUP_ROWS = 100_000
ROW_GROUP_BYTES = 32 << 20


@dataclass(frozen=True, slots=True)
class ParquetExport:
    """What an export wrote: the folder, the rows of each dataset, and whether it replaced one."""

    out: Path
    rows: dict[str, int]
    replaced: bool


def export_parquet(
    conn: sqlite3.Connection, out: str | Path, *, min_confidence: float | None = None
) -> ParquetExport:
    """Write the store's tables under ``out`` as the Parquet datasets of ``onrecord spark``.

    Args:
        conn: the store (``queries.open_db``).
        out: the folder: new, empty, or an earlier export, whose datasets are replaced (any other
            file in it is left alone). Anything else, the Spark job's output included, is refused.
        min_confidence: keep only the quotes whose speaker confidence is at least this (never
            scored: left out); the other datasets are written whole.

    Returns:
        The ParquetExport.

    Raises:
        OnrecordError: ``out`` is not a folder an export may write, or it cannot be written.
    """
    root = Path(out)
    source = _database_file(conn)
    staging = root / STAGING
    try:
        replaced = _check_folder(root)
    except OSError as exc:
        raise OnrecordError(f"{root}: cannot be read ({exc.strerror or exc})") from None
    try:
        root.mkdir(parents=True, exist_ok=True)
        _write_json(root / EXPORT_MARK, {"from": source})
        _remove(staging)
        with _snapshot(conn, source):
            rows = {table: _write_dataset(conn, table, staging / table, min_confidence) for table in DATASETS}
        # Until the new manifest is written the folder is unfinished: `serve --parquet` refuses it.
        # (A failure before this point leaves an earlier export whole, manifest and all.)
        (root / MANIFEST).unlink(missing_ok=True)
        for table in DATASETS:
            _remove(root / table)
            (staging / table).rename(root / table)
        staging.rmdir()
        # A new id each time: `serve --parquet` reloads a store exported again, even within a second.
        exported = {"id": uuid.uuid4().hex, "from": source, "at": _now(), "min_confidence": min_confidence}
        _write_json(root / MANIFEST, {"export": exported, "rows": rows})
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OnrecordError(
            f"{root}: cannot write the export ({exc.strerror or exc}); check that the folder is"
            " writable and the disk has room"
        ) from None
    except OnrecordError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ParquetExport(root, rows, replaced)


def is_export(out: str | Path) -> bool:
    """Whether a folder holds an export of a SQLite store (not the Spark job's own output)."""
    return (Path(out) / EXPORT_MARK).is_file()


def _check_folder(root: Path) -> bool:
    """Whether ``root`` holds an earlier export, to be replaced; raises unless it is that, new or empty."""
    if not root.exists():
        return False
    if not root.is_dir():
        raise OnrecordError(f"{root}: not a folder; give a new or empty folder for the Parquet datasets")
    if is_export(root):
        return True
    if not any(root.iterdir()):
        return False
    if (root / MANIFEST.parent).is_dir():
        raise OnrecordError(
            f"{root}: holds the output of `onrecord spark`, which an export never replaces;"
            " give a new or empty folder"
        )
    raise OnrecordError(
        f"{root}: not empty and not an onrecord Parquet export; give a new or empty folder"
        " (an export replaces only an earlier export)"
    )


def _database_file(conn: sqlite3.Connection) -> str:
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return str(row[2])
    return ""


@contextmanager
def _snapshot(conn: sqlite3.Connection, source: str) -> Iterator[None]:
    """One read transaction around the export (every table from one state of the store)."""
    began = not conn.in_transaction
    try:
        if began:
            conn.execute("BEGIN")
        yield
    except sqlite3.Error as exc:
        raise OnrecordError(f"{source}: cannot read the database ({exc})") from None
    finally:
        if began and conn.in_transaction:
            conn.execute("ROLLBACK")


def _select(conn: sqlite3.Connection, table: str, min_confidence: float | None) -> tuple[str, list[Any]]:
    """The query of one dataset's rows; a per-article table's rows end with their article's date."""
    # A reference to a table without a dataset (runs) would point nowhere: null, as Spark writes it.
    outside = {
        str(row[3])
        for row in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        if str(row[2]) not in DATASETS
    }
    columns = ", ".join("NULL" if c in outside else f't."{c}"' for c in column_names(table))
    where, params = ("", [])
    if table == "quotes" and min_confidence is not None:
        where, params = (" WHERE t.confidence >= ?", [min_confidence])
    # Sorted by date, each month's rows come together: one file open at a time (and the undated).
    if table == "articles":
        return f"SELECT {columns}, t.published FROM articles t ORDER BY t.published, t.id", []  # noqa: S608  (schema names)
    if table in PER_ARTICLE:
        return (
            # Articles first, in date order (their index), then each one's rows (theirs): no sort
            # of the whole table (a temporary b-tree the size of the quotes, left to the planner).
            f"SELECT {columns}, a.published FROM articles a CROSS JOIN {table} t ON t.article_id = a.id"  # noqa: S608  (schema names)
            f"{where} ORDER BY a.published, a.id, t.rowid",
            params,
        )
    return f"SELECT {columns} FROM {table} t{where} ORDER BY t.rowid", params  # noqa: S608  (schema names)


def _write_dataset(conn: sqlite3.Connection, table: str, folder: Path, min_confidence: float | None) -> int:
    """Write one dataset into ``folder``; returns its rows."""
    sql, params = _select(conn, table, min_confidence)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples
    cursor.execute(sql, params)
    folder.mkdir(parents=True)
    files = _Files(table, folder)
    partitioned = table in PER_ARTICLE
    try:
        while rows := cursor.fetchmany(FETCH_ROWS):
            for row in rows:
                if partitioned:
                    files.add(month_of(row[-1]), row[:-1])
                else:
                    files.add(None, row)
        if not partitioned and not files.rows:
            files.empty()  # Spark writes the schema of an empty corpus dataset in one file too
        files.close()
    except BaseException:
        files.abort()
        raise
    (folder / SUCCESS).touch()
    return files.rows


class _Files:
    """The files of one dataset being written: one per partition at a time, rows buffered in groups."""

    def __init__(self, table: str, folder: Path) -> None:
        self.table = table
        self.folder = folder
        self.schema = arrow_schema(table)
        self.writers: dict[str | None, Any] = {}
        self.buffers: dict[str | None, list[tuple[Any, ...]]] = {}
        self.sizes: Counter[str | None] = Counter()
        self.parts: Counter[str | None] = Counter()
        self.rows = 0

    def add(self, month: str | None, row: tuple[Any, ...]) -> None:
        """Add a row to a month's file (``None``: a corpus dataset's only file)."""
        if month not in self.buffers:
            # The rows come sorted by date: a month that ends is done; the undated come throughout.
            if month not in (None, UNDATED):
                for done in [m for m in self.buffers if m not in (None, UNDATED)]:
                    self._close(done)
            self.buffers[month] = []
        self.buffers[month].append(row)
        self.sizes[month] += sum(len(v) for v in row if isinstance(v, str | bytes)) + 8 * len(row)
        self.rows += 1
        if len(self.buffers[month]) >= ROW_GROUP_ROWS or self.sizes[month] >= ROW_GROUP_BYTES:
            self._flush(month)

    def empty(self) -> None:
        self._writer(None).write_table(self.schema.empty_table())

    def close(self) -> None:
        """Write what is buffered and close every file."""
        for month in list(self.buffers):
            self._close(month)
        self.abort()

    def abort(self) -> None:
        """Close every file, writing nothing more (the dataset is thrown away)."""
        for writer in self.writers.values():
            writer.close()
        self.writers.clear()

    def _close(self, month: str | None) -> None:
        self._flush(month)
        del self.buffers[month]
        writer = self.writers.pop(month, None)
        if writer is not None:
            writer.close()

    def _flush(self, month: str | None) -> None:
        import pyarrow as pa

        rows = self.buffers[month]
        self.buffers[month] = []
        self.sizes[month] = 0
        if not rows:
            return
        try:
            table = pa.Table.from_arrays(
                [
                    pa.array(values, type=f.type)
                    for f, values in zip(self.schema, zip(*rows, strict=True), strict=True)
                ],
                schema=self.schema,
            )
            self._writer(month).write_table(table)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise OnrecordError(
                f"{self.table}: a stored value does not fit the schema ({exc}); was the database"
                " changed outside onrecord? Fix or delete that row and export again"
            ) from None

    def _writer(self, month: str | None) -> Any:
        import pyarrow.parquet as pq

        if month not in self.writers:
            folder = self.folder if month is None else self.folder / partition_folder(month)
            folder.mkdir(exist_ok=True)
            # A month seen again (rows not sorted as expected) gets a file of its own, not an overwrite.
            name = f"part-{self.parts[month]:05d}.parquet"
            self.parts[month] += 1
            self.writers[month] = pq.ParquetWriter(folder / name, self.schema)
        return self.writers[month]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_json(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
