"""Bench: `onrecord quotes --search` and `--speaker` latency on a synthetic store (not a test; run by hand).

    .venv/bin/python bench/bench_queries.py [--quotes 1000000] [--db PATH] [--runs 200]

Builds (or reuses, when --db exists) a store of synthetic quotes through the real schema and
migrations: words and speakers drawn from Zipf-like distributions, so some searches and speakers
match a large share of the corpus and most match few. The quotes go in with one bulk insert and the
full-text index and the totals (``tallies``) are rebuilt once at the end (per-row triggers would
take minutes; the statement index is then merged into one segment, as migration m005 leaves it),
then the library
function behind the command, ``onrecord.queries.quotes``, is timed (first page and exact total).
Prints p50/p95/max per filter; the target is p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

QUOTES_PER_ARTICLE = 10
# A cue's attitude class, the common ones first; None: a statement without a cue.
ATTITUDES = ("neutral", None, "warning", "criticism", "denial", "promise", "doubt")
SEED = 5
VOCABULARY = 20_000
SPEAKERS = 20_000
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "de",
    "an",
    "or",
    "el",
    "is",
    "um",
    "per",
    "tra",
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _zipf(rng: random.Random, size: int, scale: float) -> int:
    """An index in [0, size), small ones far more often (a word's or a speaker's popularity)."""
    return min(int((rng.paretovariate(1.1) - 1) * scale), size - 1)


def _people(rng: random.Random) -> list[tuple[str, str, str]]:
    """(id, given name, surname) of every synthetic speaker."""
    given = [_word(rng).title() for _ in range(300)]
    surnames = [_word(rng).title() for _ in range(SPEAKERS // 2)]
    return [(f"p-{i:012x}", rng.choice(given), rng.choice(surnames)) for i in range(SPEAKERS)]


def _quote_rows(rng: random.Random, words: list[str], count: int) -> Iterator[tuple[object, ...]]:
    """Quote rows, an article's quotes one after another with their offsets in its text (the
    quotes joined by spaces, written after them), so the article reader shows real spans."""
    start = 0
    for i in range(count):
        article = i // QUOTES_PER_ARTICLE + 1
        start = 0 if i % QUOTES_PER_ARTICLE == 0 else start
        statement = " ".join(words[_zipf(rng, len(words), 20)] for _ in range(rng.randint(8, 30)))
        speaker = _zipf(rng, SPEAKERS, 50)
        day = f"20{19 + article % 3:02d}-{1 + article % 12:02d}-{1 + article % 28:02d}"
        attitude = ATTITUDES[min(int(rng.expovariate(0.8)), len(ATTITUDES) - 1)]
        end = start + len(statement) + 2
        yield (
            i + 1, article, f"p-{speaker:012x}", f"speaker {speaker}", "direct", start, end,
            f'"{statement}"', start, end, statement, "say", attitude, day, day, "bench",
        )  # fmt: skip
        start = end + 1


def build(db: Path, quotes: int) -> None:
    """A store of ``quotes`` synthetic quotes at ``db``, through the real schema."""
    from onrecord.store.schema import (
        TALLY_TRIGGER_NAMES,
        optimize_search,
        recount,
        run_script,
        tally_triggers,
    )
    from onrecord.store.sqlite import connect, transaction

    rng = random.Random(SEED)  # noqa: S311  (synthetic data, not secrets)
    words = [_word(rng) for _ in range(VOCABULARY)]
    conn = connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    articles = (quotes + QUOTES_PER_ARTICLE - 1) // QUOTES_PER_ARTICLE
    with transaction(conn):
        # The insert triggers of the full-text indexes: dropped, the indexes are rebuilt once below.
        inserts = [row[0] for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE name IN ('quotes_ai', 'articles_ai')")]  # fmt: skip
        conn.execute("DROP TRIGGER quotes_ai")
        conn.execute("DROP TRIGGER articles_ai")
        # The article texts are written after their quotes; the index must not see that update.
        (text_update,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_au'").fetchone()
        conn.execute("DROP TRIGGER articles_au")
        for name in TALLY_TRIGGER_NAMES:  # the totals are counted once below too
            conn.execute(f"DROP TRIGGER {name}")
        conn.executemany(
            "INSERT INTO outlets (id, name) VALUES (?, ?)", [(i, f"Outlet {i}") for i in range(20)]
        )
        conn.execute("INSERT INTO stories (id, headline, articles) VALUES (1, 'bench', ?)", (articles,))
        conn.executemany(
            "INSERT INTO articles (id, key, content_hash, outlet_id, story_id, headline, published,"
            " analysed, format, text, analysis, pipeline_version)"
            " VALUES (?, ?, '', ?, 1, ?, ?, 1, 'text', '', '{}', 'b')",
            (
                (a, f"bench:{a}", a % 20, f"headline {a}", f"20{19 + a % 3:02d}-01-01")
                for a in range(1, articles + 1)
            ),
        )
        people = _people(rng)
        conn.executemany(
            "INSERT INTO actors (id, name, type, surname, given_names) VALUES (?, ?, 'person', ?, ?)",
            (
                (pid, f"{given} {surname}", surname.casefold(), given.casefold())
                for pid, given, surname in people
            ),
        )
        conn.executemany(
            "INSERT INTO actor_aliases (actor_id, alias) VALUES (?, ?)",
            ((pid, f"{given} {surname}") for pid, given, surname in people),
        )
        conn.executemany(
            'INSERT INTO quotes (id, article_id, actor_id, speaker, kind, start, "end", text, content_start,'
            " content_end, statement, cue_lemma, attitude, said_on, date, pipeline_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _quote_rows(rng, words, quotes),
        )
        conn.execute(
            "UPDATE articles SET text = coalesce((SELECT group_concat(t, ' ') FROM (SELECT text AS t FROM"
            " quotes WHERE article_id = articles.id ORDER BY id)), '')"
        )  # the full-text indexes are rebuilt from the rows below
        conn.execute(text_update)
        conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
        recount(conn)
        run_script(conn, tally_triggers())
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        optimize_search(conn)
        for sql in inserts:
            conn.execute(sql)
    conn.execute("ANALYZE")
    conn.close()


def common_word(conn: sqlite3.Connection) -> str:
    """The word of the store's first statement that the most statements hold (a search's worst case)."""
    first = conn.execute("SELECT statement FROM quotes WHERE id = 1").fetchone()[0]
    count = "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?"
    counts = {w: conn.execute(count, (f'"{w}"',)).fetchone()[0] for w in first.split()}
    return max(counts, key=lambda w: counts[w])


def _time(call: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(db: Path, runs: int, facets: bool = False) -> dict[str, list[float]]:
    """Milliseconds per call of ``queries.quotes`` (first page + exact total) per filter."""
    from onrecord import queries

    rng = random.Random(SEED + 1)  # noqa: S311  (synthetic data, not secrets)
    conn = queries.open_db(db)
    sample = [r[0] for r in conn.execute("SELECT statement FROM quotes WHERE id % 997 = 0")]
    words = [w for s in sample for w in s.split()]
    names = [r[0] for r in conn.execute("SELECT name FROM actors a JOIN quotes q ON q.actor_id = a.id"
                                        " WHERE q.id % 991 = 0")]  # fmt: skip
    cases: dict[str, Callable[[], str]] = {
        "search (one word)": lambda: rng.choice(words),
        "search (two words)": lambda: f"{rng.choice(words)} {rng.choice(words)}",
        "speaker (full name)": lambda: rng.choice(names),
        "speaker + search": lambda: rng.choice(names) + "\t" + rng.choice(words),
    }
    results: dict[str, list[float]] = {}
    for label, pick in cases.items():
        times = []
        for _ in range(runs):
            value = pick()
            if label.startswith("search"):
                times += _time(lambda v=value: queries.quotes(conn, search=v), 1)
            elif label == "speaker + search":
                name, word = value.split("\t")
                times += _time(lambda n=name, w=word: queries.quotes(conn, speaker=n, search=w), 1)
            else:
                times += _time(lambda v=value: queries.quotes(conn, speaker=v), 1)
        results[label] = times
    if facets:  # the search page's facets counted in full (no time budget): the slow part of a page
        filters = [queries.QuoteFilters(search=rng.choice(words)) for _ in range(max(runs // 10, 1))]
        results["facets, no budget"] = [
            t for f in filters for t in _time(lambda f=f: queries.quote_facets(conn, f), 1)
        ]
    conn.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the store here")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--facets", action="store_true", help="also time full search facets (runs/10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.quotes)
            print(f"built {args.quotes:,} quotes in {time.perf_counter() - started:.0f} s ({db})")
        results = measure(db, args.runs, args.facets)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, times in results.items():
        ordered = sorted(times)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{label:22} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"
            f"  ({len(times)} runs){'' if p95 <= 50 else '  OVER TARGET'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
