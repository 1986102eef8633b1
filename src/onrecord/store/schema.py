"""The store schema, defined once: tables, indexes, full-text search and the named migrations.

Data flows from here into every store backend: ``store/sqlite.py`` applies ``MIGRATIONS`` in order
and records each one it applied in the ``migrations`` table. Table and column names are meant to be
read by a person in Datasette or DuckDB: plural nouns for tables, ``<thing>_id`` for references,
dates as ``YYYY-MM-DD`` text, character offsets as ``start``/``end`` into ``articles.text``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from onrecord.store.statements import statement_keys

# Every analysed row carries the pipeline version that produced it, so a later ``onrecord
# reanalyze`` can find and upgrade old rows.
INITIAL_TABLES = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    new INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    near_duplicates INTEGER NOT NULL DEFAULT 0,
    not_analysed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    domain TEXT
);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    headline TEXT,
    first_published TEXT,
    articles INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    url TEXT,
    content_hash TEXT NOT NULL,
    source TEXT,
    record TEXT,
    outlet_id INTEGER REFERENCES outlets(id),
    story_id INTEGER REFERENCES stories(id),
    headline TEXT,
    published TEXT,
    published_source TEXT,
    language TEXT,
    analysed INTEGER NOT NULL,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    analysis TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    minhash BLOB
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_outlet ON articles(outlet_id);
CREATE TABLE inputs (
    input_hash TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id)
);
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    surname TEXT NOT NULL,
    given_names TEXT NOT NULL DEFAULT '',
    mentions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actors_surname ON actors(type, surname);
CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
CREATE TABLE actor_aliases (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (actor_id, alias)
);
CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);
CREATE TABLE actor_roles (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    role TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    articles INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (actor_id, role)
);
CREATE TABLE article_actors (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    local_id TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    name TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX article_actors_actor ON article_actors(actor_id);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    actor_id TEXT REFERENCES actors(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id, start);
CREATE INDEX mentions_actor ON mentions(actor_id);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    first_said_on TEXT,
    reports INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    statement_id INTEGER REFERENCES statements(id),
    actor_id TEXT REFERENCES actors(id),
    speaker TEXT,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    statement TEXT NOT NULL,
    cue TEXT,
    cue_lemma TEXT,
    attitude TEXT,
    said_on TEXT,
    said_on_source TEXT,
    pipeline_version TEXT NOT NULL
);
CREATE INDEX quotes_actor ON quotes(actor_id, said_on, id);
CREATE INDEX quotes_said_on ON quotes(said_on, id);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_statement ON quotes(statement_id);
CREATE TABLE time_expressions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    type TEXT NOT NULL
);
CREATE INDEX time_expressions_article ON time_expressions(article_id);
CREATE TABLE judgements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('speaker', 'merge', 'split')),
    subject TEXT NOT NULL,
    value TEXT NOT NULL,
    author TEXT NOT NULL,
    made_at TEXT NOT NULL,
    note TEXT
);
CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    source TEXT NOT NULL,
    record TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('skipped', 'failed')),
    reason TEXT NOT NULL,
    UNIQUE (source, record, reason)
);
"""

# External-content FTS5 tables kept in step by triggers (the sqlite-utils ``enable_fts`` pattern),
# so a search never reads a stale index and no caller has to remember to update it.
FULL_TEXT = """
CREATE VIRTUAL TABLE quotes_fts USING fts5(statement, speaker, content='quotes', content_rowid='id');
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, statement, speaker) VALUES (new.id, new.statement, new.speaker);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker)
    VALUES ('delete', old.id, old.statement, old.speaker);
END;
CREATE VIRTUAL TABLE articles_fts USING fts5(headline, text, content='articles', content_rowid='id');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, headline, text) VALUES (new.id, new.headline, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, text)
    VALUES ('delete', old.id, old.headline, old.text);
END;
"""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a script statement by statement, inside the caller's transaction.

    ``executescript`` would commit first, so a migration and its record could part ways on a crash.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        # Triggers hold ';' inside BEGIN ... END: only a complete statement is run.
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer.strip())
            buffer = ""


def m001_initial(conn: sqlite3.Connection) -> None:
    """Create every table, index, full-text index and trigger of the first schema."""
    run_script(conn, INITIAL_TABLES)
    run_script(conn, FULL_TEXT)


# A statement's date (said on, else the article's publication) is kept on the quote itself, so a
# speaker's or a search's statements come out of one index already in date order: on the 1M-quote
# bench store (bench/bench_queries.py) ordering by coalesce() across the join could not use an index.
# The update triggers let a judgement rewrite a quote's speaker without leaving the FTS index stale.
JUDGEMENTS_AND_DATES = """
CREATE TRIGGER quotes_au AFTER UPDATE OF statement, speaker ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker)
    VALUES ('delete', old.id, old.statement, old.speaker);
    INSERT INTO quotes_fts(rowid, statement, speaker) VALUES (new.id, new.statement, new.speaker);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF headline, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, text)
    VALUES ('delete', old.id, old.headline, old.text);
    INSERT INTO articles_fts(rowid, headline, text) VALUES (new.id, new.headline, new.text);
END;
ALTER TABLE quotes ADD COLUMN date TEXT;
UPDATE quotes SET date = coalesce(said_on, (SELECT published FROM articles a WHERE a.id = quotes.article_id));
DROP INDEX quotes_actor;
DROP INDEX quotes_said_on;
CREATE INDEX quotes_actor_date ON quotes(actor_id, date, id);
CREATE INDEX quotes_date ON quotes(date, id);
CREATE INDEX articles_version ON articles(pipeline_version);
CREATE INDEX judgements_kind ON judgements(kind, id);
"""


def m002_judgements_and_dates(conn: sqlite3.Connection) -> None:
    """Add each quote's date with its indexes, and the FTS update triggers judgements need."""
    run_script(conn, JUDGEMENTS_AND_DATES)


def m003_statement_keys(conn: sqlite3.Connection) -> None:
    """Keys on both ends of each statement, so lightly edited copies across outlets find each other."""
    conn.execute("ALTER TABLE statements ADD COLUMN head_key TEXT")
    conn.execute("ALTER TABLE statements ADD COLUMN tail_key TEXT")
    rows = conn.execute("SELECT id, fingerprint FROM statements").fetchall()
    for statement_id, fingerprint in rows:
        head, tail = statement_keys(str(fingerprint))
        conn.execute(
            "UPDATE statements SET head_key = ?, tail_key = ? WHERE id = ?", (head, tail, statement_id)
        )
    conn.execute("CREATE INDEX statements_head ON statements(head_key)")
    conn.execute("CREATE INDEX statements_tail ON statements(tail_key)")


# Totals kept at write time, so an overview, a speaker's count or the facets of an unfiltered
# search read a few rows instead of counting a million (1M-quote bench store: the overview's
# corpus-wide counts took 3.6 s under load). Triggers keep them in the writer's own transaction,
# whatever the write path (ingest, re-analysis, judgements, a bulk load), so they cannot drift.
# ``value`` is '' for the whole (or for a missing actor, month or attitude); ids are stored as text.
TALLIES = """
CREATE TABLE tallies (
    subject TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (subject, value)
) WITHOUT ROWID;
"""

# subject -> (table, the counted value as SQL over that table's row ``{row}``): the tallies as
# m004_tallies made them (frozen: that migration must do on an old store what it did when released).
TALLIED_M004: dict[str, tuple[str, str]] = {
    "quotes": ("quotes", "''"),
    "quotes.actor": ("quotes", "coalesce({row}.actor_id, '')"),
    "quotes.outlet": (
        "quotes",
        "coalesce((SELECT outlet_id FROM articles WHERE id = {row}.article_id), '')",
    ),
    "quotes.month": ("quotes", "coalesce(substr({row}.date, 1, 7), '')"),
    "quotes.attitude": ("quotes", "coalesce({row}.attitude, '')"),
    # An actor's profile: statements per month and per outlet ("actor id|month", "actor id|outlet id").
    "quotes.actor.month": ("quotes", "{row}.actor_id || '|' || coalesce(substr({row}.date, 1, 7), '')"),
    "quotes.actor.outlet": (
        "quotes",
        "{row}.actor_id || '|' || coalesce((SELECT outlet_id FROM articles WHERE id = {row}.article_id), '')",
    ),
    "articles": ("articles", "''"),
    "articles.analysed": ("articles", "CASE WHEN {row}.analysed = 1 THEN '' END"),
    "articles.language": ("articles", "coalesce({row}.language, '?')"),
    "articles.outlet": ("articles", "coalesce({row}.outlet_id, '')"),
    "statements": ("statements", "''"),
    "stories": ("stories", "''"),
}
# What a row update can change, per table (quotes move between actors with judgements).
TALLY_UPDATES_M004 = {
    "quotes": "actor_id, date, attitude, article_id",
    "articles": "analysed, language, outlet_id",
}

# The speaker confidence from which an attribution is confident: counted in "most quoted" and an
# actor's statement total, shown without a caveat. A quote no model scored (NULL: older data, or
# older analyses) counts as confident, as it always did. One threshold for the whole read side
# (``queries.CONFIDENT`` is this constant); it is baked into the triggers of ``m006_confidence``, so
# changing it takes a new migration that re-creates them and recounts ``quotes.actor.confident``.
CONFIDENT = 0.5
# The confidence stored for a speaker a person decided (``onrecord correct``, kept through re-analysis):
# the judgement is taken as right, so a --min-confidence filter never hides a corrected quote.
JUDGED_CONFIDENCE = 1.0
CONFIDENT_SQL = "({row}.confidence IS NULL OR {row}.confidence >= " + repr(CONFIDENT) + ")"
# The tallies of m006_confidence: an actor's confident statements (a quote below CONFIDENT, or with
# no actor, is not counted: NULL; nor is an interviewer's question, so an outlet is never "most
# quoted" for what it asked).
TALLIED_M006: dict[str, tuple[str, str]] = {
    "quotes.actor.confident": (
        "quotes",
        f"CASE WHEN {CONFIDENT_SQL} AND {{row}}.kind != 'question' THEN {{row}}.actor_id END",
    ),
}
TALLY_UPDATES_M006 = {**TALLY_UPDATES_M004, "quotes": "actor_id, date, attitude, article_id, confidence"}
# m009_statement_pieces: a statement told in pieces ("“A,” he said, “B.”") is stored as one quote row
# per piece, all with the statement's span; only its first piece (``piece`` 0) is counted.
TALLIED_M009: dict[str, tuple[str, str]] = {
    subject: (table, f"CASE WHEN {{row}}.piece = 0 THEN {value} END" if table == "quotes" else value)
    for subject, (table, value) in {**TALLIED_M004, **TALLIED_M006}.items()
}
TALLY_UPDATES_M009 = {**TALLY_UPDATES_M006, "quotes": TALLY_UPDATES_M006["quotes"] + ", piece"}
# Every tally kept today, and the columns whose update changes one.
TALLIED: dict[str, tuple[str, str]] = TALLIED_M009
TALLY_UPDATES = TALLY_UPDATES_M009


def _bump(subject: str, value: str, sign: str) -> str:
    # A NULL value (an article not analysed) is not counted: the INSERT's WHERE drops it.
    return (
        f"INSERT INTO tallies (subject, value, count) SELECT '{subject}', v, {sign}1"  # noqa: S608  (fixed names)
        f" FROM (SELECT {value} AS v) WHERE v IS NOT NULL"
        f" ON CONFLICT (subject, value) DO UPDATE SET count = count {sign} 1;\n"
    )


def tally_triggers(
    tallied: dict[str, tuple[str, str]] | None = None, updates: dict[str, str] | None = None
) -> str:
    """The triggers that keep ``tallies`` in step with every insert, delete and update.

    Args:
        tallied: the subjects to keep (default: every one, ``TALLIED``).
        updates: the columns whose update changes a count, per table (default: ``TALLY_UPDATES``).
    """
    # The outlet move of the version asked for: today's counts each statement once (m009).
    outlet_move = OUTLET_MOVE_M009 if tallied is None else OUTLET_MOVE
    tallied = TALLIED if tallied is None else tallied
    updates = TALLY_UPDATES if updates is None else updates
    script = "".join(
        table_tally_triggers(table, tallied, updates)
        for table in ("quotes", "articles", "statements", "stories")
    )
    return script + outlet_move


def table_tally_triggers(table: str, tallied: dict[str, tuple[str, str]], updates: dict[str, str]) -> str:
    """The insert, delete and update triggers of one table's tallies."""
    subjects = [(s, v) for s, (t, v) in tallied.items() if t == table]
    adds = "".join(_bump(s, v.format(row="new"), "+") for s, v in subjects)
    drops = "".join(_bump(s, v.format(row="old"), "-") for s, v in subjects)
    script = f"CREATE TRIGGER tally_{table}_ai AFTER INSERT ON {table} BEGIN\n{adds}END;\n"
    script += f"CREATE TRIGGER tally_{table}_ad AFTER DELETE ON {table} BEGIN\n{drops}END;\n"
    if table in updates:
        script += (
            f"CREATE TRIGGER tally_{table}_au AFTER UPDATE OF {updates[table]} ON {table}"
            f" BEGIN\n{drops}{adds}END;\n"
        )
    return script


# An article moving to another outlet takes its quotes' outlet counts with it.
OUTLET_MOVE = """CREATE TRIGGER tally_articles_outlet AFTER UPDATE OF outlet_id ON articles
WHEN old.outlet_id IS NOT new.outlet_id BEGIN
UPDATE tallies SET count = count - (SELECT count(*) FROM quotes WHERE article_id = new.id)
 WHERE subject = 'quotes.outlet' AND value = coalesce(old.outlet_id, '');
INSERT INTO tallies (subject, value, count)
 SELECT 'quotes.outlet', coalesce(new.outlet_id, ''), (SELECT count(*) FROM quotes WHERE article_id = new.id)
 WHERE true ON CONFLICT (subject, value) DO UPDATE SET count = count + excluded.count;
UPDATE tallies SET count = count - (SELECT count(*) FROM quotes q WHERE q.article_id = new.id
  AND q.actor_id || '|' || coalesce(old.outlet_id, '') = tallies.value)
 WHERE subject = 'quotes.actor.outlet'
  AND value IN (SELECT actor_id || '|' || coalesce(old.outlet_id, '') FROM quotes WHERE article_id = new.id);
INSERT INTO tallies (subject, value, count)
 SELECT 'quotes.actor.outlet', actor_id || '|' || coalesce(new.outlet_id, ''), count(*) FROM quotes
 WHERE article_id = new.id AND actor_id IS NOT NULL GROUP BY actor_id
 ON CONFLICT (subject, value) DO UPDATE SET count = count + excluded.count;
END;
"""


# The same, counting each statement once (its first piece): ``m009_statement_pieces``.
OUTLET_MOVE_M009 = (
    OUTLET_MOVE.replace(
        "FROM quotes WHERE article_id = new.id", "FROM quotes WHERE article_id = new.id AND piece = 0"
    )
    .replace(
        "FROM quotes q WHERE q.article_id = new.id",
        "FROM quotes q WHERE q.article_id = new.id AND q.piece = 0",
    )
    .replace(
        "WHERE article_id = new.id AND actor_id IS NOT NULL",
        "WHERE article_id = new.id AND piece = 0 AND actor_id IS NOT NULL",
    )
)


TALLY_TRIGGER_NAMES = (
    *(
        f"tally_{table}_{when}"
        for table in ("quotes", "articles", "statements", "stories")
        for when in ("ai", "ad", *(("au",) if table in TALLY_UPDATES else ()))
    ),
    "tally_articles_outlet",
)


def recount(conn: sqlite3.Connection, tallied: dict[str, tuple[str, str]] | None = None) -> None:
    """Compute the tallies afresh from the rows (a migration, a bulk load, a check that they agree).

    Args:
        tallied: the subjects to count (default: every one, ``TALLIED``, and nothing else is kept).
    """
    if tallied is None:
        tallied = TALLIED
        conn.execute("DELETE FROM tallies")
    else:
        conn.executemany("DELETE FROM tallies WHERE subject = ?", [(s,) for s in tallied])
    for subject, (table, value) in tallied.items():
        conn.execute(
            f"INSERT INTO tallies (subject, value, count) SELECT '{subject}', v, count(*)"  # noqa: S608  (fixed names)
            f" FROM (SELECT {value.format(row=table)} AS v FROM {table}) WHERE v IS NOT NULL GROUP BY v"
        )


def m004_tallies(conn: sqlite3.Connection) -> None:
    """Totals kept at write time (quotes by actor, outlet, month, attitude; articles; statements)."""
    run_script(conn, TALLIES)
    recount(conn, TALLIED_M004)
    run_script(conn, tally_triggers(TALLIED_M004, TALLY_UPDATES_M004))
    # The facets of a search count its hits by actor, outlet, month and attitude: these indexes,
    # led by the row id, give those columns for a hit without reading the quote or article row
    # (large: statement, text). 1M-quote bench, a word in 60% of the quotes: see queries.FACETS.
    conn.execute("CREATE INDEX quotes_facets ON quotes(id, actor_id, date, attitude, article_id)")
    conn.execute("CREATE INDEX articles_outlets ON articles(id, outlet_id)")


# The statement search indexes each quote's speaker too, as the actor id made one token ("x" and the
# id's UTF-8 bytes in hex: "p-3c4f38c9ec8a" would split at the '-'), so "what did X say about Y"
# intersects inside FTS5 instead of joining a speaker's quotes with every hit of a common word
# (1M-quote bench store, speaker + one word: p95 1.7 s before, 23 ms after, both under load). The
# index reads its rows through a view that adds that token; the triggers write the same values, and
# follow a quote to another actor (a judgement, a merge, a split), whether or not its name changes.
SPEAKER_SEARCH = """
DROP TRIGGER quotes_ai;
DROP TRIGGER quotes_ad;
DROP TRIGGER quotes_au;
DROP TABLE quotes_fts;
CREATE VIEW quotes_search AS
 SELECT id, statement, speaker, 'x' || nullif(hex(actor_id), '') AS actor FROM quotes;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    statement, speaker, actor, content='quotes_search', content_rowid='id'
);
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, statement, speaker, actor)
    VALUES (new.id, new.statement, new.speaker, 'x' || nullif(hex(new.actor_id), ''));
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker, actor)
    VALUES ('delete', old.id, old.statement, old.speaker, 'x' || nullif(hex(old.actor_id), ''));
END;
CREATE TRIGGER quotes_au AFTER UPDATE OF statement, speaker, actor_id ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker, actor)
    VALUES ('delete', old.id, old.statement, old.speaker, 'x' || nullif(hex(old.actor_id), ''));
    INSERT INTO quotes_fts(rowid, statement, speaker, actor)
    VALUES (new.id, new.statement, new.speaker, 'x' || nullif(hex(new.actor_id), ''));
END;
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
"""


def optimize_search(conn: sqlite3.Connection) -> None:
    """Merge the statement search index into one segment (after a rebuild or a large ingest).

    A look-up reads each segment's b-tree: on the 1M-quote bench store, 9 segments left by a
    rebuild made a word's count 1.7x and a check of one quote 4-15x slower than one segment
    (seconds to merge).
    """
    conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('optimize')")


def m005_speaker_search(conn: sqlite3.Connection) -> None:
    """Index each quote's speaker (actor id) in the statement search, rebuilt from the stored quotes."""
    run_script(conn, SPEAKER_SEARCH)
    optimize_search(conn)


def m006_confidence(conn: sqlite3.Connection) -> None:
    """Each quote's speaker confidence (NULL for the quotes stored before), and the tally of each
    actor's confident statements (questions aside), kept by the quotes' tally triggers (re-created
    to include it)."""
    conn.execute("ALTER TABLE quotes ADD COLUMN confidence REAL")
    for when in ("ai", "ad", "au"):
        conn.execute(f"DROP TRIGGER tally_quotes_{when}")
    tallied = {**TALLIED_M004, **TALLIED_M006}
    run_script(conn, table_tally_triggers("quotes", tallied, TALLY_UPDATES_M006))
    recount(conn, TALLIED_M006)


# An actor's aliases by language: "Дмитрий Песков" (ru), "Dmitri Peskow" (de) and "Dmitry Peskov"
# (en) are one person's names (``corpus/spelling.py``), each kept with the language of the articles
# that wrote it ('' where an article's language is unknown). They are counted afresh from the rows
# the ingest wrote them from: each article's names for the actor (its canonical name, and its name
# mentions without a possessive 's).
ALIAS_LANGUAGES = """
CREATE TABLE actor_aliases_by_language (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    articles INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (actor_id, alias, language)
);
INSERT INTO actor_aliases_by_language (actor_id, alias, language, articles)
 SELECT n.actor_id, n.alias, coalesce(a.language, ''), count(DISTINCT n.article_id) FROM (
  SELECT article_id, actor_id, name AS alias FROM article_actors
  UNION SELECT article_id, actor_id, CASE WHEN substr(text, -2) IN ('''s', '’s')
   THEN substr(text, 1, length(text) - 2) ELSE text END FROM mentions
  WHERE kind = 'name' AND actor_id IS NOT NULL) n
 JOIN articles a ON a.id = n.article_id GROUP BY n.actor_id, n.alias, coalesce(a.language, '');
DROP TABLE actor_aliases;
ALTER TABLE actor_aliases_by_language RENAME TO actor_aliases;
CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);
"""

# The language of a person's canonical name: that of the first article that named them so.
_NAME_LANGUAGE = """SELECT ac.id, ac.name, (SELECT a.language FROM article_actors aa
 JOIN articles a ON a.id = aa.article_id WHERE aa.actor_id = ac.id AND aa.name = ac.name
 ORDER BY aa.article_id LIMIT 1) FROM actors ac WHERE ac.type = 'person'"""


def m007_names_across_languages(conn: sqlite3.Connection) -> None:
    """Keep each alias with its language, and give every person the spelling keys of their name
    (``corpus/spelling.py``), so that later articles in any language find them by surname.

    The keys are those of the spelling rules this migration was released with; a change of the
    rules that changes keys re-keys the stored persons in a migration of its own.
    """
    run_script(conn, ALIAS_LANGUAGES)
    rows = conn.execute(_NAME_LANGUAGE).fetchall()
    if not rows:
        return
    from onrecord.corpus.identities import split_name  # the corpus rules; imported only when needed

    for actor_id, name, language in rows:
        given, surname = split_name(str(name), "person", language)
        conn.execute(
            "UPDATE actors SET surname = ?, given_names = ? WHERE id = ?", (surname, given, actor_id)
        )


# Accounts for a shared desk (corpus/users.py, web/accounts.py). A session row keeps a SHA-256 of
# the cookie's random token, never the token: a copy of the store signs nobody in. Session and
# failure times are Unix seconds, compared on every request; a removed user's sessions go with them.
USERS = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'reader')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
    name TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_name ON login_failures(name, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
"""


def m008_users(conn: sqlite3.Connection) -> None:
    """Editors and readers with hashed passwords, their sessions, and failed sign-ins (rate limit)."""
    run_script(conn, USERS)


# The statement search indexes each statement once: its first piece. The view the index reads
# leaves the later pieces out, and the triggers index or drop a row only when it is a first piece.
PIECED_SEARCH = """
DROP TRIGGER quotes_ai;
DROP TRIGGER quotes_ad;
DROP TRIGGER quotes_au;
DROP VIEW quotes_search;
CREATE VIEW quotes_search AS
 SELECT id, statement, speaker, 'x' || nullif(hex(actor_id), '') AS actor FROM quotes WHERE piece = 0;
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes WHEN new.piece = 0 BEGIN
    INSERT INTO quotes_fts(rowid, statement, speaker, actor)
    VALUES (new.id, new.statement, new.speaker, 'x' || nullif(hex(new.actor_id), ''));
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes WHEN old.piece = 0 BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker, actor)
    VALUES ('delete', old.id, old.statement, old.speaker, 'x' || nullif(hex(old.actor_id), ''));
END;
CREATE TRIGGER quotes_au AFTER UPDATE OF statement, speaker, actor_id, piece ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, statement, speaker, actor)
    SELECT 'delete', old.id, old.statement, old.speaker, 'x' || nullif(hex(old.actor_id), '')
    WHERE old.piece = 0;
    INSERT INTO quotes_fts(rowid, statement, speaker, actor)
    SELECT new.id, new.statement, new.speaker, 'x' || nullif(hex(new.actor_id), '') WHERE new.piece = 0;
END;
"""
LATER_PIECES = """SELECT q.id, q.article_id, q.content_start, q.content_end FROM quotes q
 JOIN (SELECT article_id, content_start, content_end, min(id) AS first
 FROM quotes GROUP BY article_id, content_start, content_end HAVING count(*) > 1) s
 ON q.article_id = s.article_id AND q.content_start = s.content_start AND q.content_end = s.content_end
 AND q.id > s.first ORDER BY q.article_id, q.content_start, q.content_end, q.id"""


def mark_pieces(conn: sqlite3.Connection) -> int:
    """Number the later pieces of each statement told in pieces (1, 2, ... in text order; the first
    stays 0), for rows written without it (an older store, a bulk load). Returns how many."""
    rows = conn.execute(LATER_PIECES).fetchall()
    numbered: list[tuple[int, int]] = []
    group, number = None, 0
    for quote_id, article_id, start, end in rows:
        number = number + 1 if (article_id, start, end) == group else 1
        group = (article_id, start, end)
        numbered.append((number, quote_id))
    conn.executemany("UPDATE quotes SET piece = ? WHERE id = ?", numbered)
    return len(numbered)


def m009_statement_pieces(conn: sqlite3.Connection) -> None:
    """List and count a statement told in pieces once: its later pieces numbered (``piece`` > 0), left
    out of the statement search and of every tally (search, facets, most quoted, actor totals)."""
    conn.execute("ALTER TABLE quotes ADD COLUMN piece INTEGER NOT NULL DEFAULT 0")
    for when in ("ai", "ad", "au"):
        conn.execute(f"DROP TRIGGER tally_quotes_{when}")
    conn.execute("DROP TRIGGER tally_articles_outlet")
    run_script(conn, table_tally_triggers("quotes", TALLIED_M009, TALLY_UPDATES_M009) + OUTLET_MOVE_M009)
    run_script(conn, PIECED_SEARCH)
    # Numbering a piece goes through the triggers above: it leaves the search and the counts.
    mark_pieces(conn)


def m010_desk_indexes(conn: sqlite3.Connection) -> None:
    """Indexes for the desk's outlet pages, article list and narrowed searches (1M-quote bench
    store, under load: an outlet page 0.7 s, the article list 1 s, a phrase narrowed by dates and
    kind 1.2 s, each reading thousands of large rows), so they read index entries only: an outlet's
    articles with their dates and languages, each article's statements (first pieces) with their
    dates, and a search hit's kind beside its other facets."""
    conn.execute("CREATE INDEX articles_outlet_published ON articles(outlet_id, published, language)")
    conn.execute("CREATE INDEX quotes_article_date ON quotes(article_id, piece, date)")
    # A search narrowed by kind too is counted and listed in this index, never the large rows.
    conn.execute("DROP INDEX quotes_facets")
    conn.execute("CREATE INDEX quotes_facets ON quotes(id, actor_id, date, attitude, article_id, kind)")
    # The date-ordered walks (every quote's, one actor's) and an actor's chart by day read whether a
    # quote is a statement's first piece in the index too (1M-quote bench store: an actor of 21,677
    # statements, its chart 25 ms reading each row, 4 ms in the index).
    conn.execute("DROP INDEX quotes_actor_date")
    conn.execute("CREATE INDEX quotes_actor_date ON quotes(actor_id, date, id, piece)")
    conn.execute("DROP INDEX quotes_date")
    conn.execute("CREATE INDEX quotes_date ON quotes(date, id, piece)")


# `onrecord watch`: the sources it polls with their health, every article URL they named with what
# became of it, a count per source and day, and the earlier versions of a page that changed.
WATCH = """
CREATE TABLE watch_sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    kind TEXT,
    added TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled TEXT,
    last_success TEXT,
    errors_in_row INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_poll TEXT,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE watch_urls (
    url TEXT PRIMARY KEY,
    source_id INTEGER REFERENCES watch_sources(id),
    first_seen TEXT NOT NULL,
    listed_published TEXT,
    listed_modified TEXT,
    status TEXT NOT NULL,
    fetched_at TEXT,
    fetched_modified TEXT,
    final_url TEXT,
    article_id INTEGER REFERENCES articles(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX watch_urls_status ON watch_urls(status, source_id);
CREATE TABLE watch_days (
    source_id INTEGER NOT NULL REFERENCES watch_sources(id),
    day TEXT NOT NULL,
    polls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    fetched INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,
    updated_articles INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, day)
);
CREATE TABLE article_versions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    replaced TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT,
    record TEXT,
    headline TEXT,
    published TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    analysis TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);
"""


def m011_watch(conn: sqlite3.Connection) -> None:
    """What `onrecord watch` keeps: its sources and their health, the article URLs they named and what
    became of each, a count per source and day, and a changed page's earlier versions (text and
    analysis as they were, so every span once reported can still be checked against its text)."""
    run_script(conn, WATCH)


Migration = Callable[[sqlite3.Connection], None]

# Append only: a migration, once released, is never edited; a change of schema is a new function.
MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("m001_initial", m001_initial),
    ("m002_judgements_and_dates", m002_judgements_and_dates),
    ("m003_statement_keys", m003_statement_keys),
    ("m004_tallies", m004_tallies),
    ("m005_speaker_search", m005_speaker_search),
    ("m006_confidence", m006_confidence),
    ("m007_names_across_languages", m007_names_across_languages),
    ("m008_users", m008_users),
    ("m009_statement_pieces", m009_statement_pieces),
    ("m010_desk_indexes", m010_desk_indexes),
    ("m011_watch", m011_watch),
)

TABLES = (
    "runs",
    "outlets",
    "stories",
    "articles",
    "inputs",
    "actors",
    "actor_aliases",
    "actor_roles",
    "article_actors",
    "mentions",
    "statements",
    "quotes",
    "time_expressions",
    "judgements",
    "failures",
    "tallies",
    "watch_sources",
    "watch_urls",
    "watch_days",
    "article_versions",
)
