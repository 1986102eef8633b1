"""Discover what to fetch: a fetched feed or sitemap -> a Listing of the article Links it names.

Data flows one way. ``onrecord.watch.sources`` turns command-line arguments into Sources; the
watcher fetches each; and ``parse_listing`` turns a fetched body into a Listing: its kind, the
article Links it names (with dates and titles when given), the child sitemaps of a sitemap index,
the feeds an HTML page advertises, or why it is none of these.

Kinds read: RSS 2.0 (and 0.9x), Atom 1.0 (and 0.3), RSS 1.0 / RDF, XML sitemaps with the Google
News extension, sitemap indexes, plain-text sitemaps (one URL a line), gzipped or not. JSON Feed is
not read. XML is parsed with lxml without entity substitution, DTD loading or network access, and
libxml2's amplification limit stops a billion-laughs document; sloppy feeds (a bare '&' in a URL,
a missing end tag) are read again in recovery mode.

Every Link's URL is ``canonical``: an absolute http(s) URL as a key, compatible with
``onrecord.corpus.build.canonical_url`` (``canonical_url(canonical(u)) == canonical(u)``, and the
two agree on ordinary article URLs); it also drops the default port and more tracking parameters.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import html
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

ListingKind = Literal["rss", "atom", "rdf", "sitemap", "sitemapindex", "html", "unknown"]

# The sitemap protocol's own limits: 50,000 URLs and 50 MB (uncompressed) a file. A feed is held to
# the same, so one listing cannot flood the fetch queue or the memory.
MAX_LINKS = 50_000
MAX_BODY_BYTES = 50 * 1024 * 1024

# Query parameters that say how a reader arrived (campaign, click, share and newsletter ids), never
# which page: each a regular expression matched against the whole name, case-insensitive. A superset
# of corpus/build.py's list, so a key made here is a fixed point of canonical_url there.
TRACKING_PARAMETERS: tuple[str, ...] = (
    r"utm_\w+", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src",
    "ref_url", "cmpid", "cmp", "ocid", "smid", "ito", "at_medium", "at_campaign", r"at_custom\d+",
    r"at_link_\w+",
)  # fmt: skip
_TRACKING = re.compile(r"^(?:{})$".format("|".join(TRACKING_PARAMETERS)), re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}

_HTTP_LINE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_BARE_AMPERSAND = re.compile(rb"&(?!#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][\w.-]*;)")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")  # W3C datetime allows YYYY and YYYY-MM

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_ROOT_KINDS: dict[str, ListingKind] = {
    "rss": "rss",
    "feed": "atom",
    "RDF": "rdf",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
    "html": "html",
}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}


@dataclass(frozen=True, slots=True)
class Link:
    """An article a listing names; dates are ISO 8601 as given (a date, or a datetime with its offset)."""

    url: str  # canonical
    published: str | None = None
    modified: str | None = None  # <updated>, <lastmod>, dcterms:modified
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What one fetched feed, sitemap or page names; ``error`` says why it names nothing to fetch."""

    kind: ListingKind
    title: str | None = None
    links: list[Link] = field(default_factory=list)  # articles, at most MAX_LINKS, first seen first
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index's children (absolute)
    feeds: list[str] = field(default_factory=list)  # the feeds an HTML page advertises (absolute)
    error: str | None = None
    truncated: bool = False  # more than MAX_LINKS links or sitemaps: the rest were not read


# -- URLs and dates ----------------------------------------------------------------------------


def canonical(url: str, base: str | None = None) -> str | None:
    """An absolute http(s) URL as a key, or None when ``url`` is not one (after resolving on ``base``).

    Lower-case scheme and host, no default port, no fragment, no tracking parameters (the others
    kept in order), an empty path made "/". The query is re-encoded as ``corpus.build.canonical_url``
    does, so the two give one key.
    """
    text = url.strip()
    if not text or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(urljoin(base, text) if base else text)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 address
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[0].lower() + "@" + netloc
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in pairs if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 or RFC 822 date or datetime as ISO 8601 (offset kept), or None when unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    if _PARTIAL_DATE.match(text):
        return text
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


# -- listings ----------------------------------------------------------------------------------


def parse_listing(body: bytes, url: str, content_type: str | None = None) -> Listing:
    """What a fetched feed, sitemap or page names.

    Args:
        body: the response body (decoded of any Content-Encoding; a gzipped sitemap file is fine).
        url: the URL it was fetched from (after redirects): relative links resolve against it.
        content_type: the response's Content-Type, when known (a hint: the body decides).

    Returns:
        A Listing; never raises on bad input (its ``error`` says what was wrong).
    """
    body, error = _gunzip(body) if body.startswith(b"\x1f\x8b") else (body, None)
    if error is not None:
        return Listing("unknown", error=error)
    if len(body) > MAX_BODY_BYTES:
        return Listing("unknown", error=f"larger than {MAX_BODY_BYTES // 2**20} MB: not read")
    if not body.strip():
        return Listing("unknown", error="an empty body")
    if _sniff_html(body):
        return _html_listing(body, url)
    root, error = parse_xml(body)
    kind = _ROOT_KINDS.get(local_name(root)) if root is not None else None
    if kind == "html" or (kind is None and "html" in (content_type or "").lower()):
        return _html_listing(body, url)
    if kind is not None:
        listing = _read_root(root, url, kind)
        if error and not listing.links and not listing.sitemaps:  # recovery saved nothing
            return replace(listing, error=f"not a readable feed or sitemap ({error})")
        return listing
    plain = _text_sitemap(body, url)
    if plain is not None:
        return plain
    reason = error if root is None else f"the root element is <{local_name(root)}>"
    return Listing("unknown", error=f"not a readable feed or sitemap ({reason})")


def _read_root(root: Any, url: str, kind: ListingKind) -> Listing:
    if kind == "atom":
        return _atom_listing(root, url)
    if kind == "sitemap":
        return _sitemap_listing(root, url)
    if kind == "sitemapindex":
        return _sitemap_index(root, url)
    return _rss_listing(root, url, kind)


def _gunzip(body: bytes) -> tuple[bytes, str | None]:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipped:
            data = unzipped.read(MAX_BODY_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return b"", f"not a readable gzip file ({exc})"
    if len(data) > MAX_BODY_BYTES:
        return b"", f"gzip file larger than {MAX_BODY_BYTES // 2**20} MB uncompressed: not read"
    return data, None


def _sniff_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def parse_xml(data: bytes) -> tuple[Any, str | None]:
    """The root element (None when unreadable) and the strict parser's complaint, if any.

    A document the strict parser refuses is read again in recovery mode, bare ampersands escaped
    first (feeds put raw URLs in text); the complaint is kept, for when recovery saved nothing.
    """
    from lxml import etree

    try:
        return etree.fromstring(data, _xml_parser(recover=False)), None
    except (etree.XMLSyntaxError, ValueError) as exc:
        error = str(exc) or type(exc).__name__
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # the fix-up below is for byte-wide text
        data = _BARE_AMPERSAND.sub(b"&amp;", data)
    try:
        root = etree.fromstring(data, _xml_parser(recover=True))
    except (etree.XMLSyntaxError, ValueError):
        root = None
    return root, error


def _xml_parser(*, recover: bool) -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        recover=recover, remove_comments=True, remove_pis=True,
    )  # fmt: skip


def _rss_listing(root: Any, url: str, kind: ListingKind) -> Listing:
    channel = _child(root, "channel")
    title = _text(_child(channel, "title")) if channel is not None else None
    links, truncated = _gather(_rss_item(item, url) for item in descendants(root, "item"))
    return Listing(kind, title, links=links, truncated=truncated)


def _rss_item(item: Any, url: str) -> Link | None:
    guid = _child(item, "guid")
    permalink = guid is not None and (guid.get("isPermaLink") or "true").strip().lower() != "false"
    # FeedBurner's original link first (its <link> is a redirect through FeedBurner), then <link>
    # (an atom:link only as rel="alternate"), the guid when it is a permalink, RSS 1.0's rdf:about.
    candidates = [
        _child(item, "origLink"),
        *(link for link in _children(item, "link") if _rel(link) == "alternate"),
        guid if permalink else None,
    ]
    target = _first_url(candidates, url)
    if not target and item.get(_RDF_ABOUT):
        target = canonical(item.get(_RDF_ABOUT), _base(item, url))
    if not target:
        return None
    return Link(
        target,
        published=_date(item, "pubDate", "date", "published", "issued"),
        modified=_date(item, "updated", "modified"),
        title=_text(_child(item, "title")),
    )


def _atom_listing(root: Any, url: str) -> Listing:
    links, truncated = _gather(_atom_entry(entry, url) for entry in _children(root, "entry"))
    return Listing("atom", _text(_child(root, "title")), links=links, truncated=truncated)


def _atom_entry(entry: Any, url: str) -> Link | None:
    alternates = [link for link in _children(entry, "link") if _rel(link) == "alternate"]
    alternates.sort(key=lambda link: "html" not in (link.get("type") or "html"))  # a page before a PDF
    target = _first_url([_child(entry, "origLink"), *alternates], url)
    if not target:
        return None
    return Link(
        target,
        published=_date(entry, "published", "issued"),
        modified=_date(entry, "updated", "modified"),
        title=_text(_child(entry, "title")),
    )


def _sitemap_listing(root: Any, url: str) -> Listing:
    links, truncated = _gather(_sitemap_url(entry, url) for entry in _children(root, "url"))
    return Listing("sitemap", links=links, truncated=truncated)


def _sitemap_url(entry: Any, url: str) -> Link | None:
    target = _resolve(_child(entry, "loc"), url)
    if not target:
        return None
    news = _child(entry, "news")  # Google News: http://www.google.com/schemas/sitemap-news/0.9
    return Link(
        target,
        published=_date(news, "publication_date") if news is not None else None,
        modified=_date(entry, "lastmod"),
        title=_text(_child(news, "title")) if news is not None else None,
    )


def _sitemap_index(root: Any, url: str) -> Listing:
    found = (_resolve(_child(entry, "loc"), url) for entry in _children(root, "sitemap"))
    links, truncated = _gather(Link(loc) if loc else None for loc in found)
    return Listing("sitemapindex", sitemaps=[link.url for link in links], truncated=truncated)


def _text_sitemap(body: bytes, url: str) -> Listing | None:
    """The sitemap protocol's text form, one URL a line; None when the body is not that."""
    try:
        lines = [line.strip() for line in body.decode("utf-8-sig").splitlines() if line.strip()]
    except UnicodeDecodeError:
        return None
    if not lines or not all(_HTTP_LINE.match(line) for line in lines):
        return None
    links, truncated = _gather(Link(c) if (c := canonical(line, url)) else None for line in lines)
    return Listing("sitemap", links=links, truncated=truncated)


def _html_listing(body: bytes, url: str) -> Listing:
    from lxml import etree

    parser = etree.HTMLParser(no_network=True, recover=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    title = next((_text(t) for t in root.iter("title")), None) if root is not None else None
    feeds = _advertised_feeds(root, url) if root is not None else []
    advertised = f"it advertises {', '.join(feeds)}" if feeds else "it advertises no feed"
    return Listing("html", title, feeds=feeds, error=f"an HTML page, not a feed or sitemap ({advertised})")


def _advertised_feeds(root: Any, url: str) -> list[str]:
    """The feeds a page names with <link rel="alternate" type="application/rss+xml" href="...">."""
    base = next((urljoin(url, b.get("href").strip()) for b in root.iter("base") if b.get("href")), url)
    feeds: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().partition(";")[0].strip()
        feed = canonical(link.get("href") or "", base) if kind in _FEED_TYPES else None
        if feed and "alternate" in rel and feed not in feeds:
            feeds.append(feed)
    return feeds


# -- element helpers ---------------------------------------------------------------------------


def _gather(candidates: Iterable[Link | None]) -> tuple[list[Link], bool]:
    """Links deduplicated by URL, first kept, at most MAX_LINKS; and whether more were left."""
    seen: dict[str, Link] = {}
    for link in candidates:
        if link is None or link.url in seen:
            continue
        if len(seen) == MAX_LINKS:
            return list(seen.values()), True
        seen[link.url] = link
    return list(seen.values()), False


def local_name(element: Any) -> str:
    tag = getattr(element, "tag", None)
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if local_name(child) == name)


def _child(element: Any, name: str) -> Any:
    return next(_children(element, name), None) if element is not None else None


def descendants(element: Any, name: str) -> Iterator[Any]:
    return (node for node in element.iter() if local_name(node) == name)


def _text(element: Any) -> str | None:
    """An element's text, entities (left unexpanded by the parser) decoded, whitespace collapsed."""
    if element is None:
        return None
    return " ".join(html.unescape("".join(element.itertext())).split()) or None


def _date(element: Any, *names: str) -> str | None:
    return next((d for name in names for e in _children(element, name) if (d := iso_date(_text(e)))), None)


def _base(element: Any, url: str) -> str:
    """The base URL in force at ``element``: the document's URL, then each xml:base down to it."""
    base = url
    for node in reversed([element, *element.iterancestors()]):
        if node.get(_XML_BASE):
            base = urljoin(base, node.get(_XML_BASE).strip())
    return base


def _resolve(element: Any, url: str) -> str | None:
    """The canonical URL an element names: its href (Atom) or its text (RSS, sitemaps)."""
    if element is None:
        return None
    href = element.get("href") or "".join(element.itertext())
    return canonical(href, _base(element, url)) if href.strip() else None


def _first_url(elements: Iterable[Any], url: str) -> str | None:
    return next((target for element in elements if (target := _resolve(element, url))), None)


def _rel(link: Any) -> str:
    """A link's relation: Atom's default is "alternate" (an RSS <link> has none either)."""
    return str(link.get("rel") or "alternate").strip().lower()
