"""Tests for onrecord.evaluate.multilingual and `eval multilingual`, on a tiny gold folder written here."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.errors import EvaluationError, InputError
from onrecord.evaluate.multilingual import (
    MultilingualScores,
    evaluate_multilingual,
    format_multilingual,
)

DE = (
    "Streit um den Haushalt\n\n"
    "„Wir geben nicht nach“, sagte Anna Berger am Montag. "
    "Ein Sprecher der Stadt erklärte, dass die Gespräche „in guter Atmosphäre“ weitergehen. "
    "Kremlsprecher Dmitri Peskow nannte den Plan „unrealistisch“.\n"
)
RU = (
    "Переговоры продолжатся\n\n"
    "«Мы готовы к диалогу», — заявил Дмитрий Песков. Встреча состоится в июне, добавил он.\n"
)
TEXTS = {"de": DE, "ru": RU}

PESKOV = ("Дмитрий Песков", "Dmitry Peskov")
# (kind, words, speaker in the article's spelling, speaker_latin)
GOLD: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "de": [
        ("direct", "„Wir geben nicht nach“", "Anna Berger", "Anna Berger"),
        (
            "indirect",
            "dass die Gespräche „in guter Atmosphäre“ weitergehen",
            "ein sprecher der stadt",
            "a city spokesman",
        ),
        ("partial", "„in guter Atmosphäre“", "ein sprecher der stadt", "a city spokesman"),
        ("partial", "„unrealistisch“", "Dmitri Peskow", "Dmitry Peskov"),
    ],
    "ru": [
        ("direct", "«Мы готовы к диалогу»", *PESKOV),
        ("indirect", "Встреча состоится в июне", *PESKOV),
    ],
}


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def write_folder(root: Path) -> Path:
    for lang, text in TEXTS.items():
        name = f"{lang}-Test_2025_01_02"
        folder = root / lang
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.meta.json").write_text(json.dumps({"published": "2025-01-02"}), encoding="utf-8")
        quotes = [
            {
                "kind": kind,
                "start": at(text, words)[0],
                "end": at(text, words)[1],
                "content": words,
                "speaker": speaker,
                "speaker_latin": latin,
                "type": "person",
                "speaker_mention": None,
                "cue": None,
            }
            for kind, words, speaker, latin in GOLD[lang]
        ]
        gold = {
            "file": f"{name}.txt",
            "language": lang,
            "published": "2025-01-02",
            "headline": "",
            "quotes": quotes,
        }
        (folder / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "multilingual")


def contract(text: str, quotes: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """A hand-made ``Article.to_dict()``: (kind, words, speaker name) per quote."""
    out = []
    for kind, words, name in quotes:
        start, end = at(text, words)
        span = {"start": start, "end": end, "text": words}
        out.append(
            {
                "kind": kind,
                **span,
                "speaker": {"name": name, "actor_id": None, "mention": None, "confidence": None},
                "cue": None,
                "content": span,
            }
        )
    return {"text": text, "published": "2025-01-02", "quotes": out}


Names = Callable[[str, str, str | None], str | None]


def analyzer_from(
    names: Names = lambda lang, words, gold: gold,
) -> Callable[[str, str | None], dict[str, Any]]:
    """An analyzer that finds every gold statement and names it ``names(language, words, gold name)``."""

    def analyze(text: str, published: str | None) -> dict[str, Any]:
        assert published == "2025-01-02"
        lang = next(lang for lang, t in TEXTS.items() if t == text)
        return contract(text, [(k, w, names(lang, w, s)) for k, w, s, _ in GOLD[lang]])

    return analyze


def by_language(scores: MultilingualScores) -> dict[str, Any]:
    return {s.language: s for s in scores.languages}


def test_a_perfect_analyzer_scores_one_everywhere(gold_dir: Path) -> None:
    scores = evaluate_multilingual(gold_dir, analyzer_from())
    assert [s.language for s in scores.languages] == ["de", "ru", "all"]
    metrics = scores.metrics()
    for lang in ("de", "ru", "all"):
        assert metrics[f"f1_{lang}"] == metrics[f"wsw_f1_{lang}"] == 1.0
        assert metrics[f"speaker_accuracy_{lang}"] == 1.0
    assert by_language(scores)["all"].gold == 6


def test_a_latin_name_matches_a_cyrillic_gold_speaker(gold_dir: Path) -> None:
    def latin(lang: str, words: str, gold: str | None) -> str | None:
        return "Dmitry Peskov" if gold in ("Дмитрий Песков", "Dmitri Peskow") else gold

    scores = evaluate_multilingual(gold_dir, analyzer_from(latin))
    assert scores.metrics()["wsw_f1_ru"] == 1.0
    assert scores.metrics()["wsw_f1_de"] == 1.0
    # The one speaker labelled in both languages got one name in both: consistent.
    (peskov,) = scores.cross_language
    assert peskov.speaker_latin == "Dmitry Peskov" and peskov.consistent
    assert scores.cross_language_consistent == 1.0


def test_names_in_each_article_spelling_are_right_but_not_one_identity(gold_dir: Path) -> None:
    scores = evaluate_multilingual(gold_dir, analyzer_from())
    (peskov,) = scores.cross_language
    assert peskov.names == {"de": ["Dmitri Peskow"], "ru": ["Дмитрий Песков"]}
    assert not peskov.consistent and scores.cross_language_consistent == 0.0


def test_a_wrong_speaker_counts_against_who_said_what_only(gold_dir: Path) -> None:
    def wrong(lang: str, words: str, gold: str | None) -> str | None:
        return "Moskau" if words == "«Мы готовы к диалогу»" else gold

    ru = by_language(evaluate_multilingual(gold_dir, analyzer_from(wrong)))["ru"]
    assert ru.detection.f1 == 1.0
    assert ru.who_said_what.matched_gold == 1 and ru.speaker_accuracy == 0.5


def test_an_article_not_analysed_counts_as_missed_and_says_why(gold_dir: Path) -> None:
    perfect = analyzer_from()

    def no_russian(text: str, published: str | None) -> dict[str, Any]:
        if text == RU:
            raise InputError(None, "no language pack for 'ru'")
        return perfect(text, published)

    scores = evaluate_multilingual(gold_dir, no_russian)
    ru, everything = by_language(scores)["ru"], by_language(scores)["all"]
    assert ru.detection.recall == 0.0 and ru.not_analysed == 1
    assert by_language(scores)["de"].detection.f1 == 1.0
    assert everything.detection.recall == pytest.approx(4 / 6)
    assert "not analysed: <input>: no language pack for 'ru'" in format_multilingual(scores)


def test_a_broad_clause_does_not_take_the_quoted_words_from_the_partial_quote(gold_dir: Path) -> None:
    """The clause is predicted first, a word short, and covers all the quoted words; both still match."""

    def analyze(text: str, published: str | None) -> dict[str, Any]:
        if text == RU:
            return contract(text, [])
        clause = "dass die Gespräche „in guter Atmosphäre“"
        return contract(text, [("indirect", clause, None), ("partial", "„in guter Atmosphäre“", None)])

    de = by_language(evaluate_multilingual(gold_dir, analyze))["de"]
    assert de.detection.matched_gold == 2 and de.detection.precision == 1.0


def test_every_prediction_counts_for_precision_and_half_a_span_is_needed(gold_dir: Path) -> None:
    def analyze(text: str, published: str | None) -> dict[str, Any]:
        if text == RU:
            # Half of the indirect statement is not enough; the extra indirect quote is a false alarm.
            return contract(text, [("direct", "«Мы готовы к диалогу»", None), ("indirect", "Встреча", None)])
        return contract(text, [("indirect", "Kremlsprecher Dmitri Peskow nannte den Plan", None)])

    scores = evaluate_multilingual(gold_dir, analyze)
    ru = by_language(scores)["ru"]
    assert (ru.detection.precision, ru.detection.recall) == (0.5, 0.5)
    assert by_language(scores)["all"].predicted == 3
    errors = format_multilingual(scores, errors=True)
    assert "false alarm indirect" in errors and "missed indirect" in errors


def test_a_folder_without_gold_is_an_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match=r"no <lang>/<name>\.gold\.json"):
        evaluate_multilingual(tmp_path, analyzer_from())


def test_a_gold_span_that_misses_its_content_is_an_evaluation_error(gold_dir: Path) -> None:
    path = next(gold_dir.glob("de/*.gold.json"))
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold["quotes"][0]["start"] += 1
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(EvaluationError, match="fix the gold"):
        evaluate_multilingual(gold_dir, analyzer_from())


@pytest.fixture()
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("onrecord.cli.evaluate.routed_analyzer", analyzer_from())


@pytest.mark.usefixtures("fake_analyzer")
def test_cli_prints_the_table_per_language_and_per_article(gold_dir: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "multilingual", str(gold_dir)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    assert rows["all"][1:5] == ["2", "6", "6", "6"] and rows["all"][7] == "1.000"
    assert rows["ru-Test_2025_01_02"][1:] == ["ru", "2", "2", "2", "2"]
    assert "Dmitry Peskov:" in result.output  # the cross-language line


@pytest.mark.usefixtures("fake_analyzer")
def test_cli_json_and_the_gate_section(gold_dir: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    result = CliRunner().invoke(
        main, ["eval", "multilingual", str(gold_dir), "--json", "--update-baseline", str(baseline)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["languages"][0]["language"] == "de"
    floors = json.loads(baseline.read_text(encoding="utf-8"))["multilingual"]
    assert floors["f1_de"] == floors["wsw_f1_all"] == 1.0
    check = CliRunner().invoke(main, ["eval", "multilingual", str(gold_dir), "--check", str(baseline)])
    assert check.exit_code == 0, check.output


def test_cli_without_gold_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "multilingual", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_the_shared_multilingual_gold_runs_in_four_languages(shared_data: Path) -> None:
    folder = shared_data / "multilingual"
    if not folder.is_dir():
        pytest.skip("../shared/data/multilingual is absent")
    result = CliRunner().invoke(main, ["eval", "multilingual", str(folder)])
    assert result.exit_code == 0, result.output
    first_column = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    for language in ("de", "fr", "ru", "es", "all"):
        assert language in first_column
