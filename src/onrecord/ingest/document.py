"""Ingest one document: a path or a string -> RawDocument (decoded text or extracted HTML)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from onrecord.ingest.html import extract_html
from onrecord.ingest.text import decode, read_bytes, sniff_format
from onrecord.model import RawDocument


def load_bytes(data: bytes, source: str | None = None) -> RawDocument:
    """Decode bytes and, when they hold an HTML page, extract the article from it."""
    text, encoding = decode(data, source)
    return from_text(text, source, encoding=encoding)


def from_text(text: str, source: str | None = None, *, encoding: str = "utf-8") -> RawDocument:
    """Make a RawDocument from decoded text, extracting the article if it is HTML."""
    if sniff_format(text) == "html":
        return replace(extract_html(text, source), encoding=encoding)
    return RawDocument(text=text, source=source, format="text", encoding=encoding)


def load_path(path: Path) -> RawDocument:
    """Read, decode and (for HTML) extract one file."""
    return load_bytes(read_bytes(path), str(path))
