"""Decoding and format sniffing: bytes in, the exact text the offsets will index out."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from onrecord.errors import InputError, SkipDocument
from onrecord.ingest.document import load_bytes, load_path
from onrecord.ingest.text import decode, sniff_format

TEXT = "Kremlin spokesman Dmitry Peskov said “we hope” on Thursday — Добрый день.\n"


def test_utf8_is_decoded_exactly() -> None:
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8")


@pytest.mark.parametrize(
    "bom, codec",
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_mark_wins_and_is_not_part_of_the_text(bom: bytes, codec: str) -> None:
    text, encoding = decode(bom + TEXT.encode(codec))
    assert text == TEXT
    assert encoding == codec


def test_utf16_without_bom() -> None:
    text, encoding = decode("The minister said he would resign on Friday.\n".encode("utf-16-le"))
    assert text.startswith("The minister said")
    assert encoding == "utf-16-le"


def test_windows_1251_falls_back_to_a_detected_encoding() -> None:
    russian = "Песков заявил журналистам, что Кремль надеется на продление договора. " * 5
    text, encoding = decode(russian.encode("cp1251"))
    assert text == russian
    assert encoding.replace("_", "-").lower() in {"cp1251", "windows-1251"}


def test_latin1_falls_back() -> None:
    french = "Le ministre a déclaré à la presse qu'il était très inquiet pour l'économie française. " * 4
    text, _ = decode(french.encode("latin-1"))
    assert text == french


def test_short_latin1_text_is_not_taken_for_a_dos_code_page() -> None:
    french = 'Le ministre a dit: "ça va" à Paris. ' * 10
    text, encoding = decode(french.encode("latin-1"))
    assert text == french
    assert encoding == "cp1252"


def test_bytes_that_are_no_text_are_an_input_error() -> None:
    with pytest.raises(InputError, match="invalid UTF-8 at byte 0"):
        decode(bytes(range(0x80, 0x100)) * 50, "noise.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_input_is_skipped_with_a_reason(data: bytes) -> None:
    with pytest.raises(SkipDocument, match="empty"):
        decode(data, "empty.txt")


def test_png_named_like_an_article_is_rejected_as_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(SkipDocument, match="PNG image"):
        decode(png, "story.txt")


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(SkipDocument, match="binary"):
        decode(b"abc\x00\x01\x02\x03" * 100, "blob.html")


def test_message_names_the_file() -> None:
    with pytest.raises(InputError) as info:
        decode(b"", "some/where/nothing.txt")
    assert str(info.value).startswith("some/where/nothing.txt: ")


def test_sniff_by_content_not_name() -> None:
    assert sniff_format("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff_format("World\n\nHeadline here\n\nBody <b>text</b>.") == "text"


def test_html_in_a_txt_file_is_extracted(tmp_path: Path) -> None:
    page = (Path(__file__).parents[1] / "fixtures" / "city-council.html").read_bytes()
    path = tmp_path / "misnamed.txt"
    path.write_bytes(page)
    raw = load_path(path)
    assert raw.format == "html"
    assert raw.title == "Council approves new bridge over the Elbe"
    assert raw.published == "2024-03-14"
    assert raw.published_source == "metadata"
    assert "pedestrian bridge" in raw.text
    assert raw.text.startswith(raw.title)
    meta = dict(raw.metadata)
    assert meta.get("author") == "Mara Lindqvist"
    assert meta.get("sitename") == "The Riverside Ledger"


def test_directory_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        load_path(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        load_path(tmp_path / "absent.txt")


def test_plain_text_is_kept_verbatim() -> None:
    raw = load_bytes(b"World\r\n\r\nHeadline\r\n\r\nBody.\r\n", "x.txt")
    assert raw.text == "World\r\n\r\nHeadline\r\n\r\nBody.\r\n"
    assert raw.format == "text"
