"""``luoshi restore``: outputs, bad inputs (one line each, no traceback), exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luoshi.cli import app

PAGE = "示例｜青禾县召开推进会\n2024-03-05 09:30 来源：青禾融媒体中心\n\n會議要求,全年新增就業崗位3000個以上。\n責任編輯:陳潔\n"
BODY = "会议要求,全年新增就业岗位3000个以上。"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

runner = CliRunner()


def _run(*args: str, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["restore", *args], input=stdin)


def test_restores_files_and_writes_body_and_meta(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE, encoding="utf-8")
    result = _run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "page.txt").read_text(encoding="utf-8") == BODY + "\n"
    record = json.loads((tmp_path / "out" / "page.json").read_text(encoding="utf-8"))
    assert record["meta"]["date"] == "2024-03-05"
    assert record["meta"]["editors"] == ["陈洁"]
    assert {f["kind"] for f in record["fixes"]} >= {"t2s"}
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temp files left


def test_stdin(tmp_path: Path) -> None:
    result = _run("-", "-o", str(tmp_path), stdin=PAGE.encode("gb18030"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "stdin.txt").read_text(encoding="utf-8") == BODY + "\n"


def test_diff_shows_changes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    result = _run(str(path), "-o", str(tmp_path / "out"), "--diff")
    assert result.exit_code == 0
    assert "會議" in result.output and "会议" in result.output


BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("image.txt", PNG, "PNG"),
    ("random.txt", bytes((i * 7919 + 13) % 256 for i in range(4096)), "not text"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_INPUTS)
def test_bad_input_is_one_line_and_good_files_still_done(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = _run(str(bad), str(good), "-o", str(out))
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if name in ln]
    assert len(lines) == 1 and reason in lines[0], result.output
    assert "Traceback" not in result.output
    assert (out / "good.txt").exists()
    assert not (out / f"{Path(name).stem}.txt").exists()  # nothing half-written


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.md").write_text("x", encoding="utf-8")
    result = _run(str(tmp_path / "absent.txt"), str(tmp_path / "nothing"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "absent.txt: no such file or folder" in result.output
    assert "nothing: folder has no text files" in result.output


def test_too_large_single_line_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # 50 MB, one line, sparse on disk
        handle.truncate(50 * 1024 * 1024)
    result = _run(str(big), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "big.txt: too large for one page" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run(str(tmp_path)).exit_code == 2  # no -o
    assert _run(str(tmp_path), "-o", str(tmp_path / "o"), "--disable", "nope").exit_code == 2


def test_console_script_exit_status(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it: status 1 and one stderr line."""
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi.cli",
            "restore",
            str(tmp_path / "empty.txt"),
            "-o",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert proc.returncode == 1
    assert "empty.txt: empty input" in proc.stderr
    assert "Traceback" not in proc.stderr
