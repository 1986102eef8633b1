"""Train the speaker chooser on PolNeAR (gold in, model file and held-out scores out).

``python -m onrecord.evaluate.train_chooser [--polnear DIR] [--out FILE]`` (``scripts/train-chooser``).

Examples: every statement the pipeline finds, with its candidate speakers
(``extract/speaker_chooser.py``), matched to a gold attribution relation (content covered >= 0.5):

* PolNeAR **dev** (84 articles): labels from the hand-resolved canonical speakers
  (``polnear-dev-speakers.jsonl``): a candidate is right when its name is the gold speaker.
* PolNeAR **train**, minus the 118 slice articles: every attribution relation with a cue, quoted or
  not. The gold gives a Source *mention*, not a person, so only relations whose source is a name
  label their candidates (the candidate the article names there is right); pronoun and description
  sources would need a coreference the gold does not give, and are left out.

The 118 slice articles (``polnear-train-speakers.jsonl``) are never read here. Scores are
leave-one-publisher-out: fitted on six publishers, scored on the seventh's dev articles, rotated;
the isotonic calibration is fitted on those out-of-fold scores. Deterministic: sorted inputs, a
fixed solver without randomness; the card records the data hash and library versions.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import pickle
import sys
from dataclasses import dataclass, replace
from datetime import date
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from onrecord.evaluate.brat import Document, iter_documents, publisher, read_speakers, speaker_articles
from onrecord.evaluate.names import same_speaker
from onrecord.evaluate.quotes import mention_kind, predicted_quotes
from onrecord.evaluate.spans import coverage, greedy_match, overlaps
from onrecord.extract.speaker_chooser import ChooserModel, candidates, features, prepare
from onrecord.model import Article

# Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier). 200 rounds were chosen
# over 50 and 100 on held-out publishers only (pseudo-pronouns right: 679, 684, 693 of 841).
GBM: dict[str, Any] = {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 15, "min_samples_leaf": 20}


@dataclass
class Example:
    """One statement: its candidates' feature rows and which of them are right."""

    article: str
    publisher: str
    split: str
    kind: str  # the gold source mention's kind
    rows: list[list[float]]
    labels: list[bool]
    names: list[str]
    rule: int  # index of the rules' choice among the candidates, -1 if none


def analysed(doc: Document) -> Article:
    """The article as the pipeline leaves it after the rule resolver, parse kept."""
    from onrecord.ingest.document import from_text
    from onrecord.pipeline import default_components, to_article

    article = to_article(from_text(doc.text), doc.published)
    for component in default_components():
        if type(component).__name__ == "SpeakerChooser":
            break  # the chooser sees the article as the rules leave it
        article = component(article)
    return article


def _examples_of(job: tuple[str, Document, dict[tuple[str, str], Any] | None]) -> list[Example]:
    split, doc, speakers = job
    article = analysed(doc)
    contract = article.to_dict()
    preds = predicted_quotes(contract)
    ctx = prepare(article)
    relations = [r for r in doc.relations if r.cue]
    if speakers is not None:  # dev: the quoted relations with a canonical speaker
        relations = [r for r in relations if (doc.name, r.rel) in speakers]
    # predicted quote index (by content span) -> article quote index
    by_span: dict[tuple[int, int], int] = {}
    for qi, q in enumerate(article.quotes):
        by_span.setdefault((q.statement.start, q.statement.end), qi)
    scores = (
        (coverage(p.span, r.content), pi, ri) for pi, p in enumerate(preds) for ri, r in enumerate(relations)
    )
    matched = greedy_match(scores, 0.5)
    out: list[Example] = []
    pronouns: list[Example] = []
    for ri, pi in sorted(matched.items()):
        rel = relations[ri]
        found = by_span.get(preds[pi].span)
        if found is None:
            continue
        qi = found
        cands = candidates(ctx, qi)
        if not cands:
            continue
        if speakers is not None:
            entry = speakers[(doc.name, rel.rel)]
            kind = mention_kind(entry)
            labels = [same_speaker(c.name, entry.canonical) for c in cands]
        else:
            source_text = doc.slice(rel.source) if rel.source else ""
            kind = _source_kind(source_text)
            if kind != "name" or not rel.source:
                continue
            labels = [
                not c.is_self and any(overlaps((s.start, s.end), rel.source) for s in c.names) for c in cands
            ]
            if sum(labels) > 1:
                continue  # two candidates named there: the label is ambiguous
            # None right is kept: the speaker the gold names may be no candidate at all (the
            # mention was missed), and the model must learn how unlikely its best guess then is.
        rows = [features(ctx, qi, c, cands) for c in cands]
        rule = next((k for k, c in enumerate(cands) if c.is_rule), -1)
        names = [c.name for c in cands]
        out.append(Example(doc.name, publisher(doc.name), split, kind, rows, labels, names, rule))
        if speakers is None and any(labels) and len(pronouns) < PSEUDO_PER_ARTICLE:
            person = cands[labels.index(True)]
            pseudo = _pseudo_pronoun(doc, article, rel, person)
            if pseudo is not None:
                pronouns.append(pseudo)
    return out + pronouns


# Statements per train article whose named speaker is replaced by a pronoun (one parse each).
PSEUDO_PER_ARTICLE = 2
_PRONOUN = {"male": "he", "female": "she"}


def _pseudo_pronoun(doc: Document, article: Article, rel: Any, person: Any) -> Example | None:
    """The statement again, its speaker's name replaced by "he" or "she": a pronoun whose
    antecedent the gold gives (the person the article named there), for learning and calibrating
    pronoun resolution on articles no rule was written from.

    Only for a person of known gender the article named in an earlier sentence (so that a writer
    could have used the pronoun) and a plain name source (not a possessive).
    """
    actor = article.actor(person.actor_id)
    start, end = rel.source[0][0], rel.source[-1][1]
    source = doc.text[start:end]
    if actor is None or actor.gender not in _PRONOUN or source.endswith(("'s", "’s")) or "\n" in source:
        return None
    sentences = [s.start_char for s in article.doc.sents]
    here = bisect.bisect_right(sentences, start)
    if not any(bisect.bisect_right(sentences, s.start) < here for s in person.names):
        return None
    word = _PRONOUN[actor.gender]
    before = doc.text[:start].rstrip(" ")
    if not before or before.endswith(("\n", ".", "“", '"')):
        word = word.capitalize()
    shift = len(word) - (end - start)
    text = doc.text[:start] + word + doc.text[end:]

    def moved(ranges: Any) -> Any:
        return tuple((a + shift if a >= end else a, b + shift if b >= end else b) for a, b in ranges)

    changed = replace(
        rel, content=moved(rel.content), source=((start, start + len(word)),), cue=moved(rel.cue)
    )
    new = replace(doc, text=text, relations=(changed,))
    again = analysed(new)
    ctx = prepare(again)
    preds = predicted_quotes(again.to_dict())
    best = max(range(len(preds)), key=lambda k: coverage(preds[k].span, changed.content), default=None)
    if best is None or coverage(preds[best].span, changed.content) < 0.5:
        return None
    qi = next(
        (i for i, q in enumerate(again.quotes) if (q.statement.start, q.statement.end) == preds[best].span),
        None,
    )
    if qi is None:
        return None
    mention = again.quotes[qi].speaker
    if (
        mention is None
        or mention.kind != "pronoun"
        or not overlaps((mention.span.start, mention.span.end), changed.source)
    ):
        return None
    cands = candidates(ctx, qi)
    if not cands:
        return None
    labels = [not c.is_self and same_speaker(c.name, actor.name) for c in cands]
    if sum(labels) > 1:
        return None
    rows = [features(ctx, qi, c, cands) for c in cands]
    rule = next((k for k, c in enumerate(cands) if c.is_rule), -1)
    return Example(
        doc.name, publisher(doc.name), "pseudo", "pronoun", rows, labels, [c.name for c in cands], rule
    )


def _source_kind(text: str) -> str:
    words = [w for w in text.split() if w.strip(".,;:’'")]
    if not words:
        return "none"
    if len(words) == 1 and words[0].casefold().strip(".,;:") in {
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "you",
        "who",
        "his",
        "her",
        "their",
        "its",
    }:
        return "pronoun"
    first = words[1:] if words[0] in ("The", "A", "An") else words
    return "name" if first and all(w[:1].isupper() for w in first) else "description"


def collect(polnear: Path, workers: int = 2, cache: Path | None = None) -> list[Example]:
    """Every example of dev and the train split outside the slice, in a fixed order."""
    if cache is not None and cache.is_file():
        loaded: list[Example] = pickle.loads(cache.read_bytes())  # noqa: S301 - our own cache file
        return [e for e in loaded if e.rows]
    held_out = speaker_articles(polnear / "polnear-train-speakers.jsonl")
    dev_speakers = read_speakers(polnear / "polnear-dev-speakers.jsonl")
    jobs: list[tuple[str, Document, dict[tuple[str, str], Any] | None]] = []
    jobs += [("dev", d, dev_speakers) for d in iter_documents(polnear, "dev")]
    jobs += [("train", d, None) for d in iter_documents(polnear, "train") if d.name not in held_out]
    with Pool(workers) as pool:
        results = pool.map(_examples_of, jobs, chunksize=4)
    examples = [e for batch in results for e in batch]
    if cache is not None:
        cache.write_bytes(pickle.dumps(examples))
    return examples


def _fit(examples: list[Example]) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = [row for e in examples for row in e.rows]
    y = [label for e in examples for label in e.labels]
    model = HistGradientBoostingClassifier(**GBM, random_state=0, early_stopping=False)
    model.fit(x, y)
    return model


def export_trees(
    model: Any,
) -> tuple[float, tuple[tuple[tuple[int, float, int, int, bool, float], ...], ...]]:
    """The baseline and the trees of a fitted binary HistGradientBoostingClassifier, as plain data
    :class:`~onrecord.extract.speaker_chooser.ChooserModel` evaluates (no scikit-learn at run time)."""
    import numpy as np

    trees = []
    for predictors in model._predictors:  # one iteration: one tree for a binary problem
        nodes = predictors[0].nodes
        trees.append(
            tuple(
                (
                    int(n["feature_idx"]),
                    float(n["num_threshold"]),
                    int(n["left"]),
                    int(n["right"]),
                    bool(n["is_leaf"]),
                    float(n["value"]),
                )
                for n in nodes
            )
        )
    return float(np.ravel(model._baseline_prediction)[0]), tuple(trees)


@dataclass(frozen=True, slots=True)
class HeldOut:
    """One example scored by a model that never saw its publisher."""

    publisher: str
    split: str
    kind: str
    rule_score: float
    rule_ok: bool
    best_score: float
    best_ok: bool


def held_out(examples: list[Example]) -> tuple[dict[str, dict[str, int]], list[HeldOut]]:
    """Leave-one-publisher-out: per publisher, fitted on the others and scored on its examples.

    Returns:
        Per gold mention kind (pseudo-pronouns apart), how many examples the chooser and the rules
        get right and how many one gets right and the other wrong; and every held-out example.
    """
    kinds: dict[str, dict[str, int]] = {}
    scored: list[HeldOut] = []
    for pub in sorted({e.publisher for e in examples}):
        model = _fit([e for e in examples if e.publisher != pub])
        for e in (e for e in examples if e.publisher == pub):
            probs = model.predict_proba(e.rows)[:, 1]
            best = max(range(len(probs)), key=lambda k: (probs[k], k == e.rule))
            rule_ok = bool(e.rule >= 0 and e.labels[e.rule])
            chooser_ok = bool(e.labels[best])
            key = e.kind if e.split != "pseudo" else "pseudo-pronoun"  # reported apart
            tally = kinds.setdefault(
                key, dict.fromkeys(("examples", "chooser", "rules", "gains", "losses"), 0)
            )
            tally["examples"] += 1
            tally["chooser"] += chooser_ok
            tally["rules"] += rule_ok
            tally["gains"] += chooser_ok and not rule_ok
            tally["losses"] += rule_ok and not chooser_ok
            rule_score = float(probs[e.rule]) if e.rule >= 0 else 0.0
            scored.append(HeldOut(pub, e.split, e.kind, rule_score, rule_ok, float(probs[best]), chooser_ok))
    return kinds, scored


def publisher_table(scored: list[HeldOut], override: list[str]) -> dict[str, dict[str, Any]]:
    """Per publisher, the share of its dev statements right by the rules and by the shipped policy
    (the chooser for the kinds it overrides, the rules for the rest)."""
    table: dict[str, dict[str, Any]] = {}
    for pub in sorted({h.publisher for h in scored}):
        dev = [h for h in scored if h.publisher == pub and h.split == "dev"]
        policy = sum(h.best_ok if h.kind in override else h.rule_ok for h in dev)
        table[pub] = {
            "dev_statements": len(dev),
            "rules": sum(h.rule_ok for h in dev) / len(dev) if dev else None,
            "policy": policy / len(dev) if dev else None,
        }
    return table


KINDS = ("name", "pronoun", "description", "none")
# The chooser replaces the rules' choice for a kind of mention only when, on held-out publishers,
# it wins significantly: McNemar's test on the statements one gets right and the other wrong
# (gains - losses > 1.96 * sqrt(gains + losses), two-sided 5%). A lead of one statement is noise.
Z = 1.96


def wins(tally: dict[str, int]) -> bool:
    """Whether the chooser beat the rules on held-out examples by more than chance (McNemar)."""
    gains, losses = tally["gains"], tally["losses"]
    return gains + losses > 0 and gains - losses > Z * (gains + losses) ** 0.5


def _isotonic(pairs: list[tuple[float, bool]]) -> tuple[list[float], list[float]]:
    from sklearn.isotonic import IsotonicRegression

    xs = [p for p, _ in pairs]
    ys = [float(ok) for _, ok in pairs]
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(xs, ys)
    return [float(x) for x in iso.X_thresholds_], [float(y) for y in iso.y_thresholds_]


def _data_hash(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(json.dumps([e.article, e.rows, e.labels], separators=(",", ":")).encode())
    return digest.hexdigest()


def train(polnear: Path, *, workers: int = 2, cache: Path | None = None) -> ChooserModel:
    """Collect the examples, score leave-one-publisher-out, fit on all, calibrate; return the model."""
    import sklearn

    examples = collect(polnear, workers, cache)
    kinds, scored = held_out(examples)
    # Pronouns are decided on the real ones and the pseudo-pronouns together (both held out).
    decide = {k: v for k, v in kinds.items() if k in KINDS}
    if "pseudo-pronoun" in kinds:
        real = decide.get("pronoun", dict.fromkeys(kinds["pseudo-pronoun"], 0))
        decide["pronoun"] = {n: real[n] + kinds["pseudo-pronoun"][n] for n in real}
    override = sorted(k for k, v in decide.items() if wins(v))
    # Calibrated on what users see: the chooser's score where it chooses, else the rules' choice's.
    pairs = [(h.best_score, h.best_ok) if h.kind in override else (h.rule_score, h.rule_ok) for h in scored]
    xs, ys = _isotonic(pairs)
    final = _fit(examples)
    table = publisher_table(scored, override)
    policy = [v["policy"] for v in table.values() if v["policy"] is not None]
    rules = [v["rules"] for v in table.values() if v["rules"] is not None]
    card = {
        "trained": date.today().isoformat(),
        "data": "PolNeAR dev (canonical speakers); train minus the 118 slice articles (name sources, "
        "and pseudo-pronouns: a named speaker replaced by he/she)",
        "data_sha256": _data_hash(examples),
        "examples": len(examples),
        "candidates": sum(len(e.rows) for e in examples),
        "by_split": {s: sum(e.split == s for e in examples) for s in ("dev", "train", "pseudo")},
        "model": f"sklearn HistGradientBoostingClassifier({GBM}), isotonic calibration on out-of-fold scores",
        "sklearn": sklearn.__version__,
        "held_out_publishers": table,
        "held_out_kinds": kinds,
        "held_out_mean": {"policy": sum(policy) / len(policy), "rules": sum(rules) / len(rules)},
        "held_out_worst": {"policy": min(policy), "rules": min(rules)},
        "override_kinds": override,
    }
    baseline, trees = export_trees(final)
    return ChooserModel(
        baseline=baseline,
        trees=trees,
        calibration_x=tuple(xs),
        calibration_y=tuple(ys),
        card=card,
    )


def main(argv: list[str] | None = None) -> int:
    from onrecord.cli.evaluate import data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=None)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parents[1] / "extract" / "models" / "speaker_chooser.json"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None, help="Reuse the collected examples (a pickle).")
    args = parser.parse_args(argv)
    polnear = args.polnear or data_dir() / "polnear"
    model = train(polnear, workers=args.workers, cache=args.cache)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(model.card, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
