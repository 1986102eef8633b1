"""Ingest HTML -> RawDocument: trafilatura extracts the body and the page's metadata.

The analysed text of a page is its headline, a blank line, then the extracted body, so the
headline is a real span of the text like in a scraped article.
"""

from __future__ import annotations

from html.parser import HTMLParser
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
        return _deep_page(html, source)
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


# libxml2 (under lxml and trafilatura) stops descending past this many nested elements and drops
# what lies deeper; a page nested deeper than that is read with the standard library's parser.
LIBXML_MAX_DEPTH = 255
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_HIDDEN = frozenset(("head", "script", "style", "noscript", "template", "svg", "title"))
_BLOCKS = frozenset(
    "p div section article li ul ol h1 h2 h3 h4 h5 h6 blockquote br tr table header footer main".split()  # noqa: SIM905
)


class _PlainText(HTMLParser):
    """Visible text of a page, one paragraph per block element, and how deep its elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.max_depth = self.hidden = 0
        self.title: list[str] = []
        self.in_title = False
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if tag in _HIDDEN and tag not in _VOID:
            self.hidden += 1
            self.in_title = tag == "title"
        if tag in _BLOCKS:
            self._close()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            self.in_title = False
        if tag in _BLOCKS:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.current.append(data)

    def _close(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []


def _deep_page(html: str, source: str | None) -> RawDocument:
    """The text of a page too deeply nested for trafilatura, else no article text at all."""
    reader = _PlainText()
    reader.feed(html)
    reader.close()
    reader._close()
    body = "\n\n".join(reader.paragraphs)
    if reader.max_depth <= LIBXML_MAX_DEPTH or not body:
        raise SkipDocument(source, "HTML page with no article text (nothing for trafilatura to extract)")
    title = _clean("".join(reader.title))
    text = f"{title}\n\n{body}\n" if title else f"{body}\n"
    note = f"nested {reader.max_depth} elements deep: read as plain text, without page metadata"
    return RawDocument(text=text, source=source, format="html", title=title, metadata=(("extraction", note),))
