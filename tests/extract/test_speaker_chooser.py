"""The speaker chooser: the shipped model, its card, its scores and how it changes attributions."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from onrecord import analyze
from onrecord.extract.speaker_chooser import (
    FEATURES,
    UNATTRIBUTED_BELOW,
    ChooserModel,
    SpeakerChooser,
    shipped_model,
)
from onrecord.model import Actor, Article, Mention, Quote, Span

TEXT = (
    "Port Strike\n\nDock workers walked out on Monday. “We are not going back until the contract is "
    "signed,” union leader Carla Mendes said.\n\nThe port authority chief, Omar Haddad, disagreed. "
    "“The strike is illegal,” he said.\n\n"
    "“It will cost the city millions,” an analyst at a local bank said.\n"
)


def test_shipped_model_loads_with_its_card() -> None:
    model = shipped_model()
    assert model is not None
    assert model.trees and all(len(node) == 6 for tree in model.trees for node in tree)
    assert max(node[0] for tree in model.trees for node in tree) < len(FEATURES)
    card = model.card
    assert card["data_sha256"] and card["sklearn"]
    assert set(card["held_out_publishers"]) >= {"nyt", "wash-post", "breitbart"}
    # calibration is a monotone map onto [0, 1]
    assert list(model.calibration_y) == sorted(model.calibration_y)
    assert 0.0 <= model.calibration_y[0] <= model.calibration_y[-1] <= 1.0


def test_model_file_for_other_features_is_refused() -> None:
    data = json.loads(
        resources.files("onrecord.extract")
        .joinpath("models/speaker_chooser.json")
        .read_text(encoding="utf-8")
    )
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        ChooserModel.from_json(data)


def test_same_article_scores_identically_across_runs() -> None:
    first = [q["speaker"] for q in analyze(TEXT, published="2024-03-04").to_dict()["quotes"]]
    second = [q["speaker"] for q in analyze(TEXT, published="2024-03-04").to_dict()["quotes"]]
    assert first == second
    assert all(s["confidence"] is not None for s in first if s["name"])


def test_confident_named_speakers_and_a_less_certain_pronoun() -> None:
    quotes = {q["text"][:12]: q["speaker"] for q in analyze(TEXT, published="2024-03-04").to_dict()["quotes"]}
    named = quotes["“We are not g"[:12]]
    assert named["name"] == "Carla Mendes"
    assert named["confidence"] >= 0.5
    assert quotes["“The strike i"[:12]]["name"] == "Omar Haddad"
    analyst = quotes["“It will cost"[:12]]
    assert analyst["name"] not in ("Omar Haddad", "Carla Mendes")


def _article_with() -> Article:
    text = "“Go,” Ann Lee said."
    mention = Mention(Span(6, 13), "name")
    actor = Actor(
        Actor.make_id("Ann Lee", "person"), "Ann Lee", "person", (Mention(Span(6, 13), "name", None),)
    )
    quote = Quote("direct", Span(0, 5), mention, actor.id, evidence=("Ann Lee -> Ann Lee (name)",))
    return Article(text=text, quotes=(quote,), actors=(actor,))


def test_without_a_parse_or_model_the_article_is_unchanged() -> None:
    article = _article_with()
    assert SpeakerChooser(use_shipped=False)(article) is article
    assert SpeakerChooser()(article) is article  # no parse: nothing to score


def test_an_attribution_too_unlikely_is_kept_unattributed() -> None:
    from onrecord.extract.parse import load_nlp

    nlp = load_nlp()
    article = _article_with()
    article = article.evolve(doc=nlp(article.text))
    base = shipped_model()
    assert base is not None
    # A model that finds every candidate unlikely: the statement stays, its speaker goes.
    hopeless = ChooserModel(
        baseline=-10.0,
        trees=(),
        calibration_x=(),
        calibration_y=(),
        card={"override_kinds": ["name"]},
    )
    out = SpeakerChooser(hopeless)(article)
    quote = out.quotes[0]
    assert quote.actor_id is None and quote.speaker is not None
    assert quote.confidence is not None and quote.confidence < UNATTRIBUTED_BELOW
    assert any(line.startswith("unattributed") for line in quote.evidence)
    assert not out.actors  # the actor lost its only mention


def test_exported_trees_predict_what_scikit_learn_predicts() -> None:
    """The shipped model is evaluated without scikit-learn: its export must be exact."""
    sklearn = pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from onrecord.evaluate.train_chooser import export_trees

    assert sklearn is not None
    rows = [[float((i * 7 + j * 3) % 5) / 4.0 for j in range(len(FEATURES))] for i in range(400)]
    labels = [row[1] + row[5] > 0.9 for row in rows]
    fitted = HistGradientBoostingClassifier(max_iter=20, random_state=0, early_stopping=False)
    fitted.fit(rows, labels)
    baseline, trees = export_trees(fitted)
    model = ChooserModel(baseline, trees, (), (), {})
    expected = fitted.predict_proba(rows)[:, 1]
    assert [round(model.score(r), 9) for r in rows] == [round(float(p), 9) for p in expected]


def test_compiled_trees_give_the_walked_score() -> None:
    model = shipped_model()
    assert model is not None
    rows = [[((i * 13 + j * 7) % 11) / 10.0 for j in range(len(FEATURES))] for i in range(50)]
    assert [model.raw(r) for r in rows] == [model.raw_walk(r) for r in rows]


def test_a_model_file_cannot_smuggle_code_into_the_compiled_trees() -> None:
    data = json.loads(
        resources.files("onrecord.extract")
        .joinpath("models/speaker_chooser.json")
        .read_text(encoding="utf-8")
    )
    data["trees"][0][0][1] = "__import__('os').system('true')"
    with pytest.raises(ValueError):
        ChooserModel.from_json(data)
