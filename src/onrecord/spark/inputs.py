"""Spark job inputs: command-line arguments -> input units (one file or URI each) -> Items.

A unit is what the job remembers as done: a WARC file, a JSONL file, a Parquet file of raw text or
HTML, or any file ``onrecord ingest`` reads. A text file listing WARC paths or URIs, one a line
(Common Crawl's ``warc.paths``, the cc-pyspark convention), stands for the units it lists. Local
paths are made absolute; a URI (``s3://``, ``gs://``, ``hdfs://``, ``file://``) is opened through
pyarrow's filesystems, so executors read object storage directly. Units are read on executors.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import InputError
from onrecord.ingest.sources import ARTICLE_SUFFIXES, Item

_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_WARC_LINE = re.compile(r"^\S+\.(warc|arc)(\.gz)?$")
RAW_SUFFIXES = (*ARTICLE_SUFFIXES, ".parquet", ".paths")


@dataclass(frozen=True, slots=True)
class Unit:
    """One input file or URI, named by a stable id (a hash of where it is)."""

    uri: str

    @property
    def id(self) -> str:
        return hashlib.sha256(self.uri.encode("utf-8")).hexdigest()[:16]


def expand_units(args: list[str] | tuple[str, ...], base: str | None = None) -> list[Unit]:
    """The units named by command-line arguments (files, folders, globs, path lists, URIs), in order.

    Raises:
        InputError: an argument names nothing readable (the message names it and why).
    """
    units: list[Unit] = []
    for arg in args:
        for uri in _expand(arg):
            units.extend(Unit(u) for u in _listed(uri, base)) if _is_list(uri) else units.append(Unit(uri))
    seen: set[str] = set()
    return [u for u in units if not (u.uri in seen or seen.add(u.uri))]  # type: ignore[func-returns-value]


def _expand(arg: str) -> list[str]:
    if _URI.match(arg) and not arg.startswith("file://"):
        return [arg]
    path = Path(arg[len("file://") :] if arg.startswith("file://") else arg)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and p.name.lower().endswith(RAW_SUFFIXES)
        )
        if not files:
            raise InputError(arg, "folder holds no input files (.warc, .jsonl, .parquet, path lists, ...)")
        return [str(p.resolve()) for p in files]
    if path.is_file():
        return [str(path.resolve())]
    if glob.has_magic(arg):
        matches = sorted(Path(p).resolve() for p in glob.glob(arg, recursive=True) if Path(p).is_file())  # noqa: PTH207
        if not matches:
            raise InputError(arg, "no file matches this pattern")
        return [str(p) for p in matches]
    raise InputError(arg, "no such file")


def _is_list(uri: str) -> bool:
    """A path list: named ``*.paths(.gz)``, or a local text file whose every line is a WARC path."""
    lower = uri.lower()
    if lower.endswith((".paths", ".paths.gz")):
        return True
    if _URI.match(uri) or not lower.endswith(".txt"):
        return False
    try:
        lines = [line.strip() for line in Path(uri).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return False
    return bool(lines) and all(_WARC_LINE.match(line) for line in lines)


def _listed(uri: str, base: str | None) -> list[str]:
    with open_binary(uri) as handle:
        data = handle.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out = []
    for line in data.decode("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if _URI.match(line):
            out.append(line)
        elif base:
            out.append(base.rstrip("/") + "/" + line.lstrip("/"))
        else:
            listed = Path(line) if Path(line).is_absolute() else Path(uri).parent / line
            out.append(str(listed.resolve()))
    return out


def open_binary(uri: str) -> Any:
    """A readable binary stream of a local path or a URI pyarrow has a filesystem for."""
    if not _URI.match(uri) or uri.startswith("file://"):
        return Path(uri.removeprefix("file://")).open("rb")
    from pyarrow import fs

    try:
        filesystem, path = fs.FileSystem.from_uri(uri)
        return filesystem.open_input_stream(path, compression=None)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... for unknown schemes or access
        raise InputError(uri, f"cannot be opened ({type(exc).__name__}: {exc})") from None


def iter_unit(uri: str) -> Iterator[Item]:
    """Every Item of one unit, in file order; an unreadable unit is one failed Item."""
    from onrecord.ingest.sources import _from_stream

    name = uri.rstrip("/").rsplit("/", 1)[-1]
    try:
        handle = open_binary(uri)
    except (InputError, OSError) as exc:
        reason = exc.reason if isinstance(exc, InputError) else f"cannot be read ({exc})"
        yield Item(uri, error=reason)
        return
    with handle:
        if name.lower().endswith(".parquet"):
            yield from _parquet_items(handle, uri)
            return
        stream = handle if isinstance(handle, io.BufferedReader) else io.BufferedReader(handle)
        yield from _from_stream(stream, uri, name)


# Column names a Parquet of raw documents may use, as JSONL lines do (see ingest/jsonl.py).
_PARQUET_FIELDS = {
    "html": ("html",),
    "text": ("text", "body", "content"),
    "url": ("url", "link"),
    "date": ("date", "published", "published_at"),
    "outlet": ("outlet", "sitename", "publisher"),
    "title": ("title", "headline"),
}


def _parquet_items(handle: Any, uri: str) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(handle.read()))
    except Exception as exc:  # pyarrow's errors for a file that is not Parquet
        yield Item(uri, error=f"not a readable Parquet file ({type(exc).__name__}: {exc})")
        return
    names = set(parquet.schema_arrow.names)
    chosen = {k: next((c for c in cols if c in names), None) for k, cols in _PARQUET_FIELDS.items()}
    if chosen["html"] is None and chosen["text"] is None:
        yield Item(uri, error="no 'text' or 'html' column")
        return
    row = 0
    for batch in parquet.iter_batches(columns=sorted({c for c in chosen.values() if c})):
        for values in batch.to_pylist():
            row += 1
            yield _parquet_item(
                uri, f"row {row}", {k: values.get(c) if c else None for k, c in chosen.items()}
            )


def _parquet_item(uri: str, record: str, values: dict[str, Any]) -> Item:
    def text(key: str) -> str | None:
        value = values.get(key)
        return value if isinstance(value, str) and value.strip() else None

    date = text("date")
    common: dict[str, Any] = {
        "url": text("url"),
        "published": date[:10] if date else None,
        "published_source": "given" if date else None,
        "outlet": text("outlet"),
        "title": text("title"),
    }
    if html := text("html"):
        return Item(uri, record, text=html, kind="html", **common)
    if body := text("text"):
        return Item(uri, record, text=body, kind="text", **common)
    return Item(uri, record, error="no 'text' or 'html' value")
