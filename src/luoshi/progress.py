"""One progress bar for every long job (restore, extract, ingest, re-extract, batch).

Rich draws it on standard error, so the data a command prints on standard output stays
clean for pipes. A disabled bar is the same object with ``disable=True``: callers add and
advance tasks without checking whether it is shown.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def progress_bar(
    *,
    enabled: bool = True,
    console: Console | None = None,
    status: str | None = None,
    transient: bool = False,
) -> Progress:
    """A bar showing the task's description, done/total, elapsed and remaining time.

    ``status`` is a Rich template over the task's fields shown after the count (e.g.
    ``"{task.fields[status]}"``); ``transient`` bars vanish when done (for commands whose
    result is the files they write).
    """
    columns: list[ProgressColumn] = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn()]
    if status is not None:
        columns.append(TextColumn(status))
    columns += [TimeElapsedColumn(), TimeRemainingColumn()]
    return Progress(
        *columns, console=console or Console(stderr=True), transient=transient, disable=not enabled
    )
