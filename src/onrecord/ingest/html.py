"""Ingest HTML -> RawDocument: trafilatura extracts the body and the page's metadata.

The analysed text of a page is its headline, a blank line, then the extracted body, so the
headline is a real span of the text like in a scraped article.
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import SkipDocument
from onrecord.model import RawDocument


def extract_html(html: str, source: str | None = None, url: str | None = None) -> RawDocument:
    """Extract body text and metadata (title, date, author, site name) from an HTML page."""
    import trafilatura

    result: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    body = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not body:
        raise SkipDocument(source, "HTML page with no article text (nothing for trafilatura to extract)")
    title = _clean(getattr(result, "title", None))
    meta: dict[str, str] = {}
    for key in ("author", "sitename", "date", "url", "hostname", "description", "categories", "language"):
        value = getattr(result, key, None)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value:
            meta[key] = _clean(str(value)) or ""
    text = f"{title}\n\n{body}\n" if title else f"{body}\n"
    date = meta.get("date")
    return RawDocument(
        text=text,
        source=source,
        format="html",
        title=title,
        published=date[:10] if date else None,
        published_source="metadata" if date else None,
        metadata=tuple(sorted(meta.items())),
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None
