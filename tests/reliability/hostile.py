"""Hostile and broken inputs, made on the fly (import, not conftest): name -> bytes, and span checks."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
from pathlib import Path
from typing import Any

ARTICLE = (
    "Kremlin spokesman Dmitry Peskov said on Monday: “We are ready to extend the treaty for one year.” "
    "Officials in Washington have not answered. Peskov added that “the offer stands until February.”\n"
)
PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p>"
    "</article></body></html>"
)
RUSSIAN = "Песков заявил журналистам, что Кремль надеется на продление договора. " * 12
FRENCH = "Le ministre a déclaré à la presse qu'il était très inquiet pour l'économie française. " * 8
LONG_NAME = ("Abcdefghij" * 100)[:1000]
BIG_CHARS = 50_000_000
# Every C0 control character but NUL (a NUL marks binary data), DEL, C1, and the Unicode format
# characters that reorder or hide text (bidi overrides, zero width, BOM mid-text, line separator).
CONTROLS = "".join(chr(c) for c in (*range(1, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9B))
FORMATS = "\u200b\u200e\u200f\u202a\u202b\u202d\u202e\u2066\u2069\ufeff\u2028\u2029"


def _random(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  (repeatable test data, not secrets)


def _warc(records: list[tuple[str, str, bytes]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for url, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2020-10-22T10:00:00Z"},
        )  # fmt: skip
        writer.write_record(record)
    return buffer.getvalue()


def _pages(prefix: str, count: int) -> list[tuple[str, str, bytes]]:
    return [
        (
            f"https://{prefix}.example/story-{i}",
            "text/html; charset=utf-8",
            PAGE.format(title=f"Treaty talks, day {i}", body=ARTICLE.replace("Monday", f"day {i}")).encode(),
        )
        for i in range(count)
    ]


def _big() -> bytes:
    words = ["the", "minister", "said", "treaty", "talks", "would", "resume", "on", "Monday", "after"]
    rnd = _random(9)
    paragraph = (" ".join(rnd.choice(words) for _ in range(80)) + ".\n\n").encode()
    return paragraph * (BIG_CHARS // len(paragraph) + 1)


def _jsonl() -> bytes:
    lines = [
        json.dumps({"text": ARTICLE, "url": "https://lines.example/1", "title": "First"}),
        '{"text": "cut off in the mid',
        "[1, 2, 3]",
        json.dumps({"text": "   ", "url": "https://lines.example/blank"}),
        "\xff\xfe not json".encode("latin-1").decode("latin-1"),
        json.dumps({"text": 42}),
        json.dumps({"html": PAGE.format(title="Second", body=ARTICLE), "url": "https://lines.example/2"}),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def _truncated_gzip() -> bytes:
    rnd = _random(3)
    text = " ".join(rnd.choice(ARTICLE.split()) for _ in range(20_000)).encode()
    whole = gzip.compress(text)
    return whole[: len(whole) // 2]


def make_inputs(big: bool = True) -> dict[str, bytes]:
    """Every hostile input of issue 9 by file name (news-like names for the binary ones)."""
    inputs: dict[str, bytes] = {
        "a-empty.txt": b"",
        "breaking-news-2020-10-22.html": b"\x89PNG\r\n\x1a\n" + _random(1).randbytes(3000),
        "world-news.txt": _random(2).randbytes(5000),
        "nested.html": (
            "<html><head><title>Deep</title></head><body>"
            + "<div>" * 10_000
            + f"<p>{ARTICLE}</p>"
            + "</div>" * 10_000
            + "</body></html>"
        ).encode(),
        "invalid-utf8.txt": ARTICLE.encode() + b"\xff\xfe\xc3\x28 stray bytes \x80\x81. " + ARTICLE.encode(),
        "utf16-bom.txt": codecs.BOM_UTF16_LE + ARTICLE.replace("Monday", "Tuesday").encode("utf-16-le"),
        "utf16-no-bom.txt": ARTICLE.replace("Monday", "Wednesday").encode("utf-16-le"),
        "cp1251.html": PAGE.format(title="Песков", body=RUSSIAN)
        .replace("<head>", '<head><meta charset="windows-1251">')
        .encode("cp1251"),
        "latin1.html": PAGE.format(title="Le ministre", body=FRENCH).encode("latin-1"),
        "truncated.txt.gz": _truncated_gzip(),
        "truncated.warc.gz": _warc(_pages("gz", 6), gz=True)[:-700],
        "truncated.warc": _warc(_pages("plain", 6), gz=False)[:-200],
        "not-html.warc.gz": _warc(
            [
                ("https://media.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
                ("https://media.example/report.pdf", "application/pdf", b"%PDF-1.4 ..."),
                ("https://media.example/data.json", "application/json", b'{"a": 1}'),
                ("https://media.example/noise", "", _random(4).randbytes(400)),
                *_pages("media", 1),
            ],
            gz=True,
        ),
        "broken-lines.jsonl": _jsonl(),
        "quotes-none-closed.txt": ("The mayor said “we " * 2_000 + "\n").encode(),
        "rtl-mixed.txt": (
            "قال المتحدث باسم الكرملين ديمتري بيسكوف يوم الاثنين: «نحن مستعدون». "
            "Peskov said “שלום עולם” on Monday, and 普京 said “你好” in Москва. "
            "Le porte-parole a dit « oui » à Paris.\n"
        ).encode(),
        "control-chars.txt": (
            f"Peskov said{CONTROLS} on Monday: “We are{FORMATS} ready.”\r"
            f"He added: “No{CONTROLS[:5]} deal.”\r\n\x0cLavrov said “fine” on Tuesday.\n"
        ).encode(),
        "long-name.txt": (
            f'{LONG_NAME} said on Monday: "We are ready to extend the treaty." '
            f'{LONG_NAME} added that "nothing has changed."\n'
        ).encode(),
        "z-good.txt": ARTICLE.encode(),  # last in the folder: the run went on to it
    }
    if big:
        inputs["big.txt"] = _big()
    return inputs


def write_inputs(folder: Path, big: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in make_inputs(big).items():
        (folder / name).write_bytes(data)
    return folder


def check_spans(record: Any, text: str) -> int:
    """Assert every span in a JSON record is inside ``text`` and well formed; return how many."""
    count = 0
    if isinstance(record, dict):
        if {"start", "end", "text"} <= record.keys():
            start, end = record["start"], record["end"]
            assert 0 <= start <= end <= len(text), record
            assert text[start:end] == record["text"], (text[start:end], record["text"])
            count += 1
        for value in record.values():
            count += check_spans(value, text)
    elif isinstance(record, list):
        for value in record:
            count += check_spans(value, text)
    return count
