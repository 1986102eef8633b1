"""One speaker across languages: the multilingual gold -> a temporary store -> one actor per speaker?

The gold folder of ``evaluate/multilingual.py`` labels each statement's speaker in the article's own
spelling and script ("Vladimir Poutine", "Владимир Путин") and in Latin ("Vladimir Putin"). Here the
gold articles are ingested into a temporary store as ``onrecord ingest`` does it (language detected,
each language's analysis, corpus identities), then for every ``speaker_latin`` the corpus actors of
the articles' actors named as that speaker are collected.

Choices:

* An article's actor is a gold speaker when its name is the gold ``speaker`` or ``speaker_latin``
  (:func:`onrecord.evaluate.names.same_speaker`). Whether its statements were attributed to it is
  not asked: the corpus's identities are measured here, ``eval multilingual`` scores who said what.
* A speaker labelled in two or more languages is one actor when articles in at least two of those
  languages name it and all of them map to one corpus actor. A language whose articles do not name
  it (the analysis missed the name) counts against, and is shown.
* The figure is over persons; other speakers labelled in several languages (an organisation's name
  is translated, not spelt another way: "Commission européenne", "Европейская Комиссия") are listed
  and have a figure of their own.
* False joins: two speakers of different Latin names that end up as one actor are listed (persons
  only: the gold's unnamed groups, "officials", are not joined across articles anyway).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import EvaluationError
from onrecord.evaluate.multilingual import GoldArticle, read_gold_folder
from onrecord.evaluate.names import same_speaker

PERSON = "person"


@dataclass(frozen=True, slots=True)
class Label:
    """One gold speaker of one article: its names and type, and the article's language."""

    language: str
    speaker: str
    speaker_latin: str
    type: str


@dataclass(frozen=True, slots=True)
class SpeakerActors:
    """The corpus actors one gold speaker became, per language the gold labels it in."""

    speaker_latin: str
    type: str
    actors: dict[str, list[str]]  # language -> "actor id (name)" of the actors that named it
    one_actor: bool


@dataclass(frozen=True, slots=True)
class CrossLanguageIdentities:
    """Speakers labelled in two or more languages and the actors they became (see the module doc)."""

    speakers: tuple[SpeakerActors, ...]
    one_actor_persons: float | None
    one_actor_others: float | None
    false_joins: tuple[tuple[str, ...], ...]  # Latin names of different persons sharing an actor
    kept_apart: float | None  # share of the gold's persons (with an actor) that share it with no other

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready nested dicts."""
        return asdict(self)

    def metrics(self) -> dict[str, float]:
        """Flat figures for the quality gate (undefined as 0.0)."""
        return {
            "one_actor_persons": self.one_actor_persons or 0.0,
            "persons_kept_apart": self.kept_apart or 0.0,
        }


def gold_labels(folder: Path) -> list[list[Label]]:
    """Each gold article's labelled speakers (with their type), in ``read_gold_folder``'s order."""
    out = []
    for path in sorted(folder.rglob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        labels = {
            Label(str(gold["language"]), q["speaker"], q["speaker_latin"], q.get("type") or "unknown")
            for q in gold["quotes"]
            if q.get("speaker") and q.get("speaker_latin")
        }
        out.append(sorted(labels, key=lambda label: (label.speaker_latin, label.speaker)))
    return out


def build_store(articles: list[GoldArticle], db: Path, workers: int = 1) -> None:
    """Ingest the gold articles (one JSON line each, with the gold's date) into the store ``db``."""
    from onrecord.corpus.build import ingest

    source = db.with_suffix(".jsonl")
    with source.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(
                json.dumps({"text": article.text, "date": article.published}, ensure_ascii=False) + "\n"
            )
    ingest([str(source)], db, workers=workers)


def article_actors(conn: sqlite3.Connection, source: str, line: int) -> list[tuple[str, str, str]]:
    """(name in the article, corpus actor id, corpus actor name) of one ingested line's actors."""
    rows = conn.execute(
        "SELECT aa.name, aa.actor_id, ac.name FROM articles a JOIN article_actors aa ON aa.article_id = a.id"
        " JOIN actors ac ON ac.id = aa.actor_id WHERE a.source = ? AND a.record = ?",
        (source, f"line {line}"),
    )
    return [(str(name), str(actor_id), str(actor)) for name, actor_id, actor in rows]


def evaluate_identities(folder: Path, *, workers: int = 1) -> CrossLanguageIdentities:
    """Ingest the gold folder into a temporary store and check each cross-language speaker's actors.

    Args:
        folder: The multilingual gold folder (``<lang>/<name>.txt``, ``.gold.json``, ``.meta.json``).
        workers: Worker processes for the ingest (1: in this process).

    Raises:
        EvaluationError: The folder holds no gold, or a gold file is malformed.
    """
    articles = read_gold_folder(folder)
    try:
        labels = gold_labels(folder)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvaluationError(f"{folder}: cannot read the gold's speakers ({exc!r}); fix the gold") from exc
    with tempfile.TemporaryDirectory(prefix="onrecord-identities-") as tmp:
        db = Path(tmp) / "gold.db"
        build_store(articles, db, workers)
        conn = sqlite3.connect(db)
        try:
            found = list(_found(conn, str(db.with_suffix(".jsonl")), labels))
        finally:
            conn.close()
    return _score(found)


def _found(
    conn: sqlite3.Connection, source: str, labels: list[list[Label]]
) -> Iterator[tuple[Label, str | None]]:
    """Each gold label with the corpus actor ("id (name)") of each article actor named as it (None: none)."""
    for line, article_labels in enumerate(labels, 1):
        actors = article_actors(conn, source, line)
        for label in article_labels:
            named = {
                f"{actor_id} ({actor})"
                for name, actor_id, actor in actors
                if same_speaker(name, label.speaker) or same_speaker(name, label.speaker_latin)
            }
            yield from ((label, a) for a in sorted(named)) if named else [(label, None)]


def _score(found: list[tuple[Label, str | None]]) -> CrossLanguageIdentities:
    languages: dict[str, set[str]] = {}
    types: dict[str, str] = {}
    actors: dict[str, dict[str, set[str]]] = {}
    for label, actor in found:
        languages.setdefault(label.speaker_latin, set()).add(label.language)
        types.setdefault(label.speaker_latin, label.type)
        named = actors.setdefault(label.speaker_latin, {}).setdefault(label.language, set())
        if actor is not None:
            named.add(actor)
    speakers = []
    for latin in sorted(k for k, v in languages.items() if len(v) > 1):
        per = {lang: sorted(actors[latin].get(lang, set())) for lang in sorted(languages[latin])}
        ids = {a for names in per.values() for a in names}
        one = len(ids) == 1 and sum(1 for names in per.values() if names) == len(per)
        speakers.append(SpeakerActors(latin, types[latin], per, one))
    joins = _false_joins(found)
    apart = [not any(latin in names for names in joins) for latin in _persons_found(found)]
    return CrossLanguageIdentities(
        speakers=tuple(speakers),
        one_actor_persons=_share([s.one_actor for s in speakers if s.type == PERSON]),
        one_actor_others=_share([s.one_actor for s in speakers if s.type != PERSON]),
        false_joins=joins,
        kept_apart=_share(apart),
    )


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _persons_found(found: list[tuple[Label, str | None]]) -> list[str]:
    """The Latin names of the gold's persons that some article's actor was named as."""
    return sorted(
        {label.speaker_latin for label, actor in found if actor is not None and label.type == PERSON}
    )


def _false_joins(found: list[tuple[Label, str | None]]) -> tuple[tuple[str, ...], ...]:
    """Latin names of different persons that share one corpus actor."""
    people: dict[str, set[str]] = {}
    for label, actor in found:
        if actor is not None and label.type == PERSON:
            people.setdefault(actor, set()).add(label.speaker_latin)
    return tuple(sorted(tuple(sorted(names)) for names in people.values() if len(names) > 1))


def format_identities(result: CrossLanguageIdentities) -> str:
    """The report: the figure, then each cross-language speaker's actors per language."""
    persons = [s for s in result.speakers if s.type == PERSON]
    others = [s for s in result.speakers if s.type != PERSON]
    lines = [
        "a speaker labelled in two or more languages -> one corpus actor (gold articles ingested into"
        " a temporary store; an article's actor named as the speaker):",
        f"  persons: {sum(s.one_actor for s in persons)}/{len(persons)} ({_fmt(result.one_actor_persons)});"
        f" others: {sum(s.one_actor for s in others)}/{len(others)} ({_fmt(result.one_actor_others)})",
    ]
    for s in result.speakers:
        per = "; ".join(f"{lang} {', '.join(a) if a else 'not named'}" for lang, a in s.actors.items())
        lines.append(f"  {s.speaker_latin} ({s.type}): {per}{'' if s.one_actor else '  (not one actor)'}")
    joins = "; ".join(" = ".join(names) for names in result.false_joins) or "none"
    lines.append(
        f"different persons sharing one actor: {joins} (persons kept apart: {_fmt(result.kept_apart)})"
    )
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
