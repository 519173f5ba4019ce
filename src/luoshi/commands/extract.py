"""``luoshi extract``: raw pages in, one commitment record per page out (JSON Lines or a table)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from luoshi.errors import EmptyInputError, LuoshiError
from luoshi.extract import extract as extract_record
from luoshi.progress import progress_bar
from luoshi.restore import restore
from luoshi.restore.files import page_files, read_page
from luoshi.types import Document, Meta, OffsetMap, Record


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders expand to the pages inside them (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from page_files(path)
        else:
            yield path


def extract_file(path: Path) -> Record:
    """Restore and extract one raw page; LuoshiError (naming the file) when it cannot be read."""
    raw = read_page(path)
    try:
        doc = restore(raw, name=path.stem)
    except EmptyInputError:
        # An empty page is no failure: its record is empty and says why in `warnings`.
        doc = Document(path.stem, "", "", Meta(), [], OffsetMap.identity(0))
    except LuoshiError as exc:
        raise type(exc)(exc.reason, source=str(path)) from None
    return extract_record(doc)


def write_jsonl_atomic(records: list[Record], out: Path) -> None:
    """Write all records or nothing: a temporary file beside ``out``, then one rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def records_table(records: list[Record]) -> Table:
    table = Table(title="commitments", show_lines=False)
    for column in ("doc", "place", "kind", "item", "evidence"):
        table.add_column(column, overflow="fold")
    for record in records:
        place = record.place.name if record.place else "-"
        if not record.items:
            table.add_row(record.doc, place, "-", "(no commitments)", "; ".join(record.warnings))
        for item in record.items:
            f = item.fields
            if item.kind == "target":
                bound = f"{f.get('value')}" + (f"-{f['value_max']}" if f.get("value_max") is not None else "")
                label = f"{f.get('metric')} {f.get('op')} {bound} {f.get('unit')}"
                if f.get("period"):
                    label += f" ({f['period']})"
            elif item.kind == "project":
                label = " ".join(str(x) for x in (f.get("name"), f.get("stage"), f.get("deadline")) if x)
            else:
                label = str(f.get("name"))
            table.add_row(record.doc, place, item.kind, label, item.evidence)
    return table


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract(
        paths: Annotated[
            list[Path], typer.Argument(metavar="PATH", help="Raw pages, or folders of them (.txt/.html).")
        ],
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="JSON Lines file to write (default: standard output)."),
        ] = None,
        output_format: Annotated[
            OutputFormat, typer.Option("--format", "-f", help="jsonl (records) or table (readable).")
        ] = OutputFormat.jsonl,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Restore each page and extract its commitment record (place, officials, sectors, items).

        Every item carries the evidence clause of the restored body, its span there and its
        span in the raw page. Unreadable pages are reported one line each and make the exit
        status 1; the others are still written.
        """
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        files = list(iter_inputs(paths))
        if not files:
            err.print("error: no input pages found", markup=False)
            raise typer.Exit(1)
        records: list[Record] = []
        failures = 0
        with progress_bar(enabled=not quiet and len(files) >= 2, console=err, transient=True) as progress:
            task = progress.add_task("extract", total=len(files))
            for path in files:
                try:
                    record = extract_file(path)
                except LuoshiError as exc:
                    failures += 1
                    err.print(f"{exc.source or path}: {exc.reason}", markup=False)
                except Exception as exc:  # a bug must not cost the other pages their records
                    failures += 1
                    err.print(f"{path}: extraction failed ({type(exc).__name__}: {exc})", markup=False)
                else:
                    records.append(record)
                    for warning in record.warnings:
                        err.print(f"{path}: warning: {warning}", markup=False)
                progress.advance(task)
        if output_format is OutputFormat.table:
            Console().print(records_table(records))
        elif out is None:
            for record in records:
                typer.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        if out is not None and records:  # nothing extracted: leave an existing file as it was
            try:
                write_jsonl_atomic(records, out)
            except OSError as exc:
                err.print(f"{out}: cannot write: {exc.strerror or exc}", markup=False)
                raise typer.Exit(1) from None
            items = sum(len(r.items) for r in records)
            err.print(f"{len(records)} records, {items} items → {out}", markup=False)
        if failures:
            raise typer.Exit(1)
