"""The command line: the digest, the JSON contract, and bad inputs (one line, exit 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli.main import main

CONTRACT_KEYS = {
    "source",
    "text",
    "section",
    "headline",
    "published",
    "published_source",
    "boilerplate",
    "quotes",
    "actors",
    "timex",
}


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_demo_digest(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "--demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Kremlin Hopes New START Treaty Will Be Extended For One Year, Disagreements Overcome" in out
    assert "section: World" in out
    assert "'Sputnik'" in out and "'Discuss'" in out
    assert "Dmitry Peskov" in out and "Vladimir Putin" in out


def test_json_contract(runner: CliRunner, seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    result = runner.invoke(main, ["analyze", str(path), "--format", "json", "--published", "2020-10-22"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= CONTRACT_KEYS
    assert data["text"] == seed_text and data["source"] == str(path)
    assert data["section"] == "World"
    assert data["published"] == "2020-10-22" and data["published_source"] == "given"
    assert [b["text"] for b in data["boilerplate"]] == ["World", "Sputnik", "Discuss"]
    for quote in data["quotes"]:
        assert quote["kind"] in {"direct", "partial", "indirect"}
        assert set(quote["speaker"]) >= {"name", "actor_id", "mention"}
        assert seed_text[quote["start"] : quote["end"]] == quote["text"]
        if quote["speaker"]["actor_id"]:
            assert quote["speaker"]["actor_id"] in {a["id"] for a in data["actors"]}
    for actor in data["actors"]:
        assert actor["type"] in {"person", "organization", "place", "group"}


def write_bad_inputs(folder: Path, seed_text: str) -> None:
    (folder / "a-good.txt").write_text(seed_text, encoding="utf-8")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "d-invalid.txt").write_bytes(b"Headline\n\n" + b"\xc3\x28\xa0\xa1" * 50 + b"\x00\x01" * 10)


@pytest.mark.parametrize(
    "name, reason",
    [("b-empty.txt", "empty file"), ("c-photo.png", "PNG image"), ("d-invalid.txt", "binary")],
)
def test_one_bad_input_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, seed_text: str, name: str, reason: str
) -> None:
    write_bad_inputs(tmp_path, seed_text)
    result = runner.invoke(main, ["analyze", str(tmp_path / name)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert str(tmp_path / name) in lines[0] and reason in lines[0]
    assert "Traceback" not in result.output


def test_invalid_utf8_text_is_reported_not_crashed(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 50)
    result = runner.invoke(main, ["analyze", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{path}: invalid UTF-8 at byte 0" in result.output


def test_mixed_folder_analyses_the_good_and_reports_the_bad(
    runner: CliRunner, tmp_path: Path, seed_text: str
) -> None:
    write_bad_inputs(tmp_path, seed_text)
    result = runner.invoke(main, ["analyze", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [Path(r["source"]).name for r in records] == ["a-good.txt"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 3 and all(str(tmp_path) in e for e in errors)


def test_bad_published_date_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "--demo", "--published", "22/10/2020"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_html_page_is_analysed(runner: CliRunner) -> None:
    page = Path(__file__).parents[1] / "fixtures" / "city-council.html"
    result = runner.invoke(main, ["analyze", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["headline"] == "Council approves new bridge over the Elbe"
    assert data["published"] == "2024-03-14" and data["published_source"] == "metadata"
    speakers = {q["speaker"]["name"] for q in data["quotes"]}
    assert "Helena Brandt" in speakers


def test_every_command_has_help(runner: CliRunner) -> None:
    def walk(command, path):  # type: ignore[no-untyped-def]
        assert command.help, f"{' '.join(path)} has no help text"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(main, ["onrecord"])
    assert runner.invoke(main, ["--help"]).exit_code == 0


def test_console_script_exits_2_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = subprocess.run(
        [sys.executable, "-c", "from onrecord.cli.main import run; run()", "analyze", str(empty)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and str(empty) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_jsonl_keeps_each_article_on_one_line_whatever_its_separators(
    runner: CliRunner, tmp_path: Path
) -> None:
    # U+2028, U+2029 and NEL are valid inside JSON strings but end lines for str.splitlines and
    # older JavaScript: a JSONL reader must still see one record per line, with the text intact.
    text = 'The mayor said: "We will rebuild\u2028the bridge\u2029by spring\x85next year."\n'
    (tmp_path / "separators.txt").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["analyze", str(tmp_path / "separators.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["text"] == text


def test_an_article_in_a_language_without_a_pack_says_so(runner: CliRunner, tmp_path: Path) -> None:
    italian = tmp_path / "porto.txt"
    italian.write_text(
        "Polemica sul porto\n\nIl sindaco ha detto lunedì che la città non venderà il porto. «Non se ne"
        " parla», ha affermato davanti ai consiglieri in municipio.\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["analyze", str(italian), "--format", "json"])
    assert result.exit_code == 0
    assert f"note: {italian}: Italian (it): no language pack" in result.stderr
    article = json.loads(result.stdout)
    assert article["metadata"]["language"] == "it" and article["quotes"] == []


def test_a_german_article_is_analysed_by_its_pack(runner: CliRunner, tmp_path: Path) -> None:
    german = tmp_path / "hafen.txt"
    text = (
        "Streit um den Hafen\n\nDer Bürgermeister Klaus Berger sagte am Montag, die Stadt werde den Hafen"
        " nicht verkaufen. „Das kommt nicht in Frage“, sagte er vor den Abgeordneten im Rathaus der Stadt.\n"
    )
    german.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["analyze", str(german), "--format", "json"])
    assert result.exit_code == 0 and "no language pack" not in result.stderr
    article = json.loads(result.stdout)
    assert article["metadata"]["language"] == "de"
    said = {(q["kind"], text[q["start"] : q["end"]]) for q in article["quotes"]}
    assert said == {
        ("indirect", "die Stadt werde den Hafen nicht verkaufen"),
        ("direct", "„Das kommt nicht in Frage“"),
    }
    assert {q["speaker"]["name"] for q in article["quotes"]} == {"Klaus Berger"}
    pronoun = next(q["speaker"]["mention"] for q in article["quotes"] if q["kind"] == "direct")
    assert (pronoun["kind"], text[pronoun["start"] : pronoun["end"]]) == ("pronoun", "er")


def test_an_english_article_records_its_language(runner: CliRunner, seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    result = runner.invoke(main, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0 and "note:" not in result.stderr
    article = json.loads(result.stdout)
    assert article["metadata"]["language"] == "en" and article["quotes"]
