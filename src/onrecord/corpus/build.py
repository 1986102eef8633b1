"""The ingest run: Items -> (worker processes) analysed Articles -> corpus facts -> the store.

The main process reads inputs as a stream, skips those already stored, and hands the rest to a
pool of worker processes (each loads the spaCy model once), at most a few per worker in flight,
so memory does not grow with the corpus. Results come back in input order and are written by the
main process alone, one transaction per article: a run killed at any point leaves only whole
articles behind, and a rerun skips them and finishes the rest, giving the same database.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import multiprocessing
import os
import queue
import re
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from onrecord import processes
from onrecord.budget import DEFAULT_ARTICLE_TIMEOUT, hard_limit, over_budget, time_budget
from onrecord.corpus.identities import Setting
from onrecord.corpus.roles import BEFORE
from onrecord.errors import InputError, OnrecordError, SkipDocument
from onrecord.ingest.sources import Item, iter_items
from onrecord.model import Article, RawDocument
from onrecord.pipeline import PIPELINE_VERSION, analyse_routed
from onrecord.store.sqlite import Facts, Provenance, Store, store_error

if TYPE_CHECKING:
    from onrecord.corpus.identities import IdentityResolver, Profile
    from onrecord.corpus.judgements import Rules
    from onrecord.corpus.roles import RoleIndex

# Results waiting per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4
T = TypeVar("T")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|ref_src|cmpid|ocid|mc_cid|mc_eid)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Result:
    """What a worker sends back for one Item."""

    item: Item
    input_hash: str
    status: str  # "article", "skipped" or "failed"
    reason: str = ""
    article: Article | None = None
    language: str | None = None
    analysed: bool = False
    key: str = ""
    content_hash: str = ""
    url: str | None = None
    outlet: str | None = None
    domain: str | None = None
    minhash: bytes | None = None


@dataclass(slots=True)
class Summary:
    """The counts of one ingest run, and every skipped or failed input with its reason."""

    counts: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, source, record, reason
    run_id: int = 0

    @property
    def processed(self) -> int:
        return sum(self.counts[k] for k in ("new", "unchanged", "skipped", "failed"))


def canonical_url(url: str | None) -> str | None:
    """A URL as a key: lower-case scheme and host, no fragment, no tracking parameters."""
    if not url or "://" not in url:
        return None
    parts = urlsplit(url.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    path = parts.path if parts.path not in ("", "/") else "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def content_hash(text: str) -> str:
    """The hash of a text with its whitespace normalised: the key when no URL is known."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


# -- the worker side ---------------------------------------------------------------------------


def _init_worker(parent: int | None = None, started: Any = None) -> None:
    """Load the model and the language identifier once per worker process.

    Args:
        parent: the process id of the run's main process; the worker ends itself soon after that
            process is gone (killed with -9, its pool never told the workers to stop).
        started: a queue on which the worker says which call it starts (the pool's watchdog).
    """
    from onrecord.corpus.language import detect
    from onrecord.extract.parse import load_nlp

    # Ctrl-C reaches every process of the terminal's group: the main process decides how the run
    # ends (``onrecord watch`` finishes the pages it fetched), so a worker does not die mid-article.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STARTED[:] = [started] if started is not None else []
    load_nlp()
    detect("warm up")
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="onrecord-parent").start()


_STARTED: list[Any] = []  # the pool's queue of (call number, worker pid), in a worker


def _tracked(number: int, function: Callable[..., T], *args: Any) -> T:
    """Worker: say that call ``number`` starts here, then make it."""
    if _STARTED:
        _STARTED[0].put((number, os.getpid()))
    return function(*args)


def _exit_with(parent: int, every: float = 1.0) -> None:
    """End this process once ``parent`` is gone (checked every ``every`` seconds)."""
    while _alive(parent):
        time.sleep(every)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs: not gone, and not a zombie waiting for its parent to reap it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the id now names someone else's process: ours is gone
        return False
    fields = processes.stat(pid)  # None: no /proc (not Linux), or it just went
    return fields is None or fields[processes.STATE] not in ("Z", "X")


def to_raw(item: Item) -> RawDocument:
    """Decode and extract one Item; raises InputError (or SkipDocument) when it cannot."""
    from onrecord.ingest.html import extract_html
    from onrecord.ingest.text import decode, sniff_format

    if item.error is not None:
        raise (SkipDocument if item.skip else InputError)(item.label, item.error)
    encoding = "utf-8"
    if item.data is not None:
        text, encoding = decode(item.data, item.label)
    else:
        text = item.text or ""
        if not text.strip():
            raise SkipDocument(item.label, "empty document (no text to analyse)")
    if item.kind == "html" or (item.kind == "auto" and sniff_format(text) == "html"):
        raw = replace(extract_html(text, item.label, url=item.url), encoding=encoding)
    elif item.title and not text.lstrip().startswith(item.title):
        raw = RawDocument(text=f"{item.title}\n\n{text}", source=item.label, title=item.title)
    else:
        raw = RawDocument(text=text, source=item.label, encoding=encoding, title=item.title)
    if item.published and (item.published_source == "given" or raw.published is None):
        raw = replace(raw, published=item.published, published_source=item.published_source)
    return raw


def analyse_item(
    item: Item, input_hash: str, published: str | None, timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
) -> Result:
    """Worker: one Item -> Result; never raises for a bad document.

    The Result carries the Item without its bytes or text: the main process needs only its names,
    and sending a page back to where it came from doubled what crossed between processes. An
    article whose analysis takes longer than ``timeout`` seconds fails (``onrecord.budget``).
    """
    light = replace(item, data=None, text=None)
    try:
        with time_budget(timeout, item.source):
            raw = to_raw(item)
            return _analyse(light, input_hash, raw, published)
    except SkipDocument as exc:
        return Result(light, input_hash, "skipped", exc.reason)
    except InputError as exc:
        return Result(light, input_hash, "failed", exc.reason)
    except Exception as exc:  # one bad document never ends the run
        return Result(light, input_hash, "failed", f"analysis failed: {type(exc).__name__}: {exc}")


def _analyse(item: Item, input_hash: str, raw: RawDocument, published: str | None) -> Result:
    from onrecord.corpus.dedup import signature, to_bytes

    article, language, analysed = analyse_routed(raw, published)
    meta = dict(raw.metadata)
    url = canonical_url(item.url or meta.get("url"))
    digest = content_hash(article.text)
    domain = urlsplit(url).hostname if url else None
    if domain and domain.startswith("www."):
        domain = domain[4:]
    minhash = signature(article.text)
    return Result(
        item,
        input_hash,
        "article",
        article=article,
        language=language,
        analysed=analysed,
        key=url or f"sha256:{digest}",
        content_hash=digest,
        url=url,
        outlet=item.outlet or meta.get("sitename") or domain,
        domain=domain,
        minhash=to_bytes(minhash) if minhash is not None else None,
    )


# -- the main process --------------------------------------------------------------------------


def ordered_map(
    items: Iterable[tuple[Item, str]],
    published: str | None,
    workers: int,
    timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> Iterator[Result]:
    """Analyse items in worker processes, yielding results in input order, a bounded number in flight.

    An item over ``timeout`` seconds fails; one whose worker does not answer even then is given up
    (its worker killed and replaced) and fails the same way.
    """

    def given_up(item: Item, input_hash: str, _published: str | None, _timeout: float | None) -> Result:
        reason = over_budget(item.source, timeout or 0.0).reason + " (its worker was replaced)"
        return Result(replace(item, data=None, text=None), input_hash, "failed", reason)

    return ordered_pool(
        analyse_item,
        ((item, h, published, timeout) for item, h in items),
        workers,
        hard_limit=hard_limit(timeout),
        given_up=given_up,
    )


def ordered_pool(
    function: Callable[..., T],
    calls: Iterable[tuple[Any, ...]],
    workers: int,
    *,
    hard_limit: float | None = None,
    given_up: Callable[..., T] | None = None,
) -> Iterator[T]:
    """``function(*args)`` for each args, in worker processes (1: in this one), results in input order.

    With ``hard_limit``, a call still running that many seconds after it started has its worker
    killed; its result is ``given_up(*args)``, the pool is replaced, and the other calls in flight
    are made again. Nothing else is lost, and the run goes on.
    """
    if workers <= 1:
        for args in calls:
            yield function(*args)
        return
    pool = _WatchedPool(function, workers, hard_limit, given_up)
    pending = iter(enumerate(calls))
    try:
        while True:
            while len(pool.window) < workers * IN_FLIGHT_PER_WORKER:
                nxt = next(pending, None)
                if nxt is None:
                    break
                pool.submit(*nxt)
            if not pool.window:
                return
            yield pool.next_result()
    finally:
        pool.close()


class _WatchedPool:
    """A process pool whose calls in flight are kept in input order, and whose workers are watched:
    one that has run a call longer than ``limit`` seconds is killed and the pool replaced."""

    def __init__(
        self, function: Callable[..., T], workers: int, limit: float | None, given_up: Callable[..., T] | None
    ) -> None:
        self.function, self.workers, self.limit, self.given_up = function, workers, limit, given_up
        self.context = _worker_context()
        self.started = self.context.Queue() if limit else None
        self.window: list[tuple[int, tuple[Any, ...], Future[Any]]] = []
        self.begun: dict[int, tuple[int, float]] = {}  # call -> (worker pid, when the main process heard)
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=self.context,
            initializer=_init_worker,
            initargs=(os.getpid(), self.started),
        )

    def submit(self, number: int, args: tuple[Any, ...]) -> None:
        self.window.append((number, args, self.pool.submit(_tracked, number, self.function, *args)))

    def next_result(self) -> Any:
        """The result of the oldest call in flight, waiting for it (and watching the others)."""
        while True:
            number, _args, future = self.window[0]
            if self.limit is None:
                result = future.result()
            else:
                try:
                    result = future.result(timeout=1.0)
                except TimeoutError:
                    late = self._late()
                    if late:
                        self._replace(late)
                    continue
                except BrokenProcessPool:  # a worker died (killed from outside, out of memory)
                    self._replace(set())
                    continue
            self.window.pop(0)
            self.begun.pop(number, None)
            return result

    def _late(self) -> set[int]:
        """The calls in flight that started more than ``limit`` seconds ago, their workers killed."""
        if self.started is None:
            return set()
        while True:
            try:
                number, pid = self.started.get_nowait()
            except queue.Empty:
                break
            self.begun[number] = (pid, time.monotonic())
        now, limit = time.monotonic(), self.limit or 0.0
        late = {
            n
            for n, _a, f in self.window
            if not f.done() and n in self.begun and now - self.begun[n][1] > limit
        }
        for n in late:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.begun[n][0], signal.SIGKILL)
        return late

    def _replace(self, late: set[int]) -> None:
        """A new pool: finished calls keep their results, late ones are given up, others made again."""
        concurrent.futures.wait([f for _n, _a, f in self.window], timeout=10.0)
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()
        for i, (number, args, future) in enumerate(self.window):
            if future.done() and not future.cancelled() and future.exception() is None:
                continue
            self.begun.pop(number, None)
            if number in late and self.given_up is not None:
                given: Future[Any] = Future()
                given.set_result(self.given_up(*args))
                self.window[i] = (number, args, given)
            else:
                self.window[i] = (number, args, self.pool.submit(_tracked, number, self.function, *args))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked from a server that loaded the model once, else spawned.

    Not a plain fork of this process: it runs a progress thread, and forking a threaded process can
    deadlock the child. The fork server is a fresh single-threaded process; it imports
    ``onrecord.corpus.preload`` once, and every worker forked from it shares what that loaded.
    Where there is no fork server (Windows), each worker is spawned and loads its own model.
    """
    processes.one_thread_per_worker()
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["onrecord.corpus.preload"])
    return context


class Ingest:
    """One ingest run into one database."""

    def __init__(
        self,
        db: str | Path,
        *,
        workers: int | None = None,
        published: str | None = None,
        article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
        versions: bool = False,
        store: Store | None = None,
    ) -> None:
        """``versions``: a page stored before under the same URL whose text changed is stored as its
        new version (the old kept); otherwise it counts as unchanged. ``store``: write through this
        open store (left open at the end) rather than open ``db``."""
        from onrecord.corpus.dedup import StoryIndex, from_bytes

        self.store = store if store is not None else Store(db)
        self.close_store = store is None
        self.versions = versions
        self.workers = workers or os.cpu_count() or 1
        self.published = published
        self.article_timeout = article_timeout
        self.summary = Summary()
        self.stories = StoryIndex()
        for article_id, story_id, data in self.store.signatures():
            self.stories.add(article_id, story_id, from_bytes(data))
        self.identities = stored_resolver(self.store)
        self.rules = current_rules(self.store.conn, None)

    def run(self, paths: Iterable[str], on_result: Callable[[Summary], None] | None = None) -> Summary:
        """Ingest every input under ``paths``; the summary is also written to the ``runs`` table."""
        paths = list(paths)
        return self.run_items(iter_items(paths), "ingest " + " ".join(paths), on_result)

    def run_items(
        self,
        items: Iterable[Item],
        command: str,
        on_result: Callable[[Summary], None] | None = None,
        on_write: Callable[[Result, str, int | None], None] | None = None,
    ) -> Summary:
        """Ingest ``items`` as one run named ``command``. ``on_write`` is called after each input is
        written, with what became of it (the count it went to: "new", "updated", "unchanged",
        "skipped" or "failed") and its article (None: skipped, failed)."""
        failure: str | None = None  # a write the store refused (disk full, read-only): one line, no traceback
        self.summary = Summary()
        try:
            self.summary.run_id = self.store.start_run(command, PIPELINE_VERSION)
            for result in ordered_map(
                self._pending(iter(items), on_result, on_write),
                self.published,
                self.workers,
                self.article_timeout,
            ):
                outcome, article_id = self._write(result)
                if on_write is not None:
                    on_write(result, outcome, article_id)
                if on_result is not None:
                    on_result(self.summary)
        except sqlite3.Error as exc:
            failure = store_error(self.store.path, exc)
        finally:
            try:
                self.store.finish_run(self.summary.run_id, dict(self.summary.counts))
            except sqlite3.Error as exc:
                failure = failure or store_error(self.store.path, exc)
            if self.close_store:
                self.store.close()
        if failure is not None:
            raise OnrecordError(failure)
        return self.summary

    def _pending(
        self,
        items: Iterator[Item],
        on_result: Callable[[Summary], None] | None,
        on_write: Callable[[Result, str, int | None], None] | None = None,
    ) -> Iterator[tuple[Item, str]]:
        """Items not yet stored; those already done are counted as unchanged and never analysed."""
        for item in items:
            input_hash = item.input_hash()
            if self.store.input_status(input_hash) is not None:
                self.summary.counts["unchanged"] += 1
                if on_write is not None:
                    on_write(
                        Result(item, input_hash, "unchanged"),
                        "unchanged",
                        self.store.input_article(input_hash),
                    )
                if on_result is not None:
                    on_result(self.summary)
                continue
            yield item, input_hash

    def _write(self, result: Result) -> tuple[str, int | None]:
        """Write one input's outcome; returns the count it went to and the article it became or
        already was (None: none)."""
        counts, item = self.summary.counts, result.item
        if result.status != "article" or result.article is None:
            counts[result.status] += 1
            self.summary.problems.append((result.status, item.source, item.record, result.reason))
            self.store.add_failure(
                self.summary.run_id, item.source, item.record, result.status, result.reason, result.input_hash
            )
            return result.status, None
        existing = self.store.article_id(result.key)
        setting = Setting(result.article.published, result.outlet, result.language)
        prov = Provenance(
            key=result.key,
            content_hash=result.content_hash,
            input_hash=result.input_hash,
            source=item.source,
            record=item.record,
            url=result.url,
            outlet=result.outlet,
            domain=result.domain,
            language=result.language,
            analysed=result.analysed,
            pipeline_version=PIPELINE_VERSION,
        )
        if existing is not None:
            if not self.versions or self.store.content_hash(existing) == result.content_hash:
                counts["unchanged"] += 1
                self.store.remember_input(result.input_hash, existing)
                return "unchanged", existing
            facts = self._facts(result.article, result.key, None, setting)
            facts.minhash = result.minhash
            self.store.add_version(existing, result.article, prov, facts)
            remember(self.identities, result.article, facts.actor_ids, setting)
            counts["updated"] += 1
            return "updated", existing
        facts = self._facts(result.article, result.key, result.minhash, setting)
        article_id = self.store.add_article(result.article, prov, facts, self.summary.run_id)
        remember(self.identities, result.article, facts.actor_ids, setting)
        counts["new"] += 1
        counts["not_analysed"] += int(not result.analysed)
        counts["near_duplicates"] += int(facts.story_id is not None)
        if result.minhash is not None:
            from onrecord.corpus.dedup import from_bytes

            story = self.store.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,))
            self.stories.add(article_id, int(story.fetchone()[0]), from_bytes(result.minhash))
        return "new", article_id

    def _facts(self, article: Article, key: str, minhash: bytes | None, setting: Setting) -> Facts:
        from onrecord.corpus.dedup import from_bytes

        rules = current_rules(self.store.conn, self.rules)
        if rules is not self.rules:
            forget(self.identities)  # a judgement moved rows: what was read of them is stale
            self.rules = rules
        facts = article_facts(article, key, self.identities, self.rules, setting)
        facts.story_id = self.stories.find(from_bytes(minhash)) if minhash is not None else None
        facts.minhash = minhash
        return facts


def current_rules(conn: sqlite3.Connection, rules: Rules | None) -> Rules:
    """The judgements as rules, re-read when someone made a judgement since ``rules`` were read."""
    from onrecord.corpus.judgements import Rules

    latest = conn.execute("SELECT coalesce(max(id), 0) FROM judgements").fetchone()[0]
    return rules if rules is not None and rules.version == latest else Rules(conn)


def article_facts(
    article: Article, key: str, identities: IdentityResolver, rules: Rules, setting: Setting | None = None
) -> Facts:
    """An article's corpus facts: its actors' corpus identities, its statements, every judgement applied.

    A speaker known only by an office ("the Kremlin spokesman") goes to the actor who clearly held
    that office near the article's date (``corpus/roles.py``), unless a judgement named that speaker.
    """
    from onrecord.corpus.identities import quote_fingerprint
    from onrecord.corpus.roles import resolve_offices

    setting = setting or Setting(article.published)
    mapping, found = identities.resolve(article, setting, scope=key)
    if isinstance(identities.roles, StoredRoles):
        judged = {j.subject for j in rules.judgements if j.kind in ("merge", "split")}
        mapping = resolve_offices(article.actors, mapping, article.published, identities.roles.get(), judged)
        used = set(mapping.values())
        found = [identity for identity in found if identity.id in used]
    facts = Facts(
        actor_ids=mapping,
        identities=found,
        fingerprints=tuple(quote_fingerprint(article, q) for q in article.quotes),
    )
    return rules.facts(article, key, facts, setting.language)


# -- what the identity rules read of the store -----------------------------------------------------

# The title phrases articles gave people, with the article's date: read once per run, on the first
# unnamed office holder, then kept up to date as articles are written.
_TITLED = """SELECT m.actor_id, a.published,
 substr(a.text, max(1, m.start + 1 - ?), min(m.start, ?)) AS before
FROM mentions m JOIN articles a ON a.id = m.article_id JOIN actors ac ON ac.id = m.actor_id
WHERE m.kind = 'name' AND ac.type = 'person'"""


class StoredRoles:
    """The role index of a store (``corpus/roles.py``), read when first needed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._index: RoleIndex | None = None

    def get(self) -> RoleIndex:
        from onrecord.corpus.roles import RoleIndex, title_before

        if self._index is None:
            self._index = RoleIndex()
            for actor_id, published, before in self.conn.execute(_TITLED, (BEFORE, BEFORE)):
                held = title_before(str(before))
                if held is not None:
                    self._index.add(held, str(actor_id), published)
        return self._index

    def record(self, article: Article, mapping: dict[str, str]) -> None:
        from onrecord.corpus.roles import titles

        if self._index is not None:
            for held, actor_id in titles(article.actors, article.text, mapping):
                self._index.add(held, actor_id, article.published)


# One row per article that named the person as a person (local id 'p-'; roles reached by an
# office are not evidence of the name), with its date, outlet and the other people it named.
_PROFILE = """SELECT mine.article_id, mine.name, a.published, o.name, a.language,
 (SELECT group_concat(other.name, char(31)) FROM article_actors other JOIN actors ac ON ac.id = other.actor_id
  WHERE other.article_id = mine.article_id AND other.local_id != mine.local_id
  AND other.local_id LIKE 'p-%' AND ac.type = 'person')
FROM article_actors mine JOIN articles a ON a.id = mine.article_id LEFT JOIN outlets o ON o.id = a.outlet_id
WHERE mine.actor_id = ? AND mine.local_id LIKE 'p-%'"""


_TITLES_OF = """SELECT substr(a.text, max(1, m.start + 1 - ?), min(m.start, ?)) FROM mentions m
JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? AND m.kind = 'name'"""


def stored_profile(conn: sqlite3.Connection, actor_id: str) -> Profile:
    """What the store knows of one person (``identities.Profile``), as the ingest would have built it."""
    from onrecord.corpus.identities import Profile, split_name
    from onrecord.corpus.roles import title_before

    profile = Profile()
    for _article, name, published, outlet, language, others in conn.execute(_PROFILE, (actor_id,)):
        own = split_name(str(name), language=language)[1]
        co = {split_name(other, language=language)[1] for other in str(others or "").split("\x1f") if other}
        profile.add(Setting(published, outlet), (), co - {own})
    profile.roles.update(
        str(row[0]) for row in conn.execute("SELECT role FROM actor_roles WHERE actor_id = ?", (actor_id,))
    )
    for (before,) in conn.execute(_TITLES_OF, (BEFORE, BEFORE, actor_id)):
        held = title_before(str(before))
        if held is not None:
            profile.roles.add(held.role)
    return profile


def stored_resolver(store: Store) -> IdentityResolver:
    """The identity resolver of an ingest or re-analysis into ``store``."""
    from onrecord.corpus.identities import IdentityResolver, Profiles

    profiles = Profiles(lambda actor_id: stored_profile(store.conn, actor_id))
    return IdentityResolver(store.actors_by_surname, profiles, StoredRoles(store.conn))


def remember(
    identities: IdentityResolver, article: Article, mapping: dict[str, str], setting: Setting
) -> None:
    """An article was written: keep what the resolver read of the store up to date."""
    identities.profiles.record(article, mapping, setting)
    if isinstance(identities.roles, StoredRoles):
        identities.roles.record(article, mapping)


def forget(identities: IdentityResolver) -> None:
    """Rows moved under the resolver (a judgement): read them again when next needed."""
    identities.profiles.forget()
    if isinstance(identities.roles, StoredRoles):
        identities.roles._index = None


def ingest(
    paths: Iterable[str],
    db: str | Path,
    *,
    workers: int | None = None,
    published: str | None = None,
    on_result: Callable[[Summary], None] | None = None,
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
) -> Summary:
    """Ingest files, folders, globs or '-' (stdin) into the database at ``db``.

    Args:
        paths: inputs: .txt, .html, .warc(.gz), .jsonl, RSS/Atom files, any gzip-compressed.
        db: the SQLite file (created when missing).
        workers: worker processes (default: all cores); 1 runs in this process.
        published: a publication date (YYYY-MM-DD) for every input, overriding their own.
        on_result: called after each input with the running summary (for a progress bar).
        article_timeout: seconds one input's analysis may take (None: no limit); one over it is
            recorded as failed, naming the limit, and the run goes on.

    Returns:
        The run's Summary: counts of new, unchanged, near-duplicate, not analysed, skipped and
        failed inputs, and each problem with its file, record and reason.
    """
    return Ingest(db, workers=workers, published=published, article_timeout=article_timeout).run(
        paths, on_result
    )
