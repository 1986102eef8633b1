"""Accounts on the web: a session cookie -> the signed-in user -> what the request may do.

Installed by ``create_app(accounts=True)`` (``onrecord serve`` beyond loopback). Every write (a
correction, a merge, a split) then needs a signed-in editor, and carries the session's CSRF token:
a hidden ``csrf`` field in a form, an ``X-CSRF-Token`` header in JSON. With ``private=True`` reading
needs a signed-in user too. The users and their sessions live in the store (``corpus/users.py``).

The session cookie is HttpOnly and SameSite=Strict, and Secure (named ``__Host-...``) over https.
Signing in is refused over plain http from anywhere but the machine itself: the password and the
cookie would cross the network in clear; serve beyond loopback behind an https proxy (README).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from onrecord.corpus import users
from onrecord.corpus.users import Session, SignInRefused
from onrecord.errors import OnrecordError
from onrecord.store.sqlite import connect
from onrecord.web.errors import error_response, wants_json

SESSION_COOKIE = "onrecord_session"
LOGIN_COOKIE = "onrecord_login"  # the sign-in form's own CSRF token (no session yet to hold one)
LOGIN_FORM_AGE = 3600
MAX_FORM_BYTES = 8_192
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Paths that check for themselves (signing in and out) or hold nothing to protect (the stylesheet).
OPEN_PATHS = ("/login", "/logout", "/api/login", "/api/logout")

NOT_SIGNED_IN = "sign in as an editor to make corrections"
STALE_FORM = "this form is out of date or came from another site; reload the page and try again"
MISSING_HEADER = "send the session's CSRF token (GET /api/session) in an X-CSRF-Token header"
NEEDS_HTTPS = (
    "signing in needs https here: a password sent over plain http can be read on the way;"
    " serve onrecord behind an https proxy, or sign in on the machine itself"
)


class SignIn(BaseModel):
    """A name and password (JSON sign-in, for programs)."""

    name: str = Field(min_length=1, max_length=users.MAX_NAME)
    password: str = Field(min_length=1, max_length=users.MAX_PASSWORD)


def secure(request: Request) -> bool:
    """Whether the request came over https (directly, or from a local proxy that says so)."""
    return request.url.scheme == "https"


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def may_sign_in(request: Request) -> bool:
    """Over https, or over http from this machine itself (nothing crosses a network)."""
    return secure(request) or _loopback(request.client.host if request.client else "")


def cookie_name(request: Request, base: str) -> str:
    # The __Host- prefix makes a browser refuse the cookie unless Secure, for this host only, path /.
    return f"__Host-{base}" if secure(request) else base


def _set_cookie(response: Response, request: Request, base: str, value: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        secure=secure(request),
        httponly=True,
        samesite="strict",
    )


def _clear_cookie(response: Response, request: Request, base: str) -> None:
    response.delete_cookie(
        cookie_name(request, base), path="/", secure=secure(request), httponly=True, samesite="strict"
    )


def session_of(request: Request) -> Session | None:
    """The request's signed-in session (set by the policy), if any."""
    session = getattr(request.state, "session", None)
    return session if isinstance(session, Session) else None


def judged_by(request: Request, given: str | None) -> str | None:
    """Who a judgement is recorded as made by: the signed-in editor when accounts are on (a form's
    own ``author`` is ignored then), else whoever the request names (None: the server's login)."""
    if not getattr(request.app.state, "accounts", False):
        return given
    session = session_of(request)
    if session is None or not session.user.editor:  # the policy refuses these before any route runs
        raise OnrecordError(NOT_SIGNED_IN)
    return session.user.name


def _lookup(db: str, token: str) -> Session | None:
    conn = connect(db, readonly=True)
    try:
        session = users.find_session(conn, token)
    finally:
        conn.close()
    if session is not None and users.stale(session):
        conn = connect(db)
        try:
            users.touch(conn, token)
        finally:
            conn.close()
    return session


def _tokens_match(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


async def form_fields(request: Request) -> dict[str, str]:
    """A small urlencoded form's fields (a larger or other body gives none)."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return {}
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace")
    fields = parse_qs(body, max_num_fields=20)
    return {name: values[0] for name, values in fields.items() if values}


def _same_site_path(url: str | None, fallback: str = "/") -> str:
    """A path on this site to go back to: a relative path only (never another site's address)."""
    if not url:
        return fallback
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return fallback
    return path + (f"?{parts.query}" if parts.query else "")


def _next_of(request: Request) -> str:
    """Where a refused form post should return after signing in: the page it was posted from."""
    referer = request.headers.get("referer")
    parts = urlsplit(referer or "")
    if parts.netloc and parts.netloc == request.headers.get("host"):
        return _same_site_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    return "/"


def login_page(
    request: Request, status: int = 200, message: str | None = None, next_path: str = "/", name: str = ""
) -> Response:
    """The sign-in form (with a fresh sign-in CSRF token in the form and in a cookie)."""
    templates: Jinja2Templates = request.app.state.templates
    token = secrets.token_urlsafe(32)
    context = {"message": message, "next": next_path, "csrf": token, "name": name, "status": status}
    response = templates.TemplateResponse(request, "login.html", context, status_code=status)
    _set_cookie(response, request, LOGIN_COOKIE, token, LOGIN_FORM_AGE)
    return response


def refuse_anonymous(request: Request, message: str, next_path: str) -> Response:
    """401: JSON under /api/, else the sign-in form saying why."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=401)
    return login_page(request, 401, message, next_path)


async def _check_write(request: Request, session: Session | None) -> Response | None:
    """The refusal of a write by this session, or None when it may go on to its route."""
    if session is None:
        return refuse_anonymous(request, NOT_SIGNED_IN, _next_of(request))
    if not session.user.editor:
        return error_response(
            request, 403, f"{session.user.name} is a reader here; only editors make corrections"
        )
    given = request.headers.get("x-csrf-token")
    if given is None:
        given = (await form_fields(request)).get("csrf")
    if not _tokens_match(given, session.csrf):
        return error_response(request, 403, MISSING_HEADER if wants_json(request) else STALE_FORM)
    return None


def add_policy(app: FastAPI, *, private: bool) -> None:
    """Install the policy: who is signed in (``request.state.session``), and what they may do."""

    @app.middleware("http")
    async def accounts_policy(request: Request, call_next: Callable[..., Any]) -> Response:
        path = request.url.path
        if path.startswith("/static/"):
            return await _pass(request, call_next)
        token = request.cookies.get(cookie_name(request, SESSION_COOKIE))
        session = await run_in_threadpool(_lookup, request.app.state.db, token) if token else None
        request.state.session = session
        if path in OPEN_PATHS:
            return await _pass(request, call_next)
        if request.method in SAFE_METHODS:
            if private and session is None:
                if wants_json(request):
                    return JSONResponse({"detail": "sign in to read this corpus"}, status_code=401)
                target = path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            return await _pass(request, call_next)
        refused = await _check_write(request, session)
        return refused if refused is not None else await _pass(request, call_next)


async def _pass(request: Request, call_next: Callable[..., Any]) -> Response:
    response: Response = await call_next(request)
    return response


# Each password check takes 64 MiB for a moment (Argon2id): a burst of sign-ins waits its turn
# rather than taking the server's memory.
_CHECKING = threading.BoundedSemaphore(2)


def _sign_in(db: str, name: str, password: str, address: str) -> tuple[Session, str] | None:
    with _CHECKING:
        conn = connect(db)
        try:
            return users.sign_in(conn, name, password, address)
        finally:
            conn.close()


def _sign_out(db: str, token: str) -> None:
    conn = connect(db)
    try:
        users.sign_out(conn, token)
    finally:
        conn.close()


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _too_many(request: Request, exc: SignInRefused, next_path: str, name: str) -> Response:
    if wants_json(request):
        response: Response = JSONResponse({"detail": str(exc)}, status_code=429)
    else:
        response = login_page(request, 429, str(exc), next_path, name)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def add_routes(app: FastAPI) -> None:
    """Signing in and out: a form for people, JSON for programs."""
    from onrecord.web.corrections import cross_site

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, next: str = "/") -> Response:
        target = _same_site_path(next)
        if session_of(request) is not None:
            return RedirectResponse(target, status_code=303)
        return login_page(request, next_path=target)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await form_fields(request)
        target, name = _same_site_path(form.get("next")), form.get("name", "")[: users.MAX_NAME]
        if cross_site(request):
            return error_response(request, 403, "sign in from this site's own page")
        if not may_sign_in(request):
            return error_response(request, 403, NEEDS_HTTPS)
        if not _tokens_match(form.get("csrf"), request.cookies.get(cookie_name(request, LOGIN_COOKIE))):
            return login_page(request, 403, "the sign-in form had expired; please try again", target, name)
        try:
            started = await run_in_threadpool(
                _sign_in, request.app.state.db, name, form.get("password", ""), _address(request)
            )
        except SignInRefused as exc:
            return _too_many(request, exc, target, name)
        if started is None:
            return login_page(request, 401, "wrong name or password", target, name)
        earlier = request.cookies.get(cookie_name(request, SESSION_COOKIE))
        if earlier:  # one browser, one session: the one it had before ends
            await run_in_threadpool(_sign_out, request.app.state.db, earlier)
        response = RedirectResponse(target, status_code=303)
        _set_cookie(response, request, SESSION_COOKIE, started[1], users.SESSION_MAX)
        _clear_cookie(response, request, LOGIN_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        session, token = session_of(request), request.cookies.get(cookie_name(request, SESSION_COOKIE))
        if session is not None and token:
            if cross_site(request) or not _tokens_match(
                (await form_fields(request)).get("csrf"), session.csrf
            ):
                return error_response(request, 403, STALE_FORM)
            await run_in_threadpool(_sign_out, request.app.state.db, token)
        response = RedirectResponse("/", status_code=303)
        _clear_cookie(response, request, SESSION_COOKIE)
        return response

    add_api_routes(app, cross_site)


def add_api_routes(app: FastAPI, cross_site: Callable[[Request], bool]) -> None:
    """The JSON twins of signing in and out, and the session's CSRF token for programs."""

    @app.post("/api/login", summary="Sign in (a session cookie, and the CSRF token writes carry)")
    async def api_login(request: Request, given: SignIn) -> Any:
        """Sign in with a name and password; send the answer's ``csrf`` as ``X-CSRF-Token`` on writes."""
        if cross_site(request):
            return error_response(request, 403, "sign in from this site's own pages")
        if not may_sign_in(request):
            return error_response(request, 403, NEEDS_HTTPS)
        try:
            started = await run_in_threadpool(
                _sign_in, request.app.state.db, given.name, given.password, _address(request)
            )
        except SignInRefused as exc:
            return _too_many(request, exc, "/", given.name)
        if started is None:
            return error_response(request, 401, "wrong name or password")
        session, token = started
        response = JSONResponse({"name": session.user.name, "role": session.user.role, "csrf": session.csrf})
        _set_cookie(response, request, SESSION_COOKIE, token, users.SESSION_MAX)
        return response

    @app.get("/api/session", summary="Who is signed in, and the CSRF token their writes carry")
    def api_session(request: Request) -> Any:
        session = session_of(request)
        if session is None:
            return error_response(request, 401, "not signed in (POST /api/login)")
        return {"name": session.user.name, "role": session.user.role, "csrf": session.csrf}

    @app.post("/api/logout", summary="End this session")
    async def api_logout(request: Request) -> Any:
        session, token = session_of(request), request.cookies.get(cookie_name(request, SESSION_COOKIE))
        if session is not None and token:
            if cross_site(request) or not _tokens_match(request.headers.get("x-csrf-token"), session.csrf):
                return error_response(request, 403, MISSING_HEADER)
            await run_in_threadpool(_sign_out, request.app.state.db, token)
        response = JSONResponse({"signed_in": False})
        _clear_cookie(response, request, SESSION_COOKIE)
        return response
