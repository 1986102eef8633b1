"""``onrecord serve``: a corpus database -> the web app (pages and JSON API) on a local address."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onrecord.cli.corpus import EXIT_INPUT, db_option
from onrecord.errors import OnrecordError

ANY_ADDRESS = ("0.0.0.0", "::")  # noqa: S104  (named only to decide which Host headers to accept)


def allowed_hosts(host: str) -> tuple[str, ...]:
    """The Host header values to serve: the local names, plus the address asked for; any when
    serving every interface (the person chose to expose it)."""
    from onrecord.web.app import LOCAL_HOSTS

    if host in ANY_ADDRESS:
        return ("*",)
    return tuple(dict.fromkeys((*LOCAL_HOSTS, host, f"[{host}]" if ":" in host else host)))


@click.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only by default)."
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on."
)
def serve(db: Path, host: str, port: int) -> None:
    """Serve the corpus as web pages, with a JSON API under /api (OpenAPI at /openapi.json)."""
    import uvicorn

    from onrecord.web.app import create_app

    try:
        app = create_app(db, allowed_hosts=allowed_hosts(host))
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"onrecord: serving {db} at http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
