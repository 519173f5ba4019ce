"""``luoshi restore PATH... -o OUTDIR``: restore pages, write ``<stem>.txt`` and ``<stem>.json``.

Exit status: 0 when every input was restored, 1 when any input failed (each failure is
one line ``path: reason`` on stderr; the other inputs are still processed), 2 for usage
errors (no such option, no output folder…).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from luoshi.errors import InputError, LuoshiError
from luoshi.progress import progress_bar
from luoshi.restore import list_stages, restore
from luoshi.restore.files import MAX_PAGE_BYTES, PAGE_SUFFIXES, file_problem, page_files, read_page
from luoshi.types import Document

# One page is a few hundred kB; anything this large is not a page.

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def iter_inputs(paths: list[str], failures: list[str]) -> Iterator[tuple[str, Path | None]]:
    """(label, path) for every input; ``-`` is stdin (path None). Bad paths go to failures."""
    for raw in paths:
        if raw == "-":
            yield "-", None
            continue
        path = Path(raw)
        if path.is_dir():
            files = page_files(path)
            if not files:
                failures.append(f"{path}: folder has no text files ({', '.join(sorted(PAGE_SUFFIXES))})")
            yield from ((str(f), f) for f in files)
        elif (problem := file_problem(path)) is not None:
            failures.append(f"{path}: {problem}")
        else:
            yield str(path), path


def read_input(label: str, path: Path | None) -> bytes:
    if path is not None:
        return read_page(path, label=label)
    data = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(f"too large for one page (> {MAX_PAGE_BYTES // 2**20} MiB)", source=label)
    return data


def write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(doc: Document, outdir: Path, stem: str) -> None:
    body = doc.text + ("\n" if doc.text and not doc.text.endswith("\n") else "")
    record = doc.to_dict()
    record["text_length"] = len(doc.text)
    write_atomic(outdir / f"{stem}.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    write_atomic(outdir / f"{stem}.txt", body)


def render_diff(doc: Document) -> Text:
    """The raw text with removals struck through in red and replacements in green."""
    marks: list[tuple[int, int, str, str]] = [
        (r.raw.start, r.raw.end, "", "removed") for r in doc.meta.removed
    ]
    marks += [(f.raw.start, f.raw.end, f.after, f.kind) for f in doc.fixes if f.kind != "space"]
    marks.sort(key=lambda m: (m[0], -m[1]))
    text = Text()
    pos = 0
    for start, end, after, kind in marks:
        if start < pos:
            continue
        text.append(doc.raw[pos:start])
        text.append(doc.raw[start:end], style="red strike" if kind != "removed" else "dim red strike")
        if after:
            text.append(after, style="bold green")
        pos = end
    text.append(doc.raw[pos:])
    return text


def _unique_stem(label: str, path: Path | None, used: set[str]) -> str:
    stem = "stdin" if path is None else path.stem
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate


def restore_command(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched for .txt/.html) or - for stdin.")
    ],
    outdir: Annotated[Path, typer.Option("-o", "--out", help="Folder for <stem>.txt and <stem>.json.")],
    diff: Annotated[bool, typer.Option("--diff", help="Print a coloured raw → restored diff.")] = False,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="Switch a repair stage off (repeatable).")
    ] = None,
) -> None:
    """Restore damaged pages into clean simplified text plus a meta/fix log."""
    skip = set(disable or ())
    unknown = skip - {name for name, _ in list_stages()}
    if unknown:
        raise typer.BadParameter(f"unknown stage(s): {', '.join(sorted(unknown))}", param_hint="--disable")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise typer.BadParameter(f"cannot create {outdir}: {exc.strerror}", param_hint="-o") from None
    failures: list[str] = []
    inputs = list(iter_inputs(paths, failures))
    used: set[str] = set()
    done = 0
    progress = progress_bar(enabled=len(inputs) >= 2 and not diff, console=err, transient=True)
    with progress:
        task = progress.add_task("restore", total=len(inputs))
        for label, path in inputs:
            try:
                data = read_input(label, path)
                doc = restore(data, name=label, disable=skip)
                write_outputs(doc, outdir, _unique_stem(label, path, used))
                done += 1
                if diff:
                    out.rule(label)
                    out.print(render_diff(doc))
            except LuoshiError as exc:
                failures.append(f"{exc.source or label}: {exc.reason}")
            except (OSError, UnicodeError, ValueError) as exc:
                failures.append(f"{label}: {type(exc).__name__}: {exc}")
            progress.advance(task)
    # plain lines (no wrapping): one line per failed input, easy to grep
    for line in failures:
        typer.secho(line, err=True, fg="red")
    if len(inputs) > 1 or failures:
        typer.echo(f"restored {done} of {done + len(failures)} input(s) into {outdir}", err=True)
    if failures:
        raise typer.Exit(1)


def stages_command() -> None:
    """List the repair stages in the order they run."""
    for name, doc in list_stages():
        out.print(f"{name:16} {doc}")


def register(app: typer.Typer) -> None:
    app.command("restore")(restore_command)
    app.command("restore-stages")(stages_command)
