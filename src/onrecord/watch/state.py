"""The watch's state in the store: sources with their health, the article URLs they named and what
became of each, and counts per source and day (migration ``m011_watch``).

Every change is its own small transaction, written as soon as it is known, so a watch killed at any
moment resumes from the store: a URL listed but not yet stored is fetched in the next round.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from onrecord.store.sqlite import transaction
from onrecord.watch.discover import Link, canonical
from onrecord.watch.sources import Source

# A source failing round after round is polled less and less often: its interval doubles with each
# failure in a row, up to this.
MAX_BACKOFF = dt.timedelta(hours=24)
# A page that failed this many fetches is left alone until its listing says it changed.
MAX_ATTEMPTS = 3
# URL statuses: to fetch, fetched into an article, fetched and passed over, fetch or analysis failed.
LISTED, STORED, SKIPPED, FAILED = "listed", "stored", "skipped", "failed"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """A source as stored: where it is, what it was last time, and its conditional-GET validators."""

    id: int
    url: str
    title: str | None
    kind: str | None
    etag: str | None
    last_modified: str | None
    errors_in_row: int


@dataclass(frozen=True, slots=True)
class Queued:
    """An article URL to fetch this round, with the source that named it."""

    url: str
    source_id: int
    source_url: str


# A listed URL: new, it waits to be fetched; seen before, it waits again when asked (``refetch``, the
# 7th parameter) or when its listing gives a modification date other than the one it was fetched
# with, and its failed attempts start over. In SET, the columns read are the row's old values.
LIST_LINK = """INSERT INTO watch_urls (url, source_id, first_seen, listed_published, listed_modified, status)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (url) DO UPDATE SET
 status = CASE WHEN ?7 OR (?5 IS NOT NULL AND ?5 IS NOT fetched_modified AND status != ?6) THEN ?6
  ELSE status END,
 attempts = CASE WHEN ?7 OR (?5 IS NOT NULL AND ?5 IS NOT fetched_modified) THEN 0 ELSE attempts END,
 listed_modified = coalesce(?5, listed_modified)"""


class WatchState:
    """Reads and writes the watch tables through one connection (the ingest's)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- sources ---------------------------------------------------------------------------------

    def add_sources(self, sources: Iterable[Source], now: dt.datetime | None = None) -> int:
        """Store sources to watch (one named again is watched again); returns how many are new."""
        added = 0
        with transaction(self.conn):
            for source in sources:
                known = self.conn.execute(
                    "SELECT 1 FROM watch_sources WHERE url = ?", (source.url,)
                ).fetchone()
                self.conn.execute(
                    "INSERT INTO watch_sources (url, title, added) VALUES (?, ?, ?)"
                    " ON CONFLICT (url) DO UPDATE SET removed = 0, title = coalesce(excluded.title, title)",
                    (source.url, source.title, stamp(now or utc_now())),
                )
                added += known is None
        return added

    def remove_source(self, url: str) -> bool:
        """Stop watching a source, named as it was given or by its canonical URL (its history
        stays); False when it is not watched."""
        key = canonical(url) or url
        with transaction(self.conn):
            rows = self.conn.execute("SELECT id, url FROM watch_sources WHERE removed = 0").fetchall()
            ids = [row[0] for row in rows if row[1] == url or canonical(row[1]) == key]
            for source_id in ids:
                self.conn.execute("UPDATE watch_sources SET removed = 1 WHERE id = ?", (source_id,))
        return bool(ids)

    def due(self, now: dt.datetime) -> list[WatchedSource]:
        """The sources to poll now: never polled, or their next poll has come."""
        rows = self.conn.execute(
            "SELECT id, url, title, kind, etag, last_modified, errors_in_row FROM watch_sources"
            " WHERE removed = 0 AND (next_poll IS NULL OR next_poll <= ?) ORDER BY id",
            (stamp(now),),
        ).fetchall()
        return [WatchedSource(*row) for row in rows]

    def sources(self) -> list[WatchedSource]:
        """Every source watched."""
        rows = self.conn.execute(
            "SELECT id, url, title, kind, etag, last_modified, errors_in_row FROM watch_sources"
            " WHERE removed = 0 ORDER BY id"
        ).fetchall()
        return [WatchedSource(*row) for row in rows]

    def watched(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM watch_sources WHERE removed = 0").fetchone()[0])

    def next_poll(self) -> dt.datetime | None:
        """When the next source is due (None: nothing is watched)."""
        row = self.conn.execute(
            "SELECT min(coalesce(next_poll, '')) FROM watch_sources WHERE removed = 0"
        ).fetchone()
        if row[0] is None:
            return None
        return utc_now() if row[0] == "" else dt.datetime.fromisoformat(row[0])

    def polled(
        self,
        source: WatchedSource,
        now: dt.datetime,
        every: float,
        *,
        error: str | None = None,
        kind: str | None = None,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Record a poll of ``source``: its health, validators, and when to poll it next (``every``
        seconds, doubled for each failure in a row, at most ``MAX_BACKOFF``)."""
        errors = source.errors_in_row + 1 if error else 0
        wait = dt.timedelta(seconds=every) * (2 ** min(errors, 16) if errors else 1)
        wait = min(wait, max(MAX_BACKOFF, dt.timedelta(seconds=every)))
        day = stamp(now)[:10]
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE watch_sources SET last_polled = ?, next_poll = ?, errors_in_row = ?, last_error = ?,"
                " last_success = CASE WHEN ? IS NULL THEN ? ELSE last_success END,"
                " kind = coalesce(?, kind), title = coalesce(title, ?),"
                " etag = CASE WHEN ? IS NULL THEN coalesce(?, etag) ELSE etag END,"
                " last_modified = CASE WHEN ? IS NULL THEN coalesce(?, last_modified) ELSE last_modified END"
                " WHERE id = ?",
                (stamp(now), stamp(now + wait), errors, error, error, stamp(now), kind, title,
                 error, etag, error, last_modified, source.id),
            )  # fmt: skip
            self._count(source.id, day, polls=1, errors=int(error is not None))

    # -- article URLs ----------------------------------------------------------------------------

    def list_links(
        self, source: WatchedSource, links: Iterable[Link], now: dt.datetime, *, refetch: bool
    ) -> int:
        """Record the article URLs a listing named; returns how many were never seen before. A URL
        stored before is listed to fetch again when its listing gives a new modification date, or
        when ``refetch`` asks for every URL the listing names."""
        with transaction(self.conn):
            before = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM watch_urls").fetchone()[0]
            self.conn.executemany(
                LIST_LINK,
                [(link.url, source.id, stamp(now), link.published, link.modified, LISTED, int(refetch))
                 for link in links],
            )  # fmt: skip
            new = self.conn.execute("SELECT count(*) FROM watch_urls WHERE rowid > ?", (before,)).fetchone()[
                0
            ]
        return int(new)

    def to_fetch(self, source: WatchedSource, most: int) -> list[Queued]:
        """Up to ``most`` of a source's URLs waiting to be fetched, newest first: listed, or failed
        fewer than ``MAX_ATTEMPTS`` times. What is left waits for the next round."""
        rows = self.conn.execute(
            "SELECT url FROM watch_urls WHERE source_id = ?"
            " AND (status = ? OR (status = ? AND attempts < ?))"
            " ORDER BY coalesce(listed_published, listed_modified, first_seen) DESC, url LIMIT ?",
            (source.id, LISTED, FAILED, MAX_ATTEMPTS, most),
        ).fetchall()
        return [Queued(str(url), source.id, source.url) for (url,) in rows]

    def waiting(self) -> int:
        """URLs listed and not yet fetched, over every source (a backlog)."""
        return int(
            self.conn.execute("SELECT count(*) FROM watch_urls WHERE status = ?", (LISTED,)).fetchone()[0]
        )

    def fetched(
        self,
        queued: Queued,
        now: dt.datetime,
        *,
        status: str,
        final_url: str | None = None,
        article_id: int | None = None,
        error: str | None = None,
        outcome: str = "",
    ) -> None:
        """Record what became of a URL fetched this round. ``outcome`` is the ingest's count it went
        to ("new", "updated", ...), counted per source and day."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE watch_urls SET status = ?, fetched_at = ?, fetched_modified = listed_modified,"
                " final_url = coalesce(?, final_url), article_id = coalesce(?, article_id), error = ?,"
                " attempts = attempts + 1 WHERE url = ?",
                (status, stamp(now), final_url, article_id, error, queued.url),
            )
            self._count(
                queued.source_id,
                stamp(now)[:10],
                fetched=1,
                new_articles=int(outcome == "new"),
                updated_articles=int(outcome == "updated"),
            )

    def _count(self, source_id: int, day: str, **increments: int) -> None:
        columns = ", ".join(increments)
        updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in increments)
        marks = ", ".join("?" for _ in increments)
        self.conn.execute(
            f"INSERT INTO watch_days (source_id, day, {columns}) VALUES (?, ?, {marks})"  # noqa: S608 (column names are ours)
            f" ON CONFLICT (source_id, day) DO UPDATE SET {updates}",
            (source_id, day, *increments.values()),
        )


def source_health(conn: sqlite3.Connection, today: str | None = None) -> list[dict[str, Any]]:
    """Each watched source's health: last poll and success, errors in a row and the last one, when it
    is polled next, URLs waiting, and articles stored today and over the last 7 days."""
    today = today or stamp(utc_now())[:10]
    week_ago = (dt.date.fromisoformat(today) - dt.timedelta(days=6)).isoformat()
    rows = conn.execute(
        "SELECT s.id, s.url, s.title, s.kind, s.added, s.last_polled, s.last_success, s.errors_in_row,"
        " s.last_error, s.next_poll,"
        " (SELECT count(*) FROM watch_urls u WHERE u.source_id = s.id AND u.status = ?) AS waiting,"
        " (SELECT count(*) FROM watch_urls u WHERE u.source_id = s.id AND u.article_id IS NOT NULL)"
        " AS articles,"
        " coalesce((SELECT new_articles FROM watch_days d WHERE d.source_id = s.id AND d.day = ?), 0)"
        " AS today,"
        " coalesce((SELECT sum(new_articles) FROM watch_days d WHERE d.source_id = s.id AND d.day >= ?), 0)"
        " AS week FROM watch_sources s WHERE s.removed = 0 ORDER BY s.id",
        (LISTED, today, week_ago),
    )
    names = [d[0] for d in rows.description]
    return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]
