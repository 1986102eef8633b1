"""The web app: HTTP requests -> view code over a read-only corpus connection -> HTML pages and JSON twins.

``create_app(db_path)`` builds a FastAPI app. Each page is one view function registered twice, at
``/PATH`` (rendered with a template) and ``/api/PATH`` (its dict as JSON), so the two never drift.
Every request reads through its own read-only connection; only the correction endpoints (speaker,
merge, split) write, through ``onrecord.corpus.judgements`` (and, with accounts on, signing in and out:
``web/accounts.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from onrecord import queries
from onrecord.corpus.language import language_name
from onrecord.model import QuoteKind
from onrecord.queries import CONFIDENT, language_code, open_db
from onrecord.store.sqlite import connect
from onrecord.web import views
from onrecord.web.errors import add_error_handlers, error_response

HERE = Path(__file__).resolve().parent
MAX_LIMIT = 500
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Text = Annotated[str | None, Query(max_length=500)]
AllFacets = Annotated[
    Literal["all"] | None,
    Query(description="all: count every facet, however long it takes (a facet not counted in time is null)"),
]
Attitude = Annotated[str | None, Query(max_length=40, description="the cue's attitude class, e.g. warning")]


def _blank_is_none(value: Any) -> Any:
    # A form's empty field is sent as "min_confidence=": no minimum, not a number to refuse.
    return None if isinstance(value, str) and not value.strip() else value


def _day_or_none(value: Any) -> Any:
    # "2020-02-30" matches YYYY-MM-DD but is no day: refused saying so, not compared as text.
    value = _blank_is_none(value)
    if isinstance(value, str):
        value = value.strip()
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a day: give YYYY-MM-DD") from None
        if len(value) != 10:
            raise ValueError(f"{value!r} is not a day: give YYYY-MM-DD")
    return value


Day = Annotated[
    str | None,
    BeforeValidator(_day_or_none),
    Query(description="YYYY-MM-DD (inclusive)"),
]
Kind = Annotated[
    QuoteKind | None,
    BeforeValidator(_blank_is_none),
    Query(description="direct, partial (quoted words in reported speech), indirect, or question"),
]
Sort = Annotated[
    Literal["newest", "oldest", "relevance"],
    BeforeValidator(lambda v: _blank_is_none(v) or "newest"),
    Query(description="newest first (default), oldest first, or best match first (with words)"),
]


MinConfidence = Annotated[
    Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None,
    BeforeValidator(_blank_is_none),
    Query(
        description="only statements whose speaker confidence is at least this (0 to 1);"
        " statements never scored are then left out"
    ),
]


def _language_or_none(value: Any) -> Any:
    # "DE" is "de"; an empty field is no filter; anything but two letters is a 422 saying what to give.
    if not isinstance(value, str):
        return value
    return language_code(value) if value.strip() else None


Language = Annotated[
    str | None,
    BeforeValidator(_language_or_none),
    Query(description="only statements from articles in this language: an ISO 639-1 code, e.g. de or fr"),
]


@dataclass
class StatementFilters:
    """The filters a statement search takes from the address (search page, its CSV downloads)."""

    q: Text = None
    speaker: Text = None
    about: Text = None
    outlet: Text = None
    kind: Kind = None
    since: Day = None
    until: Day = None
    month: Month = None
    attitude: Attitude = None
    min_confidence: MinConfidence = None
    language: Language = None

    def named(self) -> dict[str, str | None]:
        """The filters by name as ``views.quote_filters`` takes them (month and least confidence apart)."""
        return {name: getattr(self, name) for name in views.FILTER_NAMES}

    def chosen(self) -> queries.QuoteFilters:
        """As the read side's filters; a search without a word to look for is no search."""
        return views.quote_filters(self.named(), self.month, self.min_confidence)


Filters = Annotated[StatementFilters, Depends()]

# No inline script or style anywhere, so the policy can forbid both: an injected tag is inert
# even if an escaping bug ever let one through.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": under it a browser sends "Origin: null" with the page's own form posts, and
    # the corrections' Origin check refused every correction made in Chromium (the browser tests).
    # "same-origin" still sends nothing to other sites.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

View = Callable[..., dict[str, Any]]


def make_templates() -> Jinja2Templates:
    """The page templates, autoescaped whatever their name (article text is hostile)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
    )
    env.globals["CONFIDENT"] = CONFIDENT  # below it, a speaker is shown as uncertain
    env.filters["language"] = language_label
    env.filters["without"] = lambda mapping, *keys: {k: v for k, v in mapping.items() if k not in keys}
    return Jinja2Templates(env=env)


@functools.cache
def language_label(code: str | None) -> str:
    """A language code as people read it: "German (de)"; "unknown" for none."""
    if not code or code == "?":
        return "unknown"
    name = language_name(code)
    return code if name == code else f"{name} ({code})"


@contextmanager
def reading(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the app's corpus for the length of one view."""
    conn = connect(request.app.state.db, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


def twin(app: FastAPI, path: str, template: str) -> Callable[[View], View]:
    """Register a view as an HTML page at ``path`` and as its JSON twin at ``/api`` + ``path``."""

    def register(view: View) -> View:
        signature = inspect.signature(view, eval_str=True)
        templates: Jinja2Templates = app.state.templates

        def as_json(**kwargs: Any) -> dict[str, Any]:
            return view(**kwargs)

        def as_html(**kwargs: Any) -> Response:
            return templates.TemplateResponse(kwargs["request"], template, view(**kwargs))

        as_json.__signature__ = signature  # type: ignore[attr-defined]
        as_html.__signature__ = signature.replace(return_annotation=inspect.Signature.empty)  # type: ignore[attr-defined]
        summary = (view.__doc__ or "").strip().splitlines()[0] if view.__doc__ else None
        app.add_api_route(
            "/api" + path, as_json, methods=["GET"], name=f"api_{view.__name__}", summary=summary
        )
        app.add_api_route(
            path,
            as_html,
            methods=["GET"],
            name=view.__name__,
            include_in_schema=False,
            response_class=HTMLResponse,
            response_model=None,
        )
        return view

    return register


def create_app(
    db_path: str | Path,
    *,
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS,
    read_only: str | None = None,
    accounts: bool = False,
    private: bool = False,
) -> FastAPI:
    """The web app over the corpus at ``db_path`` (which must exist; an older one is migrated once).

    Args:
        db_path: the SQLite corpus file.
        allowed_hosts: the Host header values served (others get 400: no DNS rebinding onto localhost).
        read_only: when given, every correction is refused with this message (403), e.g. a store
            loaded from Spark's Parquet output into a cache, where a judgement would be lost.
        accounts: every write needs a signed-in editor (``onrecord users``; ``web/accounts.py``);
            off, as on loopback, anyone who reaches the app may correct.
        private: reading needs a signed-in user too (turns ``accounts`` on).
    """
    open_db(db_path).close()  # fails early on a missing file; applies pending migrations once
    app = FastAPI(
        title="onrecord",
        summary="Who said what, when: the corpus as pages and JSON.",
        docs_url=None,  # the interactive docs fetch their assets from the network; /docs is a local page
        redoc_url=None,
    )
    app.state.db = str(db_path)
    app.state.templates = make_templates()
    app.state.accounts = accounts or private
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    if read_only is not None:
        reason = read_only

        @app.middleware("http")
        async def refuse_writes(request: Request, call_next: Callable[..., Any]) -> Response:
            # Only the correction routes write, all by POST: refused before they open the store.
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                return error_response(request, 403, reason)
            response: Response = await call_next(request)
            return response

    if app.state.accounts:  # inside security_headers, so its refusals carry them too
        from onrecord.web import accounts as signing_in

        signing_in.add_policy(app, private=private)
        signing_in.add_routes(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    add_error_handlers(app, views.NotFound)
    _pages(app)
    from onrecord.web.corrections import add_actor_routes, add_routes
    from onrecord.web.downloads import add_routes as add_downloads
    from onrecord.web.outlets import add_routes as add_outlets
    from onrecord.web.sources import add_routes as add_sources

    add_routes(app)
    add_actor_routes(app)
    add_downloads(app)
    add_outlets(app)
    add_sources(app)
    return app


def _pages(app: FastAPI) -> None:
    """The pages and their JSON twins."""

    @twin(app, "/", "overview.html")
    def overview(request: Request) -> dict[str, Any]:
        """Corpus size, date range, outlets, most-quoted actors and the latest statements."""
        with reading(request) as conn:
            return views.overview(conn)

    @twin(app, "/search", "search.html")
    def search(
        request: Request,
        filters: Filters,
        sort: Sort = "newest",
        limit: Limit = 20,
        offset: Offset = 0,
        facets: AllFacets = None,
    ) -> dict[str, Any]:
        """Full-text search over statements (words, "phrases", prefix*, OR, NOT: see /help/search),
        as result cards in the order asked for, with facets (speaker, outlet, cue attitude, and the
        language when the corpus has several), attention over time, and exact totals."""
        with reading(request) as conn:
            return views.search(
                conn,
                filters.named(),
                filters.month,
                limit,
                offset,
                all_facets=facets == "all",
                min_confidence=filters.min_confidence,
                sort=sort,
            )

    @twin(app, "/articles/{article_id}", "article.html")
    def article(request: Request, article_id: int) -> dict[str, Any]:
        """One article: text cut into marked segments (quotes, speakers, cues, dates), who said what."""
        with reading(request) as conn:
            return views.article(conn, article_id)

    @twin(app, "/stories", "stories.html")
    def stories(
        request: Request,
        min_copies: Annotated[int, Query(ge=1, description="only stories with this many copies")] = 2,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Stories (near-duplicate copies of one article), most copies first."""
        with reading(request) as conn:
            return views.stories(conn, min_copies, limit, offset)

    @twin(app, "/stories/{story_id}", "story.html")
    def story(request: Request, story_id: int, limit: Limit = 4, offset: Offset = 0) -> dict[str, Any]:
        """A story's copies side by side: the first as published, the others with what they change."""
        with reading(request) as conn:
            return views.story(conn, story_id, limit, offset)

    @twin(app, "/actors", "actors.html")
    def actors(request: Request, q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Actors, most mentioned first; ``q`` keeps those whose name or alias contains it."""
        with reading(request) as conn:
            return views.actors(conn, q, limit, offset)

    @twin(app, "/actors/{actor_id}", "actor.html")
    def actor(request: Request, actor_id: str, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        """An actor (id or name): aliases, roles, statements newest first, statements per month."""
        with reading(request) as conn:
            return views.actor(conn, actor_id, limit, offset)

    @twin(app, "/timeline", "timeline.html")
    def timeline(request: Request, q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Dated statements and articles for an actor, or for words, oldest first."""
        with reading(request) as conn:
            return views.timeline(conn, q, limit, offset)

    @app.get("/help/search", include_in_schema=False, response_class=HTMLResponse)
    def search_help(request: Request) -> Response:
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, "help_search.html", {})

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> Response:
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, "docs.html", {"schema": request.app.openapi()})
