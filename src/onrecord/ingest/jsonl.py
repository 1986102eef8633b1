"""Ingest JSON Lines -> Items: one article per line with ``text`` or ``html``, ``url``, ``date``, ``outlet``.

``title`` (or ``headline``) is put before a plain text body with a blank line, as for HTML pages,
so the headline is a real span of the analysed text. A line that is not a JSON object with a body
becomes a failed Item naming its line number; the other lines are read on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from onrecord.ingest.sources import Item


def iter_jsonl(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every non-blank line of a JSON Lines stream as an Item."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        yield _item(raw, source, f"line {number}")


def _item(raw: bytes, source: str, record: str) -> Item:
    try:
        obj: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Item(source, record, error=f"not valid JSON ({exc})")
    if not isinstance(obj, dict):
        return Item(source, record, error="not a JSON object")
    date = _text(obj, "date", "published", "published_at")
    common: dict[str, Any] = {
        "url": _text(obj, "url", "link"),
        "published": date[:10] if date else None,
        "published_source": "given" if date else None,
        "outlet": _text(obj, "outlet", "sitename", "publisher"),
        "title": _text(obj, "title", "headline"),
    }
    html = _text(obj, "html")
    if html:
        return Item(source, record, text=html, kind="html", **common)
    text = _text(obj, "text", "body", "content")
    if not text:
        return Item(source, record, error="no 'text' or 'html' field with content")
    return Item(source, record, text=text, kind="text", **common)


def _text(obj: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None
