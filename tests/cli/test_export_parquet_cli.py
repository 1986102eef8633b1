"""`onrecord export --format parquet DIR`, then the read side's `--parquet DIR` over the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus.sample import build
from onrecord.cli.main import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cli-export"))


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-parquet") / "corpus"
    result = _invoke("export", str(out), "--db", str(db), "--format", "parquet")
    assert result.exit_code == 0, result.output
    assert (
        result.stderr.strip() == f"4 articles, 8 statements, 12 actors written to {out} (12 Parquet datasets)"
    )
    return out


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "--speaker", "Peskov"],
        ["quotes", "--search", "treaty", "--limit", "2", "--offset", "1"],
        ["actors", "--search", "Trump"],
        ["timeline", "Peskov"],
    ],
    ids=["speaker", "search-paged", "actors", "timeline"],
)
def test_read_side_answers_from_the_export_as_from_the_db(args: list[str], db: Path, exported: Path) -> None:
    from_store = _invoke(*args, "--db", str(db), "--format", "json")
    from_parquet = _invoke(*args, "--parquet", str(exported), "--format", "json")
    assert from_parquet.exit_code == 0, from_parquet.output
    page = json.loads(from_parquet.stdout)
    assert page["rows"] and page == json.loads(from_store.stdout)


def test_quotes_table_from_the_export(exported: Path) -> None:
    result = _invoke("quotes", "--parquet", str(exported), "--speaker", "Peskov")
    assert result.exit_code == 0, result.output
    assert "Dmitry Peskov" in result.stdout and "of 2" in result.stdout


def test_export_again_replaces_the_earlier_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    assert _invoke("export", str(out), "--db", str(db), "--format", "parquet").exit_code == 0
    result = _invoke("export", str(out), "--db", str(db), "--format", "parquet")
    assert result.exit_code == 0 and "replacing the earlier export" in result.stderr


def test_a_folder_that_is_no_export_is_one_line_exit_2(db: Path, tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("keep me", encoding="utf-8")
    result = _invoke("export", str(tmp_path), "--db", str(db), "--format", "parquet")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {tmp_path}: not empty and not an onrecord Parquet export; give a new or empty folder"
        " (an export replaces only an earlier export)"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.tex"]


def test_parquet_to_stdout_and_jsonl_to_a_folder_are_usage_errors(db: Path, tmp_path: Path) -> None:
    to_stdout = _invoke("export", "-", "--db", str(db), "--format", "parquet")
    assert to_stdout.exit_code == 2 and "not stdout" in to_stdout.output
    to_folder = _invoke("export", str(tmp_path), "--db", str(db), "--format", "jsonl")
    assert to_folder.exit_code == 2 and "is a folder" in to_folder.output
    assert "Traceback" not in to_stdout.output + to_folder.output
