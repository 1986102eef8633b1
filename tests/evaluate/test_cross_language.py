"""Tests for onrecord.evaluate.cross_language and `eval identities`: a tiny gold folder written here,
ingested for real (English, French, Russian and German analysis), must give Peskov one actor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import onrecord.evaluate.cross_language as cross_language
from onrecord.cli.main import main
from onrecord.evaluate.cross_language import CrossLanguageIdentities, evaluate_identities, format_identities

PESKOV = "Dmitry Peskov"
# (language, text, [(quoted words, speaker as the article writes it, speaker_latin)]), written for
# these tests: Peskov in four languages and two scripts, Putin in two, and two Ivanovs who are not
# one person (a man in English, a woman in Russian).
ARTICLES = [
    (
        "en",
        "Kremlin says it is ready for talks\n\nKremlin spokesman Dmitry Peskov said on Monday: "
        '"We are ready to continue the talks." Former defence minister Sergei Ivanov said the proposal '
        'was "worth studying."\n',
        [('"We are ready to continue the talks."', "Dmitry Peskov", PESKOV),
         ('"worth studying."', "Sergei Ivanov", "Sergei Ivanov")],
    ),
    (
        "fr",
        "Le Kremlin prêt à discuter\n\n« Nous sommes prêts à poursuivre les discussions », a déclaré "
        "Dmitri Peskov, le porte-parole du Kremlin. Le président Vladimir Poutine a affirmé que la "
        "Russie « ne fermera pas la porte ».\n",
        [("« Nous sommes prêts à poursuivre les discussions »", "Dmitri Peskov", PESKOV),
         ("« ne fermera pas la porte »", "Vladimir Poutine", "Vladimir Putin")],
    ),
    (
        "ru",
        "Кремль готов к переговорам\n\n«Мы готовы продолжить переговоры», — заявил в понедельник "
        "пресс-секретарь Кремля Дмитрий Песков. Депутат Мария Иванова сказала, что предложение "
        "«заслуживает внимания».\n",
        [("«Мы готовы продолжить переговоры»", "Дмитрий Песков", PESKOV),
         ("«заслуживает внимания»", "Мария Иванова", "Maria Ivanova")],
    ),
    (
        "de",
        "Kreml zu Gesprächen bereit\n\n„Wir sind bereit, die Gespräche fortzusetzen“, sagte Kremlsprecher "
        "Dmitri Peskow am Montag. Präsident Wladimir Putin erklärte, Russland werde „die Tür nicht "
        "schließen“.\n",
        [("„Wir sind bereit, die Gespräche fortzusetzen“", "Dmitri Peskow", PESKOV),
         ("„die Tür nicht schließen“", "Wladimir Putin", "Vladimir Putin")],
    ),
]  # fmt: skip


def write_folder(root: Path) -> Path:
    for language, text, quotes in ARTICLES:
        name = f"{language}-Test_2025_03_03"
        folder = root / language
        folder.mkdir(parents=True)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        gold = {
            "file": f"{name}.txt",
            "language": language,
            "published": "2025-03-03",
            "headline": text.split("\n")[0],
            "quotes": [
                {
                    "kind": "partial" if words.count(" ") < 3 else "direct",
                    "start": text.index(words),
                    "end": text.index(words) + len(words),
                    "content": words,
                    "speaker": speaker,
                    "speaker_latin": latin,
                    "type": "person",
                    "speaker_mention": None,
                    "cue": None,
                }
                for words, speaker, latin in quotes
            ],
        }
        (folder / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> CrossLanguageIdentities:
    return evaluate_identities(write_folder(tmp_path_factory.mktemp("gold")))


def test_peskov_and_putin_are_one_actor_each(result: CrossLanguageIdentities) -> None:
    speakers = {s.speaker_latin: s for s in result.speakers}
    assert set(speakers) == {PESKOV, "Vladimir Putin"}  # the Ivanovs are each in one language
    peskov = speakers[PESKOV]
    assert list(peskov.actors) == ["de", "en", "fr", "ru"] and peskov.one_actor
    assert len({a for actors in peskov.actors.values() for a in actors}) == 1
    assert speakers["Vladimir Putin"].one_actor
    assert result.metrics() == {"one_actor_persons": 1.0, "persons_kept_apart": 1.0}


def test_the_two_ivanovs_are_not_joined(result: CrossLanguageIdentities) -> None:
    assert result.false_joins == ()
    report = format_identities(result)
    assert "persons: 2/2 (1.000)" in report
    assert "different persons sharing one actor: none (persons kept apart: 1.000)" in report


def test_a_speaker_one_language_does_not_name_counts_against() -> None:
    label = cross_language.Label
    found = [
        (label("fr", "Vladimir Poutine", "Vladimir Putin", "person"), "p-1 (Vladimir Putin)"),
        (label("ru", "Владимир Путин", "Vladimir Putin", "person"), None),
        (label("fr", "Dmitri Peskov", PESKOV, "person"), "p-1 (Vladimir Putin)"),
        (label("ru", "Дмитрий Песков", PESKOV, "person"), "p-2 (Дмитрий Песков)"),
    ]
    scored = cross_language._score(found)
    assert [s.one_actor for s in scored.speakers] == [False, False]
    assert scored.false_joins == ((PESKOV, "Vladimir Putin"),)
    assert scored.kept_apart == 0.0  # both persons some article named share an actor with the other
    assert "ru not named" in format_identities(scored)


def test_eval_identities_prints_the_figure_and_gates_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    measured = cross_language._score(
        [(cross_language.Label(lang, "X", "Anna Berg", "person"), "p-1 (Anna Berg)") for lang in ("de", "fr")]
    )
    calls: list[Any] = []

    def fake(folder: Path, *, workers: int = 1) -> CrossLanguageIdentities:
        calls.append((folder, workers))
        return measured

    monkeypatch.setattr(cross_language, "evaluate_identities", fake)
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    out = runner.invoke(main, ["eval", "identities", str(tmp_path), "--update-baseline", str(baseline)])
    assert out.exit_code == 0, out.output
    assert "persons: 1/1 (1.000)" in out.output and calls == [(tmp_path, 1)]
    pinned = json.loads(baseline.read_text())["cross_language_identity"]
    assert pinned == {"one_actor_persons": 1.0, "persons_kept_apart": 1.0}
