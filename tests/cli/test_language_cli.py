"""`onrecord quotes --language CODE`: the statements of one language, from the store or its Parquet export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus.bilingual import bilingual_db
from onrecord.cli.main import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bilingual_db(tmp_path_factory)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _page(*args: str) -> dict[str, object]:
    result = _invoke("quotes", *args, "--format", "json", "--limit", "500")
    assert result.exit_code == 0, result.output
    page: dict[str, object] = json.loads(result.stdout)
    return page


def test_language_keeps_that_languages_statements(db: Path) -> None:
    everything = _page("--db", str(db))
    rows = everything["rows"]
    assert isinstance(rows, list)
    for code in ("de", "en"):
        page = _page("--db", str(db), "--language", code)
        expected = [row for row in rows if row["language"] == code]
        assert expected and page["rows"] == expected and page["total"] == len(expected)
    german = _page("--db", str(db), "--language", "DE", "--speaker", "Peskov")
    assert german["total"] and all("Peskov" in str(row["actor"]) for row in german["rows"])  # type: ignore[attr-defined]


def test_the_table_names_the_german_speakers_only(db: Path) -> None:
    result = _invoke("quotes", "--db", str(db), "--language", "de")
    assert result.exit_code == 0, result.output
    assert "Klaus Berger" in result.stdout and "Donald Trump" not in result.stdout


def test_an_unknown_code_finds_nothing_and_a_malformed_one_is_a_usage_error(db: Path) -> None:
    assert _page("--db", str(db), "--language", "xx")["total"] == 0
    result = _invoke("quotes", "--db", str(db), "--language", "deu")
    assert result.exit_code == 2
    assert "'deu' is not a language code: give two letters (ISO 639-1)" in result.output


def test_the_parquet_export_answers_as_the_store(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    exported = _invoke("export", str(out), "--db", str(db), "--format", "parquet")
    assert exported.exit_code == 0, exported.output
    for args in (["--language", "de"], ["--language", "en", "--search", "treaty"]):
        from_parquet = _page(*args, "--parquet", str(out))
        assert from_parquet["rows"] and from_parquet == _page(*args, "--db", str(db))
