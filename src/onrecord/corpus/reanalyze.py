"""Re-analysis: stored article texts -> (worker processes) the current pipeline -> their rows replaced.

Articles analysed by an older pipeline version (or all of them) are read back from the store, run
through today's pipeline and written over their old analysis, one transaction per article, with
every judgement applied again (``onrecord.corpus.judgements.Rules``): corrections survive. Text,
key, outlet and story stay. Killed halfway, a rerun picks up the articles still on the old version.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT, hard_limit, over_budget, time_budget
from onrecord.corpus.build import article_facts, current_rules, ordered_pool, stored_resolver
from onrecord.corpus.identities import IdentityResolver, Setting
from onrecord.corpus.judgements import Rules
from onrecord.errors import AnalysisError
from onrecord.model import Article, RawDocument
from onrecord.pipeline import PIPELINE_VERSION, analyse_routed
from onrecord.store.sqlite import Provenance, Store

# Dates that came from outside the text (the user, the page's metadata) are kept; the others are
# found again from the text by the new pipeline.
KEPT_DATE_SOURCES = ("given", "metadata")


@dataclass(frozen=True, slots=True)
class Stored:
    """What re-analysis needs of a stored article."""

    id: int
    key: str
    text: str
    format: str
    source: str | None
    headline: str | None
    published: str | None
    published_source: str | None


@dataclass(frozen=True, slots=True)
class Redone:
    """A worker's answer for one stored article."""

    stored: Stored
    article: Article | None
    language: str = "und"
    analysed: bool = False
    error: str = ""


@dataclass(slots=True)
class ReanalysisSummary:
    """Counts of one re-analysis (reanalysed, not_analysed, failed) and each failure's reason."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str]] = field(default_factory=list)  # article key, reason
    todo: int = 0


def version_key(version: str) -> tuple[int, ...]:
    """A version string as comparable numbers ("0.10.0" after "0.9.1"); non-numbers count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def outdated(conn: sqlite3.Connection, *, everything: bool = False) -> list[int]:
    """Ids of the articles to re-analyse: those of an older pipeline version, or all, oldest first."""
    current = version_key(PIPELINE_VERSION)
    rows = conn.execute("SELECT id, pipeline_version FROM articles ORDER BY id")
    return [int(r[0]) for r in rows if everything or version_key(str(r[1])) < current]


def _stored(conn: sqlite3.Connection, ids: list[int]) -> Iterator[tuple[Stored]]:
    for article_id in ids:
        row = conn.execute(
            "SELECT id, key, text, format, source, headline, published, published_source FROM articles"
            " WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is not None:
            yield (Stored(*row),)


def analyse_stored(stored: Stored, timeout: float | None = DEFAULT_ARTICLE_TIMEOUT) -> Redone:
    """Worker: one stored article through today's pipeline; never raises for a bad document (one
    over ``timeout`` seconds fails and keeps its stored analysis)."""

    kept = stored.published_source in KEPT_DATE_SOURCES
    raw = RawDocument(
        text=stored.text,
        source=stored.source,
        format="html" if stored.format == "html" else "text",
        title=stored.headline if stored.format == "html" else None,
        published=stored.published if kept else None,
        published_source="given" if stored.published_source == "given" else ("metadata" if kept else None),
    )
    try:
        with time_budget(timeout, stored.source):
            article, language, analysed = analyse_routed(raw)
    except AnalysisError as exc:
        return Redone(stored, None, error=exc.reason)
    except Exception as exc:  # one bad document never ends the run
        return Redone(stored, None, error=f"analysis failed: {type(exc).__name__}: {exc}")
    return Redone(stored, article, language, analysed)


def reanalyze(
    db: str | Path,
    *,
    everything: bool = False,
    workers: int | None = None,
    on_result: Callable[[ReanalysisSummary], None] | None = None,
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> ReanalysisSummary:
    """Re-run the pipeline on stored articles of an older pipeline version (``everything``: all).

    Args:
        db: the corpus database.
        everything: re-analyse every article, whatever its version.
        workers: worker processes (default: all cores); 1 runs in this process.
        on_result: called after each article with the running summary (for a progress bar).
        article_timeout: seconds one article may take (None: no limit); one over it fails and
            keeps what was stored.

    Returns:
        The counts (reanalysed, not_analysed, failed) and each failure with the article's key.
    """
    summary = ReanalysisSummary()
    with Store(db) as store:
        ids = outdated(store.conn, everything=everything)
        summary.todo = len(ids)
        run_id = store.start_run("reanalyze" + (" --all" if everything else ""), PIPELINE_VERSION)
        resolver = stored_resolver(store)
        rules = current_rules(store.conn, None)
        try:
            calls = ((stored, article_timeout) for (stored,) in _stored(store.conn, ids))
            for redone in ordered_pool(
                analyse_stored,
                calls,
                workers or os.cpu_count() or 1,
                hard_limit=hard_limit(article_timeout),
                given_up=lambda stored, timeout: Redone(
                    stored, None, error=over_budget(stored.source, timeout or 0.0).reason
                ),
            ):
                rules = current_rules(store.conn, rules)
                _write(store, redone, resolver, rules, summary, run_id)
                if on_result is not None:
                    on_result(summary)
        finally:
            counts = {"new": summary.counts["reanalysed"], **summary.counts}
            store.finish_run(run_id, counts)
    return summary


def _write(
    store: Store,
    redone: Redone,
    resolver: IdentityResolver,
    rules: Rules,
    summary: ReanalysisSummary,
    run_id: int,
) -> None:
    stored = redone.stored
    if redone.article is None:
        summary.counts["failed"] += 1
        summary.problems.append((stored.key, redone.error))
        store.add_failure(run_id, stored.source or stored.key, "", "failed", redone.error, None)
        return
    setting = Setting(redone.article.published, language=redone.language)  # names spelt as its language
    facts = article_facts(redone.article, stored.key, resolver, rules, setting)
    prov = Provenance(
        key=stored.key,
        content_hash="",
        input_hash="",
        source=stored.source or "",
        language=redone.language,
        analysed=redone.analysed,
        pipeline_version=PIPELINE_VERSION,
    )
    store.replace_article(stored.id, redone.article, prov, facts)
    summary.counts["reanalysed"] += 1
    summary.counts["not_analysed"] += int(not redone.analysed)
