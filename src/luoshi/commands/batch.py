"""``luoshi batch``: restore and extract many pages in parallel into Parquet parts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from luoshi.batch import ENGINES, run_batch
from luoshi.errors import LuoshiError


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch(
        inputs: Annotated[list[str], typer.Argument(
            help="Folders, glob patterns, files, JSONL (text, optional name/id) or Parquet files.")],
        out: Annotated[str, typer.Option("--out", "-o", help="Output folder (or object-store URI).")],
        engine: Annotated[str, typer.Option(help=f"Engine: {' | '.join(ENGINES)}.")] = "local",
        workers: Annotated[int | None, typer.Option(
            help="Worker processes (default: all CPUs; on a cluster: as many as it schedules).")] = None,
        address: Annotated[str | None, typer.Option(
            help="Address of an existing Ray (or Dask) cluster, e.g. ray://head:10001.")] = None,
        partition_size: Annotated[int, typer.Option(help="Documents per partition.")] = 100,
        text_column: Annotated[str, typer.Option(help="Text column of Parquet inputs.")] = "text",
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Restore + extract pages in parallel into DIR/{documents,items,fixes}/part-*.parquet.

        A rerun with the same inputs skips finished partitions. Load the result with
        `luoshi ingest --from-parquet DIR`.
        """
        if engine not in ENGINES:
            _fail(f"--engine: unknown engine {engine!r} (choose {', '.join(ENGINES)})", 2)
        if workers is not None and workers < 1:
            _fail("--workers: must be at least 1", 2)
        try:
            summary = run_batch(inputs, out, engine=engine, workers=workers, address=address,
                                partition_size=partition_size, text_column=text_column, progress=not quiet)
        except LuoshiError as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted: finished partitions are kept; run the same command again to continue", 130)
        console = Console()
        console.print(
            f"{summary.documents} documents, {summary.items} items, {summary.failures} failures "
            f"in {summary.partitions} partitions ({summary.skipped} already done, {summary.processed} run now) "
            f"→ {summary.out}",
            markup=False, highlight=False,
        )
        if summary.processed:
            console.print(f"{summary.bytes_this_run / 1e6:.1f} MB in {summary.seconds:.1f} s "
                          f"({summary.mb_per_second:.2f} MB/s) on {len(summary.workers)} worker processes",
                          markup=False, highlight=False)
        if summary.failures:
            console.print(f"failures with reasons: {Path(summary.out) / 'failures.jsonl'}",
                          markup=False, highlight=False)
        if summary.stale:
            console.print(f"warning: {summary.stale} partitions in {summary.out} are not from these inputs",
                          markup=False, highlight=False)
        if summary.incomplete:
            console.print(f"{summary.incomplete} partitions did not finish: run the same command again",
                          markup=False, highlight=False)
            raise typer.Exit(1)
