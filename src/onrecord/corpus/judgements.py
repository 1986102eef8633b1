"""Judgements: a person's corrections (speaker, merge, split) -> the judgements table -> stored rows.

A judgement is kept with who made it and when, applied to the rows at once, and kept as a rule
(``Rules``) that every later write applies too, so an ingest of new articles and a re-analysis of
old ones give the corrected answer: the read side (``onrecord.queries``) only ever sees judged rows.

- speaker: subject ``{"article": key, "start", "end"}`` (the quote's place, which survives a
  re-analysis that renumbers quotes), value the actor id now speaking.
- merge: subject the absorbed actor id, value the kept actor id.
- split: subject the actor id, value the name (as the article gave it) whose articles leave it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from onrecord.corpus.identities import split_name
from onrecord.errors import OnrecordError
from onrecord.model import Actor, Article, Span
from onrecord.store.revise import move_actor_rows, refresh_actors
from onrecord.store.schema import JUDGED_CONFIDENCE
from onrecord.store.sqlite import ActorIdentity, Facts, connect, transaction


@dataclass(frozen=True, slots=True)
class Judgement:
    """One stored correction."""

    id: int
    kind: str
    subject: str
    value: str
    author: str
    made_at: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def default_author() -> str:
    """Who makes a judgement when nobody says: the login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def load(conn: sqlite3.Connection) -> list[Judgement]:
    """Every judgement, oldest first (the order they are applied in)."""
    rows = conn.execute("SELECT id, kind, subject, value, author, made_at, note FROM judgements ORDER BY id")
    return [Judgement(*row) for row in rows]


def split_target(actor_id: str, alias: str, type_: str) -> str:
    """The actor a split sends ``alias`` to: the one that name makes, never the actor split."""
    target = Actor.make_id(alias, type_)
    return target if target != actor_id else Actor.make_id(f"{alias} (split from {actor_id})", type_)


class Rules:
    """The judgements as rules for rows about to be written: actor ids remapped, speakers corrected."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.judgements = load(conn)
        self.version = self.judgements[-1].id if self.judgements else 0
        speaker_ids = [j.value for j in self.judgements if j.kind == "speaker"]
        marks = ",".join("?" for _ in speaker_ids) or "NULL"
        self._names = dict(
            conn.execute(f"SELECT id, name FROM actors WHERE id IN ({marks})", speaker_ids)  # noqa: S608
        )

    def actor(self, actor_id: str, name: str, type_: str) -> tuple[str, bool]:
        """The corpus actor an article's actor (resolved to ``actor_id``, named ``name``) ends up as,
        and whether a split sent it there (then it may have to be created)."""
        folded, split = name.casefold(), False
        for j in self.judgements:
            if j.kind == "merge" and actor_id == j.subject:
                actor_id, split = j.value, False
            elif j.kind == "split" and actor_id == j.subject and j.value.casefold() == folded:
                actor_id, split = split_target(j.subject, j.value, type_), True
        return actor_id, split

    def merged(self, actor_id: str) -> str:
        """An actor id after every merge made since."""
        for j in self.judgements:
            if j.kind == "merge" and actor_id == j.subject:
                actor_id = j.value
        return actor_id

    def facts(self, article: Article, key: str, facts: Facts, language: str | None = None) -> Facts:
        """The facts of one article (its names spelt as ``language`` spells them) with every judgement
        applied."""
        if not self.judgements:
            return facts
        mapping: dict[str, str] = {}
        extra: dict[str, ActorIdentity] = {}
        for local in article.actors:
            mapping[local.id], split = self.actor(facts.actor_ids[local.id], local.name, local.type)
            if split:
                given, surname = split_name(local.name, local.type, language)
                extra[mapping[local.id]] = ActorIdentity(
                    mapping[local.id], local.name, local.type, surname, given
                )
        used = set(mapping.values())
        identities = [i for i in facts.identities if i.id in used and i.id not in extra]
        return replace(
            facts,
            actor_ids=mapping,
            identities=[*identities, *extra.values()],
            speakers=self._speakers(article, key),
        )

    def _speakers(self, article: Article, key: str) -> tuple[tuple[str, str] | None, ...]:
        judged: list[tuple[str, str] | None] = [None] * len(article.quotes)
        for j in self.judgements:
            if j.kind != "speaker":
                continue
            place = json.loads(j.subject)
            if place.get("article") != key:
                continue
            index = closest_quote(article, Span(int(place["start"]), int(place["end"])))
            if index is not None:
                actor_id = self.merged(j.value)
                judged[index] = (actor_id, self._names.get(j.value, actor_id))
        return tuple(judged)


def closest_quote(article: Article, span: Span) -> int | None:
    """The quote at ``span``, else the one overlapping it most (a re-analysis may move its edges)."""
    best: tuple[int, int] | None = None
    for index, quote in enumerate(article.quotes):
        overlap = min(quote.span.end, span.end) - max(quote.span.start, span.start)
        if quote.span == span:
            return index
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, index)
    return None if best is None else best[1]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _record(
    conn: sqlite3.Connection, kind: str, subject: str, value: str, author: str, note: str | None
) -> Judgement:
    made_at = _now()
    cur = conn.execute(
        "INSERT INTO judgements (kind, subject, value, author, made_at, note) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, subject, value, author, made_at, note),
    )
    return Judgement(int(cur.lastrowid or 0), kind, subject, value, author, made_at, note)


def resolve_actor(conn: sqlite3.Connection, name_or_id: str) -> sqlite3.Row:
    """The one actor an id or a name means; an ambiguous or unknown name is an error that says why."""
    from onrecord.queries import find_actors

    row = conn.execute("SELECT id, name, type FROM actors WHERE id = ?", (name_or_id.strip(),)).fetchone()
    if row is not None:
        return row  # type: ignore[no-any-return]
    ids = find_actors(conn, name_or_id)
    if not ids:
        raise OnrecordError(f"no actor named {name_or_id!r} (try `onrecord actors --search`)")
    if len(ids) > 1:
        raise OnrecordError(f"{name_or_id!r} may mean {', '.join(ids)}: give one of these ids")
    return conn.execute("SELECT id, name, type FROM actors WHERE id = ?", (ids[0],)).fetchone()  # type: ignore[no-any-return]


def correct_speaker(
    db: str | Path, quote_id: int, speaker: str, *, author: str | None = None, note: str | None = None
) -> Judgement:
    """Say who really spoke a stored quote: ``speaker`` is an actor's id or name (a new person when
    the corpus knows no one by that name). Applied at once and after every re-analysis."""
    conn = connect(db)
    try:
        with transaction(conn):
            quote = conn.execute(
                'SELECT q.id, q.start, q."end", q.actor_id, q.statement_id, a.key FROM quotes q'
                " JOIN articles a ON a.id = q.article_id WHERE q.id = ?",
                (quote_id,),
            ).fetchone()
            if quote is None:
                raise OnrecordError(f"no quote {quote_id} (ids are in `onrecord quotes --format json`)")
            actor_id, name = _speaker(conn, speaker)
            # A statement told in pieces has one row per piece: who said one piece said them all.
            pieces = conn.execute(
                'SELECT p.id, p.start, p."end", p.actor_id FROM quotes q'
                " JOIN quotes p ON p.article_id = q.article_id AND p.content_start = q.content_start"
                " AND p.content_end = q.content_end WHERE q.id = ?"
                " ORDER BY p.id = q.id DESC, p.id",
                (quote_id,),
            ).fetchall()
            judgements = [
                _record(
                    conn,
                    "speaker",
                    json.dumps({"article": quote["key"], "start": piece["start"], "end": piece["end"]}),
                    actor_id,
                    author or default_author(),
                    note,
                )
                for piece in pieces
            ]
            conn.executemany(
                "UPDATE quotes SET actor_id = ?, speaker = ?, confidence = ? WHERE id = ?",
                [(actor_id, name, JUDGED_CONFIDENCE, piece["id"]) for piece in pieces],
            )
            before = {piece["actor_id"] for piece in pieces if piece["actor_id"]}
            refresh_actors(conn, {actor_id} | before)
        return judgements[0]  # the quote asked about's
    finally:
        conn.close()


def _speaker(conn: sqlite3.Connection, speaker: str) -> tuple[str, str]:
    """(actor id, name) for a speaker a person named; an unknown name becomes a new person."""
    try:
        row = resolve_actor(conn, speaker)
        return str(row["id"]), str(row["name"])
    except OnrecordError as exc:
        if "may mean" in str(exc):
            raise
    name = " ".join(speaker.split())
    given, surname = split_name(name)
    actor_id = Actor.make_id(name, "person")
    conn.execute(
        "INSERT OR IGNORE INTO actors (id, name, type, surname, given_names) VALUES (?, ?, 'person', ?, ?)",
        (actor_id, name, surname, given),
    )
    return actor_id, name


def merge_actors(
    db: str | Path, keep: str, absorb: str, *, author: str | None = None, note: str | None = None
) -> Judgement:
    """Make two actors one: ``absorb``'s statements, mentions and aliases go to ``keep`` (ids or names)."""
    conn = connect(db)
    try:
        with transaction(conn):
            kept, gone = resolve_actor(conn, keep), resolve_actor(conn, absorb)
            if kept["id"] == gone["id"]:
                raise OnrecordError(f"{keep!r} and {absorb!r} are already one actor ({kept['id']})")
            judgement = _record(conn, "merge", gone["id"], kept["id"], author or default_author(), note)
            move_actor_rows(conn, gone["id"], kept["id"])
            refresh_actors(conn, {kept["id"], gone["id"]})
        return judgement
    finally:
        conn.close()


def split_actor(
    db: str | Path, actor: str, alias: str, *, author: str | None = None, note: str | None = None
) -> Judgement:
    """Split off the articles that named ``actor`` as ``alias``: they go to the actor that name means
    (a new one unless the corpus already has it; see ``split_target``)."""
    conn = connect(db)
    try:
        with transaction(conn):
            row = resolve_actor(conn, actor)
            named = conn.execute(
                "SELECT article_id, name, language FROM article_actors JOIN articles a ON a.id = article_id"
                " WHERE actor_id = ? AND name = ? COLLATE NOCASE ORDER BY article_id",
                (row["id"], " ".join(alias.split())),
            ).fetchall()
            if not named:
                raise OnrecordError(
                    f"no article names {row['name']} ({row['id']}) {alias!r}: see `onrecord actor` aliases"
                )
            name = str(named[0]["name"])
            judgement = _record(conn, "split", row["id"], name, author or default_author(), note)
            target = split_target(row["id"], name, row["type"])
            given, surname = split_name(name, row["type"], named[0]["language"])
            conn.execute(
                "INSERT OR IGNORE INTO actors (id, name, type, surname, given_names) VALUES (?, ?, ?, ?, ?)",
                (target, name, row["type"], surname, given),
            )
            move_actor_rows(conn, row["id"], target, [int(r["article_id"]) for r in named])
            refresh_actors(conn, {row["id"], target})
        return judgement
    finally:
        conn.close()
