"""The SQLite store: analysed Articles and their corpus facts -> rows, one transaction per article.

One file, WAL mode (readers never block the writer), a busy timeout for a second process, every
statement parameterized. The read side lives in ``onrecord.queries``; this module writes, plus the
few look-ups the writer needs (is this input or key known, which actors share this surname).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import OnrecordError
from onrecord.model import Article
from onrecord.store.revise import clear_analysis, refresh_actors, refresh_statements, touched
from onrecord.store.rows import aliases, analysis_json, headline, quote_columns, timex_rows
from onrecord.store.schema import JUDGED_CONFIDENCE, MIGRATIONS, optimize_search
from onrecord.store.statements import near_copy_of, statement_keys

BUSY_TIMEOUT_MS = 30_000
READER_MMAP_BYTES = 1 << 31  # SQLite caps it at its compiled maximum


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an article came from and what the ingest learned about it before analysis."""

    key: str
    content_hash: str
    input_hash: str
    source: str
    record: str = ""
    url: str | None = None
    outlet: str | None = None
    domain: str | None = None
    language: str | None = None
    analysed: bool = True
    pipeline_version: str = ""


@dataclass(frozen=True, slots=True)
class ActorIdentity:
    """One corpus-wide actor, as the identity resolver decided it (written with upsert)."""

    id: str
    name: str
    type: str
    surname: str
    given_names: str = ""
    mentions: int = 0


@dataclass(slots=True)
class Facts:
    """Corpus facts computed for one article before it is written (see ``onrecord.corpus``)."""

    actor_ids: dict[str, str] = field(default_factory=dict)
    identities: list[ActorIdentity] = field(default_factory=list)
    story_id: int | None = None
    minhash: bytes | None = None
    fingerprints: tuple[str | None, ...] = ()
    # Per quote, a speaker a person decided (actor id, name), overriding the pipeline's.
    speakers: tuple[tuple[str, str] | None, ...] = ()


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (and for writing, create and migrate) an onrecord database."""
    try:
        return _connect(path, readonly=readonly)
    except (sqlite3.Error, OSError) as exc:  # OSError: a folder on the way that may not be entered
        raise OnrecordError(store_error(path, exc)) from None


def store_error(path: str | Path, exc: sqlite3.Error | OSError) -> str:
    """One line for a database that cannot be opened or written (read-only, disk full, not SQLite)."""
    return (
        f"{path}: cannot use the database ({exc}); check that the file and its folder are writable"
        " and the disk has room (what was stored before is kept)"
    )


def _connect(path: str | Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        if not Path(path).exists():
            raise OnrecordError(f"{path}: no such database (create it with `onrecord ingest`)")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        # Readers map the file: a page read is a memory access shared by every connection, not a
        # read() into a per-connection cache (the web app opens one connection per request).
        conn.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES:d}")
        conn.execute("SELECT count(*) FROM sqlite_master")  # fails here, not mid-query, when unreadable
    else:
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS:d}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.row_factory = sqlite3.Row
    if not readonly:
        migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not applied yet, each in its own transaction; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied: list[str] = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with transaction(conn):
            # A second writer may have migrated while we waited for the lock.
            if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                continue
            migration(conn)
            conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
        applied.append(name)
    return applied


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations a database has not had yet."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone():
        return [name for name, _ in MIGRATIONS]
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    return [name for name, _ in MIGRATIONS if name not in done]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """The writer: one connection, one transaction per article."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = connect(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- look-ups the writer needs -------------------------------------------------------------

    def input_status(self, input_hash: str) -> str | None:
        row = self.conn.execute("SELECT status FROM inputs WHERE input_hash = ?", (input_hash,)).fetchone()
        return None if row is None else str(row[0])

    def input_article(self, input_hash: str) -> int | None:
        """The article an input already stored became (None: none, or it was skipped or failed)."""
        row = self.conn.execute(
            "SELECT article_id FROM inputs WHERE input_hash = ?", (input_hash,)
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def content_hash(self, article_id: int) -> str | None:
        row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def article_id(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE key = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def actors_by_surname(self, type_: str, surname: str) -> list[ActorIdentity]:
        rows = self.conn.execute(
            "SELECT id, name, type, surname, given_names, mentions FROM actors"
            " WHERE type = ? AND surname = ? ORDER BY mentions DESC, id",
            (type_, surname),
        )
        return [ActorIdentity(*row) for row in rows]

    def signatures(self) -> Iterator[tuple[int, int, bytes]]:
        """(article id, story id, MinHash bytes) of every stored article, oldest first."""
        rows = self.conn.execute(
            "SELECT id, story_id, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY id"
        )
        for row in rows:
            yield int(row[0]), int(row[1]), bytes(row[2])

    # -- runs and failures ---------------------------------------------------------------------

    def start_run(self, command: str, pipeline_version: str) -> int:
        with transaction(self.conn):
            cur = self.conn.execute(
                "INSERT INTO runs (started_at, command, pipeline_version) VALUES (?, ?, ?)",
                (_now(), command, pipeline_version),
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, new = ?, unchanged = ?, near_duplicates = ?,"
                " not_analysed = ?, skipped = ?, failed = ? WHERE id = ?",
                (
                    _now(),
                    counts.get("new", 0),
                    counts.get("unchanged", 0),
                    counts.get("near_duplicates", 0),
                    counts.get("not_analysed", 0),
                    counts.get("skipped", 0),
                    counts.get("failed", 0),
                    run_id,
                ),
            )
        if counts.get("new", 0):
            with transaction(self.conn):  # each written article left a small index segment behind
                optimize_search(self.conn)

    def add_failure(
        self, run_id: int, source: str, record: str, kind: str, reason: str, input_hash: str | None
    ) -> None:
        """Keep a skipped or failed input; a skipped one is remembered so a rerun does not redo it."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO failures (run_id, source, record, kind, reason) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, record, reason) DO UPDATE SET run_id = excluded.run_id",
                (run_id, source, record, kind, reason),
            )
            if kind == "skipped" and input_hash:
                self.conn.execute(
                    "INSERT OR IGNORE INTO inputs (input_hash, status) VALUES (?, 'skipped')", (input_hash,)
                )

    def remember_input(self, input_hash: str, article_id: int) -> None:
        """An input whose article is already stored (same key): remember it, change nothing else."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT OR IGNORE INTO inputs (input_hash, status, article_id) VALUES (?, 'stored', ?)",
                (input_hash, article_id),
            )

    # -- the article ---------------------------------------------------------------------------

    def add_article(self, article: Article, prov: Provenance, facts: Facts, run_id: int) -> int:
        """Write one article, its rows and its corpus facts in one transaction; return its id."""
        with transaction(self.conn):
            outlet_id = self._outlet(prov.outlet, prov.domain)
            story_id = self._story(facts.story_id, article)
            article_id = self._article_row(article, prov, facts, outlet_id, story_id, run_id)
            self._analysis_rows(article, article_id, facts, prov)
            self.conn.execute(
                "INSERT OR REPLACE INTO inputs (input_hash, status, article_id) VALUES (?, 'stored', ?)",
                (prov.input_hash, article_id),
            )
        return article_id

    def replace_article(self, article_id: int, article: Article, prov: Provenance, facts: Facts) -> None:
        """Replace a stored article's analysis (a re-analysis) in one transaction; its text, key,
        outlet and story stay. Totals of the actors and statements it touched are recomputed."""
        with transaction(self.conn):
            self._rewrite(article_id, article, prov, facts)

    def add_version(self, article_id: int, article: Article, prov: Provenance, facts: Facts) -> int:
        """A page that changed since it was stored (``onrecord watch``): its stored text and analysis
        kept as an earlier version (``article_versions``), then replaced by the new text and its
        analysis, in one transaction. The article keeps its id, key, outlet and story, so links to it
        hold and only its current statements are listed and counted. Returns the new version's number."""
        with transaction(self.conn):
            before = self.conn.execute(
                "SELECT ?, coalesce((SELECT max(version) FROM article_versions WHERE article_id = ?), 0) + 1,"
                " ?, content_hash, source, record, headline, published, format, text, analysis,"
                " pipeline_version FROM articles WHERE id = ?",
                (article_id, article_id, _now(), article_id),
            ).fetchone()
            self.conn.execute(
                "INSERT INTO article_versions (article_id, version, replaced, content_hash, source, record,"
                " headline, published, format, text, analysis, pipeline_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tuple(before),
            )
            self.conn.execute(
                "UPDATE articles SET content_hash = ?, source = ?, record = ?, format = ?, text = ?,"
                " minhash = coalesce(?, minhash) WHERE id = ?",
                (prov.content_hash, prov.source, prov.record, article.format, article.text, facts.minhash,
                 article_id),
            )  # fmt: skip
            self._rewrite(article_id, article, prov, facts)
            self.conn.execute(
                "INSERT OR REPLACE INTO inputs (input_hash, status, article_id) VALUES (?, 'stored', ?)",
                (prov.input_hash, article_id),
            )
        return int(before[1]) + 1

    def _rewrite(self, article_id: int, article: Article, prov: Provenance, facts: Facts) -> None:
        """An article's analysis rows replaced, inside the caller's transaction."""
        old_actors, old_statements = clear_analysis(self.conn, article_id)
        self.conn.execute(
            "UPDATE articles SET headline = ?, published = ?, published_source = ?, language = ?,"
            " analysed = ?, analysis = ?, pipeline_version = ? WHERE id = ?",
            (
                headline(article),
                article.published,
                article.published_source,
                prov.language,
                int(prov.analysed),
                analysis_json(article),
                prov.pipeline_version,
                article_id,
            ),
        )
        self._analysis_rows(article, article_id, facts, prov)
        new_actors, new_statements = touched(self.conn, article_id)
        refresh_actors(self.conn, old_actors | new_actors)
        refresh_statements(self.conn, old_statements | new_statements)

    def _analysis_rows(self, article: Article, article_id: int, facts: Facts, prov: Provenance) -> None:
        self._actors(article, article_id, facts, prov.language or "")
        self._quotes(article, article_id, facts, prov.pipeline_version)
        self.conn.executemany(
            'INSERT INTO time_expressions (article_id, start, "end", text, value, type)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, *row.values()) for row in timex_rows(article)],
        )

    def _outlet(self, name: str | None, domain: str | None) -> int | None:
        if not name:
            return None
        self.conn.execute(
            "INSERT INTO outlets (name, domain) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (name, domain)
        )
        row = self.conn.execute("SELECT id FROM outlets WHERE name = ?", (name,)).fetchone()
        return int(row[0])

    def _story(self, story_id: int | None, article: Article) -> int:
        title = headline(article)
        if story_id is None:
            cur = self.conn.execute(
                "INSERT INTO stories (headline, first_published, articles) VALUES (?, ?, 1)",
                (title, article.published),
            )
            return int(cur.lastrowid or 0)
        self.conn.execute(
            "UPDATE stories SET articles = articles + 1, first_published = CASE"
            " WHEN first_published IS NULL OR (? IS NOT NULL AND ? < first_published) THEN ?"
            " ELSE first_published END WHERE id = ?",
            (article.published, article.published, article.published, story_id),
        )
        return story_id

    def _article_row(
        self,
        article: Article,
        prov: Provenance,
        facts: Facts,
        outlet_id: int | None,
        story_id: int,
        run_id: int,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO articles (key, url, content_hash, source, record, outlet_id, story_id, headline,"
            " published, published_source, language, analysed, format, text, analysis, pipeline_version,"
            " run_id, minhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                prov.key,
                prov.url,
                prov.content_hash,
                prov.source,
                prov.record,
                outlet_id,
                story_id,
                headline(article),
                article.published,
                article.published_source,
                prov.language,
                int(prov.analysed),
                article.format,
                article.text,
                analysis_json(article),
                prov.pipeline_version,
                run_id,
                facts.minhash,
            ),
        )
        return int(cur.lastrowid or 0)

    def _actors(self, article: Article, article_id: int, facts: Facts, language: str) -> None:
        for identity in facts.identities:
            self.conn.execute(
                "INSERT INTO actors (id, name, type, surname, given_names, mentions)"
                " VALUES (?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, given_names = excluded.given_names",
                (identity.id, identity.name, identity.type, identity.surname, identity.given_names),
            )
        for actor in article.actors:
            global_id = facts.actor_ids[actor.id]
            self.conn.execute(
                "INSERT OR IGNORE INTO article_actors (article_id, local_id, actor_id, name)"
                " VALUES (?, ?, ?, ?)",
                (article_id, actor.id, global_id, actor.name),
            )
            self.conn.execute(
                "UPDATE actors SET mentions = mentions + ? WHERE id = ?", (len(actor.mentions), global_id)
            )
            self.conn.executemany(
                "INSERT INTO actor_aliases (actor_id, alias, language) VALUES (?, ?, ?)"
                " ON CONFLICT (actor_id, alias, language) DO UPDATE SET articles = articles + 1",
                [(global_id, alias, language) for alias in aliases(article, actor)],
            )
            self.conn.executemany(
                "INSERT INTO actor_roles (actor_id, role, first_seen, last_seen) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (actor_id, role) DO UPDATE SET articles = articles + 1,"
                " first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen,"
                " first_seen)), last_seen = max(coalesce(last_seen, excluded.last_seen),"
                " coalesce(excluded.last_seen, last_seen))",
                [(global_id, role, article.published, article.published) for role in actor.roles],
            )
            self.conn.executemany(
                'INSERT INTO mentions (article_id, actor_id, start, "end", text, kind)'
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (article_id, global_id, m.span.start, m.span.end, article.slice(m.span), m.kind)
                    for m in actor.mentions
                ],
            )

    def _quotes(self, article: Article, article_id: int, facts: Facts, version: str) -> None:
        told: dict[tuple[int, int], int] = {}  # a statement's span -> its pieces stored so far
        for index, quote in enumerate(article.quotes):
            fingerprint = facts.fingerprints[index] if index < len(facts.fingerprints) else None
            row = quote_columns(article, quote)
            # A statement told in pieces is one row per piece; only the first (0) is listed and
            # counted (``schema.m009_statement_pieces``).
            span = (quote.statement.start, quote.statement.end)
            row["piece"] = told.get(span, 0)
            told[span] = row["piece"] + 1
            statement_id = self._statement(fingerprint, row["statement"], row["date"])
            actor_id = facts.actor_ids.get(quote.actor_id) if quote.actor_id else None
            judged = facts.speakers[index] if index < len(facts.speakers) else None
            if judged is not None:
                # A person said who spoke: that attribution is not the model's guess (confidence 1).
                actor_id, row["speaker"] = judged
                row["confidence"] = JUDGED_CONFIDENCE
            columns = ", ".join(f'"{name}"' for name in row)
            self.conn.execute(
                f"INSERT INTO quotes (article_id, statement_id, actor_id, pipeline_version, {columns})"  # noqa: S608
                f" VALUES ({', '.join('?' * (len(row) + 4))})",
                (article_id, statement_id, actor_id, version, *row.values()),
            )

    def _statement(self, fingerprint: str | None, text: str, said_on: str | None) -> int | None:
        if not fingerprint:
            return None
        fingerprint = near_copy_of(self.conn, fingerprint) or fingerprint
        head, tail = statement_keys(fingerprint)
        self.conn.execute(
            "INSERT INTO statements (fingerprint, text, first_said_on, reports, head_key, tail_key)"
            " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (fingerprint) DO NOTHING",
            (fingerprint, text, said_on, head, tail),
        )
        self.conn.execute(
            "UPDATE statements SET reports = reports + 1, first_said_on = CASE"
            " WHEN first_said_on IS NULL OR (? IS NOT NULL AND ? < first_said_on) THEN ?"
            " ELSE first_said_on END WHERE fingerprint = ?",
            (said_on, said_on, said_on, fingerprint),
        )
        row = self.conn.execute("SELECT id FROM statements WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return int(row[0])
