"""Which files a folder contributes as pages: one rule shared by restore, extract, ingest, batch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from luoshi.restore.files import page_files, walk_files

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
