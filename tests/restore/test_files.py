"""Which files a folder contributes as pages: one rule shared by restore, extract, ingest, batch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from luoshi.errors import InputError
from luoshi.restore.files import MAX_PAGE_BYTES, page_files, read_page, walk_files

# (relative files to create, expected pages in order)
CASES = [
    (["b.txt", "a.html", "c.htm", "d.text", "e.shtml", "f.xhtml"],
     ["a.html", "b.txt", "c.htm", "d.text", "e.shtml", "f.xhtml"]),
    (["notes.md", "image.jpg", "data.json", "page.TXT"], ["page.TXT"]),
    (["z/deep/page.txt", "a.txt", "m/page.html"], ["a.txt", "m/page.html", "z/deep/page.txt"]),
    ([".hidden.txt", ".git/objects.txt", "out/.page.txt.tmp", "out/page.txt"], ["out/page.txt"]),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_page_files(tmp_path: Path, files: list[str], expected: list[str]) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in page_files(tmp_path)] == expected


def test_fifo_is_not_a_page(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "page.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in page_files(tmp_path)] == ["page.txt"]


def test_walk_files_takes_other_suffixes(tmp_path: Path) -> None:
    for name in ("a.jsonl", "b.txt", "c.parquet"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in walk_files(tmp_path, {".jsonl", ".parquet"})] == ["a.jsonl", "c.parquet"]


# (how the path is made, what read_page says: None = returns the bytes)
READ_CASES = [
    ("page", None),
    ("absent", "no such file or folder"),
    ("folder", "is a folder"),
    ("fifo", "not a regular file"),
    ("huge", "too large for one page (17.0 MiB > 16 MiB)"),
    ("at_limit", None),
]


def _make(tmp_path: Path, how: str) -> Path:
    path = tmp_path / f"{how}.txt"
    if how == "page":
        path.write_bytes("示例页面".encode())
    elif how == "folder":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)
    elif how in ("huge", "at_limit"):
        with path.open("wb") as handle:  # sparse on disk
            handle.truncate(MAX_PAGE_BYTES + 2**20 if how == "huge" else MAX_PAGE_BYTES)
    return path


@pytest.mark.parametrize(("how", "reason"), READ_CASES)
def test_read_page(tmp_path: Path, how: str, reason: str | None) -> None:
    path = _make(tmp_path, how)
    if reason is None:
        assert read_page(path) == path.read_bytes()
        return
    with pytest.raises(InputError) as caught:
        read_page(path, label="p.txt")
    assert caught.value.reason == reason
    assert caught.value.source == "p.txt"
