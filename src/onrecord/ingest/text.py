"""Ingest bytes -> text: read a file, reject binary or empty input, decode with a known encoding.

Offsets everywhere in onrecord index the string this module returns, so decoding is done once,
here, and never changed afterwards.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from onrecord.errors import InputError, SkipDocument

# Magic numbers of formats people commonly save with a news-like name; the name is the user's
# guess, the bytes are the truth.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_bytes(path: Path) -> bytes:
    """Read a file, turning OS errors into one-line ``InputError``s that name the file."""
    if path.is_dir():
        raise InputError(str(path), "is a directory (give the files inside it, or a glob)")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None


def decode(data: bytes, source: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text and return ``(text, encoding)``.

    UTF-8 first; a byte-order mark wins over everything; otherwise a charset detector picks the
    encoding. Empty and binary inputs raise ``SkipDocument``; undecodable ones ``InputError``.
    """
    if not data.strip():
        raise SkipDocument(source, "empty file (no text to analyse)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding, source), encoding
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SkipDocument(source, f"binary data ({what}), not a text or HTML article")
    utf16 = _bomless_utf16(data)
    if utf16:
        return _decode_as(data, utf16, source), utf16
    if b"\x00" in data[:4096]:
        raise SkipDocument(source, "binary data (contains NUL bytes), not a text or HTML article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start}"
    return _detect(data, source, utf8_error)


def _decode_as(data: bytes, encoding: str, source: str | None) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"invalid {encoding} at byte {exc.start}") from None
    if not text.strip():
        raise SkipDocument(source, "empty file (no text to analyse)")
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise UTF-16 without a BOM by its zero bytes on every other position (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0) / (len(sample) / 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zeros > 0.6 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.6 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _detect(data: bytes, source: str | None, utf8_error: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Short Western European text fits many code pages equally well (a French page comes out
        # as cp852, "ça" as "ša"); among near-equal fits prefer cp1252, the web's usual legacy
        # encoding and what browsers use for pages labelled latin-1.
        for match in matches:
            near = match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.1
            if match.encoding == "cp1252" and near:
                best = match
                break
    if best is None or best.encoding is None:
        raise InputError(source, f"{utf8_error}, and no other text encoding fits: is it text?")
    if best.chaos > 0.3:
        raise InputError(source, f"{utf8_error}; looks like binary or mixed-encoding data")
    return str(best), str(best.encoding)


def sniff_format(text: str) -> str:
    """Tell HTML from plain text by content, whatever the file is called."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:65536].lower():
        return "html"
    markers = ("<html", "<body", "<head", "<div", "<article", "<p>", "<p ", "<meta ")
    hits = sum(head.count(m) for m in markers)
    return "html" if head.startswith("<") and hits >= 2 else "text"
