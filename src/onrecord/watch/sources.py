"""The sources ``onrecord watch`` is given: command-line arguments -> Sources (feed and sitemap URLs).

An argument is a feed or sitemap URL, an OPML file (its outlines' ``xmlUrl``), or a text file of
those, one a line ('#' starts a comment). Each problem is one line naming the argument, file or
line; sources are deduplicated by their canonical URL, the first kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from onrecord.watch.discover import canonical, descendants, local_name, parse_xml

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_LOOKS_LIKE_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+/")  # "paper.example/rss", not "list.txt"


@dataclass(frozen=True, slots=True)
class Source:
    """One thing to poll: a feed or sitemap URL (or a page, whose kind shows on the first fetch)."""

    url: str  # as given (fetched as is); sources are deduplicated by canonical(url)
    title: str | None = None  # from OPML when given


def read_sources(args: Sequence[str]) -> tuple[list[Source], list[str]]:
    """The sources named by command-line arguments, and the problems met, one line each.

    Args:
        args: each a feed or sitemap URL, an OPML file, or a text file of URLs (one a line; '#'
            starts a comment; a line may also name an OPML file, relative to the text file).

    Returns:
        The sources, deduplicated by canonical URL (the first kept, in order), and messages naming
        the argument, file or line, e.g. "sources.txt line 4: 'ftp://x' is not an http(s) URL".
    """
    found: list[Source] = []
    problems: list[str] = []
    for arg in args:
        found.extend(_read_arg(arg.strip(), problems))
    unique: dict[str, Source] = {}
    for source in found:
        unique.setdefault(canonical(source.url) or source.url, source)
    return list(unique.values()), problems


def _read_arg(arg: str, problems: list[str]) -> list[Source]:
    if _SCHEME.match(arg):
        source = _source(arg)
        if source is None:
            problems.append(f"'{arg}' is not an http(s) URL")
        return [source] if source else []
    path = Path(arg)
    if path.is_dir():
        problems.append(f"{arg}: a folder, not a file of sources")
        return []
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        hint = " (a URL starts with http:// or https://)" if _LOOKS_LIKE_HOST.match(arg) else ""
        problems.append(f"{arg}: no such file{hint}")
        return []
    except OSError as exc:
        problems.append(f"{arg}: cannot be read ({exc.strerror or exc})")
        return []
    if _is_opml(path, data):
        return _read_opml(data, arg, problems)
    return _read_list(data, arg, path.parent, problems)


def _source(url: str, title: str | None = None) -> Source | None:
    text = url.strip()
    return Source(text, title) if canonical(text) else None


def _is_opml(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in {".opml", ".xml"} or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _read_list(data: bytes, label: str, folder: Path, problems: list[str]) -> list[Source]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        return []
    sources: list[Source] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        where = f"{label} line {number}"
        if _SCHEME.match(line):
            source = _source(line)
            if source is None:
                problems.append(f"{where}: '{line}' is not an http(s) URL")
            sources.extend([source] if source else [])
            continue
        path = Path(line) if Path(line).is_absolute() else folder / line
        try:
            opml = path.read_bytes() if path.is_file() else None
        except OSError as exc:
            problems.append(f"{where}: {line} cannot be read ({exc.strerror or exc})")
            continue
        if opml is None:
            problems.append(f"{where}: '{line}' is neither an http(s) URL nor an OPML file")
        else:
            sources.extend(_read_opml(opml, f"{where}: {line}", problems))
    return sources


def _read_opml(data: bytes, label: str, problems: list[str]) -> list[Source]:
    root, error = parse_xml(data)
    if root is None or local_name(root) != "opml":
        reason = error if root is None else f"the root element is <{local_name(root)}>, not <opml>"
        problems.append(f"{label}: not a readable OPML file ({reason})")
        return []
    sources: list[Source] = []
    bad = 0
    for outline in descendants(root, "outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url is None:
            continue  # a folder of outlines, or a link to a page
        title = " ".join((outline.get("title") or outline.get("text") or "").split()) or None
        source = _source(url, title)
        if source is None:
            bad += 1
            problems.append(f"{label}: outline {title or '(untitled)'!r}: {url!r} is not an http(s) URL")
        sources.extend([source] if source else [])
    if not sources and not bad:
        problems.append(f"{label}: no feeds in this OPML file (no outline has an xmlUrl)")
    return sources
