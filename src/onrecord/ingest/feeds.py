"""Ingest RSS and Atom feed files -> Items: each entry with full content, its link, date and feed title.

Parsed as a stream with lxml (one entry in memory at a time). An entry's HTML content is wrapped
in a minimal page with its title, so it goes through the same extraction as any HTML page.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
from collections.abc import Iterator
from typing import Any, BinaryIO

from onrecord.ingest.sources import Item

_ENTRY_TAGS = {"item", "entry"}
_CONTENT = ("encoded", "content")
_SUMMARY = ("description", "summary")


def iter_feed(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every item (RSS) or entry (Atom) of a feed file."""
    from lxml import etree

    outlet: str | None = None
    index = 0
    try:
        for _event, element in etree.iterparse(stream, events=("end",), recover=True, resolve_entities=False):
            name = etree.QName(element).localname
            if name == "title" and outlet is None and _parent_name(element) in {"channel", "feed"}:
                outlet = (element.text or "").strip() or None
            if name not in _ENTRY_TAGS:
                continue
            index += 1
            yield _item(element, source, index, outlet)
            element.clear()
    except (etree.XMLSyntaxError, ValueError) as exc:  # ValueError: "Invalid tag name" (fuzz finding)
        yield Item(source, f"after entry {index}", error=f"not a readable RSS or Atom feed ({exc})")


def _parent_name(element: Any) -> str:
    from lxml import etree

    parent = element.getparent()
    return "" if parent is None else str(etree.QName(parent).localname)


def _children(element: Any) -> dict[str, Any]:
    from lxml import etree

    found: dict[str, Any] = {}
    for child in element:
        if isinstance(child.tag, str):
            found.setdefault(etree.QName(child).localname, child)
    return found


def _item(element: Any, source: str, index: int, outlet: str | None) -> Item:
    children = _children(element)
    title = _string(children.get("title"))
    link = _link(children.get("link"))
    body = next((_string(children[k]) for k in (*_CONTENT, *_SUMMARY) if _string(children.get(k))), None)
    date = _date(
        next(
            (
                _string(children[k])
                for k in ("pubDate", "published", "updated", "date")
                if _string(children.get(k))
            ),
            None,
        )
    )
    record = f"entry {index}" + (f" {link}" if link else "")
    if not body:
        return Item(source, record, url=link, error="feed entry without content", skip=True)
    page = (
        f"<html><head><title>{html.escape(title or '')}</title></head>"
        f"<body><article><h1>{html.escape(title or '')}</h1>{body}</article></body></html>"
    )
    return Item(
        source,
        record,
        text=page,
        kind="html",
        title=title,
        url=link,
        published=date,
        published_source="given" if date else None,
        outlet=outlet,
    )


def _string(element: Any) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _link(element: Any) -> str | None:
    if element is None:
        return None
    href = element.get("href")
    return str(href) if href else _string(element)


def _date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None
