"""Read PolNeAR gold (brat .ann files, the speakers file) into frozen records (files in, records out).

Layout: ``<split>/text/<article>.txt`` and ``<split>/attributions/<article>_<annotator>.ann``.
Some articles have several annotators; the alphabetically first .ann file is used, as
``polnear-dev-speakers.jsonl`` does. Offsets are character offsets into the decoded UTF-8 text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.evaluate.spans import Range, extent

Ranges = tuple[Range, ...]

# A text-bound annotation: "T12<TAB>Content 302 427;430 450<TAB>text". The text column may run
# over several lines (spans that cross a newline); the continuation lines match no pattern here.
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")
_ROLES = ("Content", "Source", "Cue")


@dataclass(frozen=True, slots=True)
class Relation:
    """One attribution relation: who (source) said or thought what (content), introduced by a cue.

    Each role is a tuple of ``(start, end)`` ranges (several for a discontinuous span), or None
    when the annotator did not mark it. ``label`` is the event type ("Attribution" or
    "Attribution-no-source").
    """

    article: str
    rel: str
    content: Ranges
    source: Ranges | None
    cue: Ranges | None
    label: str = "Attribution"

    @property
    def extent(self) -> Range:
        """The overall extent ``[min start, max end)`` of the content."""
        return extent(self.content)


@dataclass(frozen=True, slots=True)
class Document:
    """One PolNeAR article: its text and the relations of the annotator file used."""

    name: str
    text: str
    relations: tuple[Relation, ...]
    ann: str = ""

    @property
    def published(self) -> str | None:
        """The publication date in the article name (``publisher_YYYY-MM-DD_slug``), if any."""
        return published_from_name(self.name)

    def slice(self, ranges: Ranges | None, sep: str = " ") -> str:
        """The text of ``ranges``, the pieces of a discontinuous span joined by ``sep``."""
        return sep.join(self.text[s:e] for s, e in ranges or ())


@dataclass(frozen=True, slots=True)
class Speaker:
    """The hand-resolved canonical speaker of one quoted relation (a line of the speakers file)."""

    article: str
    ann: str
    rel: str
    content: Range
    source: Range | None
    source_text: str | None
    cue_text: str | None
    canonical: str | None
    type: str
    note: str = ""


def published_from_name(name: str) -> str | None:
    """The ``YYYY-MM-DD`` date in a PolNeAR article name, or None."""
    match = _DATE_IN_NAME.search(name)
    return match.group(1) if match else None


def _ranges(spec: str) -> Ranges:
    """Parse "a b;c d" into ``((a, b), (c, d))``."""
    pairs = (part.split() for part in spec.split(";"))
    return tuple((int(a), int(b)) for a, b in pairs)


def parse_ann(ann: str, article: str, *, origin: str = "<ann>") -> tuple[Relation, ...]:
    """Parse the text of a brat .ann file into its attribution relations.

    Args:
        ann: The contents of the .ann file.
        article: The article name recorded on each relation.
        origin: A name for the file, used in error messages.

    Returns:
        The relations (E lines) that have a Content role, in file order. Other roles may be
        missing; AnnotatorNotes (#) lines and other annotation types are ignored.

    Raises:
        EvaluationError: An E line refers to a T annotation that does not exist.
    """
    spans: dict[str, Ranges] = {}
    events: list[tuple[str, str]] = []
    for line in ann.splitlines():
        if t := _T_LINE.match(line):
            spans[t.group(1)] = _ranges(t.group(3))
        elif e := _E_LINE.match(line):
            events.append((e.group(1), e.group(2)))
    relations = []
    for rel, args in events:
        roles = _event_roles(args, spans, f"{origin}: {rel}")
        if "Content" not in roles:
            continue
        relations.append(
            Relation(
                article=article,
                rel=rel,
                content=roles["Content"],
                source=roles.get("Source"),
                cue=roles.get("Cue"),
                label=args.split(":", 1)[0],
            )
        )
    return tuple(relations)


def _event_roles(args: str, spans: dict[str, Ranges], where: str) -> dict[str, Ranges]:
    """Resolve the ``Role:Tn`` arguments of an E line that name a Content, Source or Cue."""
    roles: dict[str, Ranges] = {}
    for arg in args.split():
        role, _, ref = arg.partition(":")
        role = role.rstrip("0123456789")  # brat numbers repeated roles: Source2
        if role not in _ROLES:
            continue
        if ref not in spans:
            raise EvaluationError(f"{where} refers to {ref}, which is not defined: the .ann file is damaged")
        roles.setdefault(role, spans[ref])
    return roles


def read_document(text_path: Path, ann_path: Path | None) -> Document:
    """Read one article and (if given) its annotation file.

    Args:
        text_path: The article's .txt file; decoded as UTF-8, newlines untouched.
        ann_path: Its .ann file, or None for an article nobody annotated.

    Returns:
        The document, named after the text file's stem.

    Raises:
        EvaluationError: A file cannot be read or decoded, or a span falls outside the text.
    """
    name = text_path.stem
    try:
        text = text_path.read_bytes().decode("utf-8")
        ann = ann_path.read_bytes().decode("utf-8") if ann_path else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{name}: cannot read gold file ({exc}); check the PolNeAR copy") from exc
    relations = parse_ann(ann, name, origin=str(ann_path))
    for rel in relations:
        for start, end in (*rel.content, *(rel.source or ()), *(rel.cue or ())):
            if not 0 <= start <= end <= len(text):
                raise EvaluationError(f"{ann_path}: {rel.rel} span {start}-{end} is outside {text_path.name}")
    return Document(name=name, text=text, relations=relations, ann=ann_path.name if ann_path else "")


def _first_ann(ann_dir: Path, name: str) -> Path | None:
    """The alphabetically first ``<name>_<annotator>.ann`` file, or None."""
    candidates = sorted(
        p for p in ann_dir.glob(f"{glob_escape(name)}_*.ann") if p.stem.rpartition("_")[0] == name
    )
    return candidates[0] if candidates else None


def glob_escape(text: str) -> str:
    """Escape the glob metacharacters in ``text``."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def iter_documents(
    polnear_dir: Path,
    split: str = "dev",
    *,
    limit: int | None = None,
    names: Collection[str] | None = None,
) -> Iterator[Document]:
    """Read the documents of one PolNeAR split, in article-name order.

    Args:
        polnear_dir: The PolNeAR directory (holding ``train/`` and ``dev/``).
        split: "dev" or "train".
        limit: Read at most this many articles.
        names: Read only the articles of these names (a slice of the split).

    Yields:
        Each article with the relations of its alphabetically first annotator file (no relations
        when it has no .ann file).

    Raises:
        EvaluationError: The split directory is missing or a file is malformed.
    """
    text_dir, ann_dir = polnear_dir / split / "text", polnear_dir / split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EvaluationError(
            f"{polnear_dir / split} has no text/ and attributions/ folders: point to the PolNeAR directory"
        )
    paths = sorted(text_dir.glob("*.txt"))
    if names is not None:
        wanted = set(names)
        paths = [p for p in paths if p.stem in wanted]
    for path in paths[:limit] if limit is not None else paths:
        yield read_document(path, _first_ann(ann_dir, path.stem))


def read_speakers(path: Path) -> dict[tuple[str, str], Speaker]:
    """Read the speakers file (one JSON object a line) into a lookup by ``(article, rel)``.

    Args:
        path: e.g. ``polnear-dev-speakers.jsonl``.

    Returns:
        The speaker entries keyed by article name and relation id ("E3").

    Raises:
        EvaluationError: The file is missing or a line is not a valid entry.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(f"cannot read speakers file {path}: {exc}") from exc
    lookup: dict[tuple[str, str], Speaker] = {}
    for number, line in enumerate(lines, 1):
        if line.strip():
            speaker = _speaker(line, f"{path}:{number}")
            lookup[(speaker.article, speaker.rel)] = speaker
    return lookup


def _speaker(line: str, where: str) -> Speaker:
    """Build one :class:`Speaker` from a JSON line."""
    try:
        row: dict[str, Any] = json.loads(line)
        source = row.get("source")
        return Speaker(
            article=row["article"],
            ann=row.get("ann", ""),
            rel=row["rel"],
            content=(int(row["content"][0]), int(row["content"][1])),
            source=(int(source[0]), int(source[1])) if source else None,
            source_text=row.get("source_text"),
            cue_text=row.get("cue_text"),
            canonical=row.get("canonical"),
            type=row.get("type") or "unknown",
            note=row.get("note") or "",
        )
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise EvaluationError(f"{where}: not a speakers entry ({exc!r}); fix or remove the line") from exc


def publisher(article: str) -> str:
    """The publisher an article name starts with (``nyt_2016-06-03_slug`` -> ``nyt``)."""
    return article.partition("_")[0]


def speaker_articles(path: Path) -> frozenset[str]:
    """The article names a speakers file covers (for the train file: the held-out slice).

    Raises:
        EvaluationError: The file is missing or a line is not a valid entry.
    """
    return frozenset(speaker.article for speaker in read_speakers(path).values())
