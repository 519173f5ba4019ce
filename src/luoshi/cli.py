"""The ``luoshi`` command line: a thin Typer view over the Python API.

Each command lives in its own module under ``luoshi.commands`` and registers itself here.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="luoshi",
    help="Restore damaged Chinese local-government texts and keep a ledger of their commitments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Modules under luoshi.commands, each with register(app). A missing module is skipped so a
# partial install (no web extras, say) still has the other commands.
COMMAND_MODULES = ("restore", "extract", "ledger", "web", "analysis", "batch")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"luoshi.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"luoshi.commands.{name}":
                continue
            raise
        module.register(app)


_register_all()


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from luoshi.restore import BUILD

        typer.echo(f"luoshi {version('luoshi')} (restore: {BUILD})")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and build, then exit.",
    ),
) -> None:
    """Restore damaged Chinese local-government texts and keep a ledger of their commitments."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
