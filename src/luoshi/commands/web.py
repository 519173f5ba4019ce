"""``luoshi serve``: the dashboard and REST API on one ledger."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from luoshi.errors import LuoshiError

err = Console(stderr=True)


def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Ledger: a SQLite file or an SQLAlchemy URL (default ./luoshi.db)."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind; the default is this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard and REST API (read-only unless LUOSHI_TOKEN is set)."""
    import uvicorn

    from luoshi.web import create_app, hooks

    try:
        app = create_app(db)
    except LuoshiError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if app.state.ledger.count_documents() == 0:
        err.print("[yellow]note:[/yellow] the ledger has no documents yet ([bold]luoshi ingest PATH[/bold] adds some).")
    if not _is_loopback(host):
        err.print(f"[yellow]note:[/yellow] serving on {host}: anyone who can reach it can read the ledger.")
    app.state.views.warm()
    hooks.refresh_tracking(app.state.views)
    writes = "writes need the LUOSHI_TOKEN bearer token" if os.environ.get("LUOSHI_TOKEN") else "read-only"
    err.print(f"luoshi dashboard at http://{_url_host(host)}:{port} ({writes})")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
