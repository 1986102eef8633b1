"""Spark job inputs without Spark: path lists, raw-text Parquet, bad inputs, the missing-PySpark message."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.spark.inputs import expand_units, iter_unit


def test_a_path_list_stands_for_the_warcs_it_names(tmp_path: Path) -> None:
    (tmp_path / "a.warc.gz").write_bytes(b"")
    listing = tmp_path / "warc.paths.gz"
    listing.write_bytes(gzip.compress(b"a.warc.gz\ncrawl-data/CC-NEWS/2020/10/b.warc.gz\n"))
    units = expand_units([str(listing)])
    assert [u.uri for u in units] == [
        str(tmp_path / "a.warc.gz"),
        str(tmp_path / "crawl-data/CC-NEWS/2020/10/b.warc.gz"),
    ]
    remote = expand_units([str(listing)], base="s3://commoncrawl/")
    assert [u.uri for u in remote] == [
        "s3://commoncrawl/a.warc.gz",
        "s3://commoncrawl/crawl-data/CC-NEWS/2020/10/b.warc.gz",
    ]
    assert len({u.id for u in units}) == 2


def test_a_txt_of_warc_paths_is_a_list_but_an_article_is_not(tmp_path: Path) -> None:
    listing = tmp_path / "inputs.txt"
    listing.write_text("/data/x.warc.gz\n/data/y.warc\n", encoding="utf-8")
    assert [u.uri for u in expand_units([str(listing)])] == ["/data/x.warc.gz", "/data/y.warc"]
    article = tmp_path / "article.txt"
    article.write_text("Peskov said the treaty would be extended.\n", encoding="utf-8")
    assert [u.uri for u in expand_units([str(article)])] == [str(article)]


def test_a_missing_input_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        expand_units([str(tmp_path / "nothing.warc.gz")])


def test_parquet_of_raw_text_gives_items(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "text": ["Peskov said on Monday that Moscow was ready.", None],
            "url": ["https://news.example.org/a", "https://news.example.org/b"],
            "date": ["2020-10-19T10:00:00Z", None],
            "title": ["Ready", None],
        }
    )
    path = tmp_path / "raw.parquet"
    pq.write_table(table, path)
    items = list(iter_unit(str(path)))
    assert [i.record for i in items] == ["row 1", "row 2"]
    assert items[0].text and items[0].published == "2020-10-19" and items[0].title == "Ready"
    assert items[1].error == "no 'text' or 'html' value"


def test_a_file_that_is_not_parquet_is_one_failed_item(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    items = list(iter_unit(str(path)))
    assert len(items) == 1 and items[0].error and "not a readable Parquet file" in items[0].error


def test_without_pyspark_the_command_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    from click.testing import CliRunner

    from onrecord.cli.main import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a)
    )
    result = CliRunner().invoke(main, ["spark", "x.warc.gz", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == "error: onrecord spark needs PySpark: pip install 'onrecord[spark]' (and Java 17)"
    )
