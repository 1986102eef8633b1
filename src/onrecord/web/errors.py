"""Errors in words: a page in the site's layout for a person, JSON under ``/api/`` for a program.

A path that is not a page (404), a parameter that is not what it should be (422: "month: '2020-13'
is not a month; give YYYY-MM"), a number past what SQLite holds (400) and a fault of onrecord's own
(500, logged, never a traceback on the page) each say what was wrong. Under ``/api/`` a validation
error keeps FastAPI's list of errors (programs read it) with the same sentence beside it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

log = logging.getLogger("onrecord.web")

# What a parameter is, for the sentences below (by name; others are named as they are).
_WANTED = {
    "month": "a month; give YYYY-MM, e.g. 2020-10",
    "limit": "a number of rows per page",
    "offset": "a number of rows to skip, 0 or more",
    "min_confidence": "a confidence between 0 and 1",
    "language": "a language code of two letters, e.g. de",
    "article_id": "an article number",
    "story_id": "a story number",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as JSON for the API, as a page for a person."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    context = {"status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def explain(errors: list[dict[str, Any]]) -> str:
    """A validation error as one sentence per wrong parameter ("month: '2020-13' is not a month...")."""
    parts = []
    for error in errors:
        name = str(error.get("loc", ("", "?"))[-1])
        given = error.get("input")
        kind = str(error.get("type", ""))
        wanted = _WANTED.get(name)
        ctx = error.get("ctx") or {}
        if kind == "missing":
            parts.append(f"{name} is missing")
            continue
        if kind == "value_error":  # a check of onrecord's own, already a sentence
            parts.append(str(error.get("msg", "")).removeprefix("Value error, "))
        elif kind in ("greater_than_equal", "greater_than"):
            bound = ctx.get("ge", ctx.get("gt"))
            parts.append(f"{name}: {given!r} is too small (at least {bound})")
        elif kind in ("less_than_equal", "less_than"):
            bound = ctx.get("le", ctx.get("lt"))
            parts.append(f"{name}: {given!r} is too large (at most {bound})")
        elif kind == "string_too_long":
            parts.append(f"{name}: too long (at most {ctx.get('max_length')} characters)")
        elif wanted:
            parts.append(f"{name}: {given!r} is not {wanted}")
        else:
            parts.append(f"{name}: {given!r} is not valid ({error.get('msg', kind)})")
    return "; ".join(parts) or "the request is not valid"


def add_error_handlers(app: FastAPI, not_found: type[Exception]) -> None:
    """Install the handlers; ``not_found`` is the views' exception for a missing thing."""

    @app.exception_handler(not_found)
    async def missing(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return error_response(request, 404, f"there is no page at {request.url.path}")
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [dict(e) for e in exc.errors()]
        sentence = explain(errors)
        if wants_json(request):  # programs keep FastAPI's list, with the sentence beside it
            return JSONResponse({"detail": _jsonable(errors), "message": sentence}, status_code=422)
        return error_response(request, 422, sentence)

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, _exc: OverflowError) -> Response:
        # An id or offset past SQLite's 64-bit integers (?offset=999...9) was a 500.
        return error_response(request, 400, "a number in the request is too large")

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "something went wrong on onrecord's side; the error is logged")


def _jsonable(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v if isinstance(v, (str, int, float, bool, list, tuple, type(None))) else str(v))
             for k, v in e.items() if k != "ctx"} for e in errors]  # fmt: skip
