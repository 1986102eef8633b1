"""The Spark job's summary and exit status, without Spark: skipped inputs exit 0, failed ones 2.

The executor-side code (``spark/analyse.py``: read each unit, analyse each Item) runs here in
process and its staged rows are written where Spark writes them (``_analysed/input_id=...``);
``job.count`` then makes the run's summary from the files, as at the end of a run. The command
is run with ``job.run`` replaced by that summary, so it needs neither Spark nor Java.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus.sample import ARTICLES, write_jsonl
from onrecord.errors import OnrecordError
from onrecord.spark.inputs import Unit, expand_units
from onrecord.spark.job import ANALYSED, JobSummary, count, run


def _stage(out: Path, units: list[Unit]) -> list[str]:
    """Analyse each unit in process and write its staged rows as Spark does; returns the unit ids."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from onrecord.spark.analyse import analyse_rows, raw_schema, read_units

    for ordinal, unit in enumerate(units, start=1):
        ask = pa.RecordBatch.from_pylist(
            [{"input_id": unit.id, "unit": ordinal, "uri": unit.uri}],
            schema=pa.schema([("input_id", pa.string()), ("unit", pa.int64()), ("uri", pa.string())]),
        )
        raw = [b.select(raw_schema().names) for b in read_units([ask])]
        staged = pa.Table.from_batches(list(analyse_rows(raw)))
        folder = out / ANALYSED / f"input_id={unit.id}"
        folder.mkdir(parents=True)
        pq.write_table(staged.drop_columns(["input_id"]), folder / "part-00000.parquet")
    return [u.id for u in units]


def _summary(out: Path, paths: list[Path]) -> JobSummary:
    units = expand_units([str(p) for p in paths])
    summary = JobSummary(units=len(units), analysed_now=len(units))
    count(out, _stage(out, units), summary)
    return summary


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("spark-summary")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    good_and_bad = write_jsonl(folder / "mixed.jsonl", [ARTICLES[0], {"text": "", "title": "Nothing"}])
    return {"empty": folder / "empty.txt", "mixed": good_and_bad}


def _command(monkeypatch: pytest.MonkeyPatch, summary: JobSummary, out: Path) -> Result:
    from onrecord.cli.main import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: object() if name == "pyspark" else real(name, *a)
    )
    monkeypatch.setattr("onrecord.spark.job.run", lambda *a, **k: summary)
    return CliRunner().invoke(main, ["spark", "whatever.jsonl", "--out", str(out)])


def test_only_skipped_inputs_exit_0(
    inputs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = _summary(tmp_path, [inputs["empty"]])
    assert summary.counts["skipped"] == 1 and not summary.failed
    result = _command(monkeypatch, summary, tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 skipped, 0 failed" in result.stdout
    assert result.stderr.strip() == f"skipped: {inputs['empty']}: empty file (no text to analyse)"


def test_a_failed_input_exits_2_and_is_named(
    inputs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = _summary(tmp_path, [inputs["empty"], inputs["mixed"]])
    assert (summary.counts["skipped"], summary.counts["failed"], summary.counts["article"]) == (1, 1, 1)
    assert summary.failed
    result = _command(monkeypatch, summary, tmp_path)
    assert result.exit_code == 2
    assert "1 skipped, 1 failed" in result.stdout
    # In input order, worded as `onrecord ingest` words them.
    assert result.stderr.splitlines() == [
        f"skipped: {inputs['empty']}: empty file (no text to analyse)",
        f"failed: {inputs['mixed']} [line 2]: no 'text' or 'html' field with content",
    ]


def test_the_ingest_counts_the_same_inputs_alike(inputs: dict[str, Path], tmp_path: Path) -> None:
    from onrecord.corpus.build import ingest

    summary = _summary(tmp_path / "spark", [inputs["empty"], inputs["mixed"]])
    ingested = ingest([str(inputs["empty"]), str(inputs["mixed"])], tmp_path / "x.db", workers=1)
    assert [p[:2] + p[3:] for p in summary.problems] == [
        (kind, source, reason) for kind, source, _record, reason in ingested.problems
    ]
    assert {k: summary.counts[k] for k in ("skipped", "failed")} == {
        k: ingested.counts[k] for k in ("skipped", "failed")
    }


def test_the_job_never_writes_into_an_export(tmp_path: Path) -> None:
    (tmp_path / "_manifest").mkdir()
    (tmp_path / "_manifest" / "export.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OnrecordError, match="export of a SQLite store"):
        run(["whatever.jsonl"], tmp_path)


def test_an_article_over_its_budget_is_a_failed_row_naming_the_limit(tmp_path: Path) -> None:
    """The executors analyse under the same time budget as `onrecord ingest` (--article-timeout)."""
    from onrecord.spark.analyse import analyse_row

    transcript = "\n\n".join([" ".join(['"Trust is low," Peskov said.'] * 400)] * 20)
    raw = {
        "source": "transcript.txt", "record": "", "data": None, "text": transcript, "kind": "text",
        "title": None, "url": None, "published": None, "published_source": None, "outlet": None,
        "error": None, "skip": False, "input_id": "u1", "unit": 1, "position": 0,
    }  # fmt: skip
    row = analyse_row(raw, 0.5)
    assert row["status"] == "failed" and "0.5 s limit" in row["reason"]
    assert analyse_row({**raw, "text": ARTICLES[0]["text"]}, 60)["status"] == "article"
