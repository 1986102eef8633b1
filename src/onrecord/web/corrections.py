"""Corrections from the web: a person's form or JSON request -> ``onrecord.corpus.judgements`` -> the store.

The only routes that write. Browser forms post here from the article reader (a quote's speaker) and
the actor page (merge two actors, split an alias off); a program posts the same as JSON under
``/api/``. Requests another site's page makes are refused (Origin and Fetch-Metadata checks), so a
page elsewhere cannot make a judgement through a reader's browser. With accounts on
(``web/accounts.py``) a write needs a signed-in editor and its CSRF token, and is recorded as theirs.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, model_validator

from onrecord.corpus.judgements import correct_speaker, merge_actors, split_actor, split_target
from onrecord.errors import OnrecordError
from onrecord.web import reads
from onrecord.web.accounts import form_fields, judged_by
from onrecord.web.app import reading
from onrecord.web.errors import error_response

Id = Annotated[int, Path(ge=1)]


class SpeakerCorrection(BaseModel):
    """Who really spoke a quote: an actor's id or name (a new person when nobody has that name)."""

    speaker: str = Field(min_length=1, max_length=200)
    author: str | None = Field(
        default=None,
        max_length=100,
        description="who decides (default: the server's login; with accounts, always the signed-in editor)",
    )
    note: str | None = Field(default=None, max_length=1000)


class ActorMerge(BaseModel):
    """Make two actors one: name the other (id or name) as ``into`` (this actor is absorbed into it)
    or as ``absorb`` (it is absorbed into this actor)."""

    into: str | None = Field(default=None, min_length=1, max_length=200)
    absorb: str | None = Field(default=None, min_length=1, max_length=200)
    author: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def one_other(self) -> ActorMerge:
        if (self.into is None) == (self.absorb is None):
            raise ValueError("name the other actor once: as into or as absorb")
        return self


class ActorSplit(BaseModel):
    """Split off the articles that name this actor ``alias``: they go to the actor that name means."""

    alias: str = Field(min_length=1, max_length=200)
    author: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=1000)


def cross_site(request: Request) -> bool:
    """Whether a request comes from another site's page (which must not write here)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc != request.headers.get("host")


async def _form(request: Request) -> dict[str, str]:
    """A correction form's fields (``accounts.form_fields``), each without surrounding spaces."""
    return {name: value.strip() for name, value in (await form_fields(request)).items()}


def _correct(request: Request, quote_id: int, change: SpeakerCorrection) -> dict[str, Any]:
    judgement = correct_speaker(
        request.app.state.db,
        quote_id,
        change.speaker,
        author=judged_by(request, change.author or None),
        note=change.note or None,
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


def _merge(request: Request, actor_id: str, change: ActorMerge) -> dict[str, Any]:
    keep, absorb = (change.into, actor_id) if change.into else (actor_id, str(change.absorb))
    judgement = merge_actors(
        request.app.state.db,
        keep,
        absorb,
        author=judged_by(request, change.author or None),
        note=change.note or None,
    )
    return {**judgement.to_dict(), "actor": judgement.value}


def _split(request: Request, actor_id: str, type_: str, change: ActorSplit) -> dict[str, Any]:
    judgement = split_actor(
        request.app.state.db,
        actor_id,
        change.alias,
        author=judged_by(request, change.author or None),
        note=change.note or None,
    )
    return {
        **judgement.to_dict(),
        "actor": actor_id,
        "split_to": split_target(actor_id, judgement.value, type_),
    }


def _refusal(request: Request, actor_id: str) -> Response | str:
    """The response refusing a change to ``actor_id`` (another site's page, no such actor), else its type."""
    if cross_site(request):
        return error_response(request, 403, "corrections are made from this site's own pages")
    with reading(request) as conn:
        type_ = reads.actor_type(conn, actor_id)
    return error_response(request, 404, f"no actor with id {actor_id!r}") if type_ is None else type_


def _blank_is_none(form: dict[str, str], *names: str) -> dict[str, str | None]:
    return {name: form.get(name) or None for name in names}


def add_actor_routes(app: FastAPI) -> None:
    """Register merging and splitting actors (forms on the actor page, and JSON)."""

    @app.post("/actors/{actor_id}/merge", include_in_schema=False)
    async def merge_from_form(request: Request, actor_id: str) -> Response:
        refused = _refusal(request, actor_id)
        if isinstance(refused, Response):
            return refused
        form = await _form(request)
        try:
            change = ActorMerge(**_blank_is_none(form, "into", "absorb", "author", "note"))
            done = await run_in_threadpool(_merge, request, actor_id, change)
        except (OnrecordError, ValueError) as exc:
            return error_response(request, 400, str(exc))
        return RedirectResponse(f"/actors/{quote(done['actor'], safe='')}#corrections", status_code=303)

    @app.post("/actors/{actor_id}/split", include_in_schema=False)
    async def split_from_form(request: Request, actor_id: str) -> Response:
        refused = _refusal(request, actor_id)
        if isinstance(refused, Response):
            return refused
        form = await _form(request)
        try:
            change = ActorSplit(alias=form.get("alias", ""), **_blank_is_none(form, "author", "note"))
            await run_in_threadpool(_split, request, actor_id, refused, change)
        except (OnrecordError, ValueError) as exc:
            return error_response(request, 400, str(exc))
        return RedirectResponse(f"/actors/{quote(actor_id, safe='')}#corrections", status_code=303)

    @app.post("/api/actors/{actor_id}/merge", summary="Merge two actors into one (a judgement)")
    def merge_from_json(request: Request, actor_id: str, change: ActorMerge) -> Any:
        """Make actor ``actor_id`` and another one; ``actor`` in the answer is the id that remains."""
        refused = _refusal(request, actor_id)
        if isinstance(refused, Response):
            return refused
        try:
            return _merge(request, actor_id, change)
        except OnrecordError as exc:
            return error_response(request, 400, str(exc))

    @app.post("/api/actors/{actor_id}/split", summary="Split an alias off an actor (a judgement)")
    def split_from_json(request: Request, actor_id: str, change: ActorSplit) -> Any:
        """Move the articles naming actor ``actor_id`` as ``alias`` to their own actor (``split_to``)."""
        refused = _refusal(request, actor_id)
        if isinstance(refused, Response):
            return refused
        try:
            return _split(request, actor_id, refused, change)
        except OnrecordError as exc:
            return error_response(request, 400, str(exc))
