"""Checking a page path before reading it: one rule for every command that reads pages.

Only regular files are pages. Reading a FIFO blocks until some other process writes to
it (forever, usually), and a device such as ``/dev/zero`` never ends, so they are refused
up front with one clear reason instead.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from luoshi.errors import InputError

# What a folder contributes as pages, for every command that takes folders.
PAGE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".shtml", ".xhtml"})


def file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as a page (missing, not a regular file…), or None."""
    try:
        mode = Path(path).stat().st_mode
    except OSError as exc:
        return _open_problem(exc)
    return _mode_problem(mode)


def _open_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    return f"cannot read: {exc.strerror or exc}"


def _mode_problem(mode: int) -> str | None:
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


# One page is a few hundred kB at most; anything this large is not a page (a dump, a disk
# image, a log) and would only be read into memory to be refused by restore.
MAX_PAGE_BYTES = 16 * 1024 * 1024


def read_page(path: str | Path, *, label: str | None = None) -> bytes:
    """The bytes of the page file ``path``, or :class:`InputError` naming it (``label``, else
    the path): missing, not a regular file, unreadable, or larger than ``MAX_PAGE_BYTES``.
    The one rule for every command that reads page files."""
    source = label or str(path)
    try:
        # one open, and the checks on what was opened (no stat of the path before): an
        # ingest reads thousands of pages. Non-blocking, because opening a FIFO for
        # reading would otherwise wait for a writer; reads of a regular file ignore it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(_open_problem(exc), source=source) from None
    try:
        status = os.fstat(fd)
        problem = _mode_problem(status.st_mode)
        if problem is not None:
            raise InputError(problem, source=source)
        if status.st_size > MAX_PAGE_BYTES:
            raise InputError(_too_large(status.st_size), source=source)
        with open(fd, "rb", closefd=False) as file:
            data = file.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    finally:
        os.close(fd)
    if len(data) > MAX_PAGE_BYTES:  # grew after the size check
        raise InputError(_too_large(len(data)), source=source)
    return data


def _too_large(size: int) -> str:
    return f"too large for one page ({size / 2**20:.1f} MiB > {MAX_PAGE_BYTES // 2**20} MiB)"


def walk_files(folder: Path, suffixes: Iterable[str]) -> Iterator[Path]:
    """Regular files under ``folder`` with one of ``suffixes``, walking folders in name order.

    Hidden files and folders (``.git``, the ``.x.tmp`` files of an atomic write) are
    skipped, and so is anything that is not a regular file (a FIFO would hang the reader).
    """
    wanted = frozenset(suffixes)
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and path.suffix.lower() in wanted and file_problem(path) is None:
                yield path


def page_files(folder: Path) -> list[Path]:
    """The page files under ``folder``, recursively, sorted by path."""
    return sorted(walk_files(folder, PAGE_SUFFIXES))
