"""Checking a page path before reading it: one rule for every command that reads pages.

Only regular files are pages. Reading a FIFO blocks until some other process writes to
it (forever, usually), and a device such as ``/dev/zero`` never ends, so they are refused
up front with one clear reason instead.
"""

from __future__ import annotations

import stat
from pathlib import Path

from luoshi.errors import InputError


def file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as a page (missing, not a regular file…), or None."""
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def ensure_regular_file(path: str | Path) -> None:
    """Raise :class:`InputError` naming ``path`` unless it is a readable regular file."""
    problem = file_problem(path)
    if problem is not None:
        raise InputError(problem, source=str(path))
