"""Ingest sources: paths, folders, globs and stdin -> a stream of Items (one per document or record).

A file is one document (.txt, .html) or a container of many (.warc, .jsonl, RSS/Atom), any of them
gzip-compressed. Containers are read record by record, so memory holds one record, not the file.
The heavy work (decoding, HTML extraction, analysis) happens later, in the worker that gets the Item.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

GZIP_MAGIC = b"\x1f\x8b"
# In a folder only these are read (a README or a licence file beside the articles is not one);
# a file named on the command line is read whatever its name.
ARTICLE_SUFFIXES = (
    ".txt", ".html", ".htm", ".warc", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".gz",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Item:
    """One document to ingest, as read from its container; ``error`` when the reader could not read it."""

    source: str
    record: str = ""
    data: bytes | None = None
    text: str | None = None
    kind: Literal["auto", "html", "text"] = "auto"
    title: str | None = None
    url: str | None = None
    published: str | None = None
    published_source: Literal["given", "inferred"] | None = None
    outlet: str | None = None
    error: str | None = None
    skip: bool = False  # the error is an expected rejection (not HTML, no content), not a failure

    @property
    def label(self) -> str:
        return f"{self.source} [{self.record}]" if self.record else self.source

    def input_hash(self) -> str:
        """The identity of this input as read (content and URL), to skip it cheaply on a rerun."""
        digest = hashlib.sha256()
        # An unreadable input has no content to tell it apart: its place and reason are its identity
        # (without them every broken JSONL line or truncated file hashed alike, and after the first
        # was remembered the others were counted "unchanged" and never reported).
        where = (self.source, self.record, self.error) if self.error is not None else ()
        for part in (*where, self.url or "", self.title or "", self.published or "", self.kind):
            digest.update(part.encode())
            digest.update(b"\x00")
        if self.data is not None:
            digest.update(self.data)
        if self.text is not None:
            digest.update(self.text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def iter_items(paths: tuple[str, ...] | list[str]) -> Iterator[Item]:
    """Every document under ``paths``, in a stable order; '-' reads stdin."""
    for given in paths:
        if given == "-":
            yield from _from_stream(sys.stdin.buffer, "<stdin>", "<stdin>")
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not _hidden(p, path) and p.name.lower().endswith(ARTICLE_SUFFIXES)
            )
            if not files:
                yield Item(given, error="folder holds no article files (.txt, .html, .warc, .jsonl, feeds)")
            for file in files:
                yield from _from_file(file)
        elif not path.exists() and glob.has_magic(given):
            # glob.glob, not Path.glob: the pattern may be absolute and may hold '**'.
            matches = sorted(p for p in glob.glob(given, recursive=True) if Path(p).is_file())  # noqa: PTH207
            if not matches:
                yield Item(given, error="no file matches this pattern")
            for match in matches:
                yield from _from_file(Path(match))
        else:
            yield from _from_file(path)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _from_file(path: Path) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        yield Item(str(path), error="no such file")
        return
    except OSError as exc:
        yield Item(str(path), error=f"cannot be read ({exc.strerror or exc})")
        return
    with handle:
        yield from _from_stream(handle, str(path), path.name)


def _from_stream(stream: BinaryIO, source: str, name: str) -> Iterator[Item]:
    """Dispatch on the (decompressed) name and the first bytes."""
    buffered: Any = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var,unused-ignore]
    head = buffered.peek(8)[:8]
    lower = name.lower()
    if lower.endswith((".warc", ".warc.gz", ".arc.gz")) or head.startswith(b"WARC/"):
        from onrecord.ingest.warc import iter_warc

        yield from iter_warc(buffered, source)
        return
    if head.startswith(GZIP_MAGIC):
        inner = lower[:-3] if lower.endswith(".gz") else lower
        try:
            with gzip.GzipFile(fileobj=buffered) as unzipped:
                yield from _from_stream(unzipped, source, inner)  # type: ignore[arg-type]
        except (OSError, EOFError, zlib.error) as exc:
            # A gzip cut short or corrupt, found by bench/fuzz_ingest.py: it ended the whole run
            # when the reader (JSON lines, a feed) or the first peek met it.
            yield Item(source, "gzip", error=f"cannot be read ({exc})")
        return
    if lower.endswith((".jsonl", ".ndjson")):
        from onrecord.ingest.jsonl import iter_jsonl

        yield from iter_jsonl(buffered, source)
        return
    if lower.endswith((".rss", ".atom", ".xml")) or _looks_like_feed(buffered.peek(2048)[:2048]):
        from onrecord.ingest.feeds import iter_feed

        yield from iter_feed(buffered, source)
        return
    try:
        data = buffered.read()
    except (OSError, EOFError) as exc:
        yield Item(source, error=f"cannot be read ({exc})")
        return
    kind: Literal["auto", "html"] = "html" if lower.endswith((".html", ".htm")) else "auto"
    yield Item(source, data=data, kind=kind)


def _looks_like_feed(head: bytes) -> bool:
    text = head.lstrip().lower()
    return text.startswith(b"<?xml") and (b"<rss" in text or b"<feed" in text or b"<rdf:rdf" in text)
