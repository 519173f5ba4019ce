"""The shared progress bar: what it shows, and that a disabled one takes the same calls."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from luoshi.progress import progress_bar


@pytest.mark.parametrize(
    ("status", "fields", "shown"),
    [
        (None, {}, ["ingest", "3/3"]),
        ("{task.fields[status]}", {"status": "2 added, 1 failed"}, ["ingest", "3/3", "2 added, 1 failed"]),
    ],
)
def test_bar_shows_description_count_and_status(status: str | None, fields: dict[str, str], shown: list[str]) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress_bar(console=console, status=status) as bar:
        task = bar.add_task("ingest", total=3, **fields)
        for _ in range(3):
            bar.update(task, advance=1, **fields)
    text = out.getvalue()
    for part in shown:
        assert part in text


def test_disabled_bar_takes_the_same_calls_and_prints_nothing() -> None:
    out = io.StringIO()
    with progress_bar(enabled=False, console=Console(file=out), status="{task.fields[status]}") as bar:
        task = bar.add_task("ingest", total=2, status="")
        bar.update(task, advance=2, status="done")
        assert bar.tasks[0].completed == 2
    assert out.getvalue() == ""
