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


def loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to listen on) is this machine only."""
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _say_who_may_sign_in(db: Path, private: bool) -> None:
    from onrecord.corpus.users import has_editor
    from onrecord.store.sqlite import connect

    conn = connect(db, readonly=True)
    try:
        editors = has_editor(conn)
    finally:
        conn.close()
    reading = "reading and corrections need" if private else "corrections need"
    click.echo(
        f"onrecord: accounts on: {reading} a signed-in user (`onrecord users list --db {db}`)", err=True
    )
    if not editors:
        click.echo(f"onrecord: no editor yet: add one with `onrecord users add NAME --db {db}`", err=True)


READ_ONLY = (
    "this corpus is served read-only from the Parquet output of `onrecord spark`: a correction here"
    " would be lost when the output changes; to make corrections, serve it with"
    " `onrecord serve --parquet DIR --db FILE` (a writable store of your own)"
)


@click.command()
@db_option
@click.option(
    "--parquet",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Serve the Parquet output of `onrecord spark` instead: it is loaded (DuckDB) into a SQLite"
    " store made by the same migrations, cached and rebuilt only when the output changes, and served"
    " read-only (corrections refused) unless --db names the store to keep, which then takes corrections.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only by default)."
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--accounts",
    "force_accounts",
    is_flag=True,
    help="Corrections need a signed-in editor (`onrecord users`) even on loopback; on by itself when"
    " --host is not a loopback address.",
)
@click.option("--private", is_flag=True, help="Reading needs a signed-in user too (turns --accounts on).")
@click.pass_context
def serve(
    ctx: click.Context,
    db: Path,
    parquet: Path | None,
    host: str,
    port: int,
    force_accounts: bool,
    private: bool,
) -> None:
    """Serve the corpus as web pages, with a JSON API under /api (OpenAPI at /openapi.json).

    Beyond loopback (--host other than 127.0.0.1) every correction needs a signed-in editor; sign-in
    then needs https (serve behind an https proxy on this machine).
    """
    import uvicorn

    from onrecord.web.app import create_app

    read_only: str | None = None
    accounts = force_accounts or private or not loopback(host)
    try:
        if parquet is not None:
            db, read_only = _from_parquet(ctx, parquet, db)
            if read_only is not None and private:
                raise OnrecordError(
                    "--private keeps its users in the store; give --db FILE for a store of your own"
                )
        app = create_app(
            db, allowed_hosts=allowed_hosts(host), read_only=read_only, accounts=accounts, private=private
        )
        if accounts:
            _say_who_may_sign_in(db, private)
    except OnrecordError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"onrecord: serving {db} at http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _from_parquet(ctx: click.Context, parquet: Path, db: Path) -> tuple[Path, str | None]:
    """The store to serve for a Parquet output, and the read-only message (None: --db, writable)."""
    from onrecord.store.load import load

    own = ctx.get_parameter_source("db") is not click.core.ParameterSource.DEFAULT
    loaded = load(parquet, db if own else None)
    state = "loaded" if loaded.built else "unchanged since it was loaded"
    click.echo(f"onrecord: {parquet} {state} into {loaded.path}", err=True)
    return loaded.path, None if own else READ_ONLY
