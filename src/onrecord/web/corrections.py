"""Corrections from the web: a person's form or JSON request -> ``onrecord.corpus.judgements`` -> the store.

The only routes that write. A browser form posts here from the article reader; a program posts
JSON to ``/api/quotes/{id}/speaker``. Requests another site's page makes are refused (Origin and
Fetch-Metadata checks), so a page elsewhere cannot make a judgement through a reader's browser.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from onrecord.corpus.judgements import correct_speaker
from onrecord.errors import OnrecordError
from onrecord.web import reads
from onrecord.web.app import error_response, reading

MAX_FORM_BYTES = 8_192
Id = Annotated[int, Path(ge=1)]


class SpeakerCorrection(BaseModel):
    """Who really spoke a quote: an actor's id or name (a new person when nobody has that name)."""

    speaker: str = Field(min_length=1, max_length=200)
    author: str | None = Field(
        default=None, max_length=100, description="who decides (default: the server's login)"
    )
    note: str | None = Field(default=None, max_length=1000)


def cross_site(request: Request) -> bool:
    """Whether a request comes from another site's page (which must not write here)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc != request.headers.get("host")


async def _form(request: Request) -> dict[str, str]:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return {}
    body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace")
    fields = parse_qs(body, max_num_fields=10)
    return {name: values[0].strip() for name, values in fields.items() if values}


def _correct(request: Request, quote_id: int, change: SpeakerCorrection) -> dict[str, Any]:
    judgement = correct_speaker(
        request.app.state.db, quote_id, change.speaker, author=change.author or None, note=change.note or None
    )
    return judgement.to_dict()


def add_routes(app: FastAPI) -> None:
    """Register the speaker-correction routes (form and JSON)."""

    @app.post("/articles/{article_id}/quotes/{quote_id}/speaker", include_in_schema=False)
    async def correct_from_form(request: Request, article_id: Id, quote_id: Id) -> Response:
        if cross_site(request):
            return error_response(request, 403, "corrections are made from this site's own pages")
        with reading(request) as conn:
            if reads.quote_article(conn, quote_id) != article_id:
                return error_response(request, 404, f"article {article_id} has no quote {quote_id}")
        form = await _form(request)
        try:
            change = SpeakerCorrection(
                speaker=form.get("speaker", ""), author=form.get("author"), note=form.get("note")
            )
            await run_in_threadpool(_correct, request, quote_id, change)
        except (OnrecordError, ValueError) as exc:
            return error_response(request, 400, str(exc))
        return RedirectResponse(f"/articles/{article_id}#q{quote_id}", status_code=303)

    @app.post("/api/quotes/{quote_id}/speaker", summary="Correct a quote's speaker (a judgement)")
    def correct_from_json(request: Request, quote_id: Id, change: SpeakerCorrection) -> Any:
        """Say who really spoke quote ``quote_id``; kept as a judgement and applied at once."""
        if cross_site(request):
            return error_response(request, 403, "corrections are made from this site's own pages")
        with reading(request) as conn:
            if reads.quote_article(conn, quote_id) is None:
                return error_response(request, 404, f"no quote {quote_id}")
        try:
            return _correct(request, quote_id, change)
        except OnrecordError as exc:
            return error_response(request, 400, str(exc))
