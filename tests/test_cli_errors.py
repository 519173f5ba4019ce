"""Bad input across commands: one line, the right exit status, no hang, no noise.

Bad database URLs in every command that opens a ledger, FIFOs and devices given as
pages, dates that are not dates, and ingest runs in which inputs failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luoshi.batch.sources import expand_inputs
from luoshi.cli import app
from luoshi.commands.ledger import date_bound
from luoshi.errors import InputError, LedgerError
from luoshi.ledger import Ledger
from luoshi.ledger.db import display_url

runner = CliRunner()

PAGE_2024 = "示例市召开项目推进会\n2024-03-01\n\n会上,示例市表示,今年将确保青石河储能项目年内开工。\n"
PAGE_2025 = "示例县召开项目推进会\n2025-11-20\n\n会上,示例县表示,今年将确保白鹭湾储能项目年内开工。\n"
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _one_error_line(result, needle: str) -> str:
    """The single non-empty stderr line of a failed command, checked for ``needle``."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0] and "Traceback" not in result.output
    return lines[0]


# ---- database URLs ---------------------------------------------------------------------

BAD_URLS = [
    "mysql://x@y/z",  # a dialect whose driver is not installed
    "foo://x/y",  # no such dialect
    "postgresql+asyncpg://x@y/z",  # an async driver
    "sqlite+aiosqlite:///ledger.db",
    "postgresql://x:secret@[::1",  # malformed: unclosed IPv6 host
]
COMMANDS = [
    ["ingest", "{page}", "-q"],
    ["search", "储能"],
    ["export", "-o", "{tmp}/out.csv"],
    ["reextract", "-q"],
    ["serve"],
    ["track"],
    ["compare", "甲市", "乙市"],
    ["score"],
    ["override", "1", "achieved"],
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_database_url_is_one_line_in_every_command(tmp_path: Path, command: list[str], url: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE_2024, encoding="utf-8")
    args = [a.format(page=page, tmp=tmp_path) for a in command]
    result = runner.invoke(app, [*args, "--db", url])
    assert result.exit_code == 1, result.output
    line = _one_error_line(result, "unsupported or malformed database URL (sqlite or postgresql+psycopg only)")
    assert "secret" not in line
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_database_url_in_the_api(url: str) -> None:
    with pytest.raises(LedgerError, match="unsupported or malformed") as caught:
        Ledger(url)
    assert "secret" not in str(caught.value)


DISPLAYED = [
    ("postgresql+psycopg://u:secret@db:5432/l", "postgresql+psycopg://u:***@db:5432/l"),
    ("postgresql://u:secret@[::1", "postgresql://u:***@[::1"),  # malformed, still no password
    ("sqlite:////tmp/l.db", "sqlite:////tmp/l.db"),
]


@pytest.mark.parametrize(("url", "shown"), DISPLAYED)
def test_display_url_hides_the_password(url: str, shown: str) -> None:
    assert display_url(url) == shown


# ---- FIFOs and devices -------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.txt"
    os.mkfifo(path)
    return path


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "command",
    [
        ["extract", "{fifo}"],
        ["ingest", "{fifo}", "--db", "{tmp}/l.db", "-q"],
        ["restore", "{fifo}", "-o", "{tmp}/restored"],
        ["batch", "{fifo}", "-o", "{tmp}/batch", "-q"],
    ],
    ids=lambda c: c[0],
)
def test_fifo_is_refused_not_read(tmp_path: Path, fifo: Path, command: list[str]) -> None:
    result = runner.invoke(app, [a.format(fifo=fifo, tmp=tmp_path) for a in command])
    assert result.exit_code == 1, result.output
    assert f"{fifo}: not a regular file" in result.stderr
    assert "Traceback" not in result.output


def test_batch_folder_walk_skips_a_fifo(tmp_path: Path, fifo: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE_2024, encoding="utf-8")
    assert expand_inputs([tmp_path]) == [str(tmp_path / "page.txt")]
    assert expand_inputs([str(tmp_path / "*.txt")]) == [str(tmp_path / "page.txt")]
    with pytest.raises(InputError, match="not a regular file"):
        expand_inputs([fifo])


# ---- ingest exit status ------------------------------------------------------------------

INGEST_FAILURES = [
    ("/dev/null", "not a regular file"),
    ("{tmp}/image.txt", "image.txt"),
    ("{tmp}/missing.txt", "no such file"),
]


@pytest.mark.parametrize(("given", "reason"), INGEST_FAILURES)
@pytest.mark.parametrize("with_good_page", [False, True], ids=["alone", "with-good-page"])
def test_ingest_exits_1_when_any_input_failed(tmp_path: Path, given: str, reason: str, with_good_page: bool) -> None:
    (tmp_path / "image.txt").write_bytes(IMAGE)
    good = tmp_path / "good.txt"
    good.write_text(PAGE_2024, encoding="utf-8")
    db = tmp_path / "l.db"
    inputs = [given.format(tmp=tmp_path), *([str(good)] if with_good_page else [])]
    result = runner.invoke(app, ["ingest", *inputs, "--db", str(db), "-q", "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["failed"]] == [inputs[0]]
    assert reason in report["failed"][0]["reason"] or reason in report["failed"][0]["path"]
    assert report["added"] == (1 if with_good_page else 0)


def test_ingest_exits_0_when_every_input_was_stored(tmp_path: Path) -> None:
    page = tmp_path / "good.txt"
    page.write_text(PAGE_2024, encoding="utf-8")
    for _ in range(2):  # stored, then unchanged: neither is a failure
        result = runner.invoke(app, ["ingest", str(page), "--db", str(tmp_path / "l.db"), "-q"])
        assert result.exit_code == 0, result.output


def test_ingest_quiet_prints_nothing_on_stderr(tmp_path: Path) -> None:
    """jieba's "Loading model from cache…" chatter included (a subprocess: its logger
    holds the real stderr)."""
    page = tmp_path / "good.txt"
    page.write_text(PAGE_2024, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "luoshi.cli", "ingest", str(page), "--db", str(tmp_path / "l.db"),
                             "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# ---- dates -------------------------------------------------------------------------------

DATE_BOUNDS = [
    ("2024-03-05", False, "2024-03-05"),
    ("2024-03-05", True, "2024-03-05"),
    ("2024", False, "2024-01-01"),
    ("2024", True, "2024-12-31"),
    ("2024-02", False, "2024-02-01"),
    ("2024-02", True, "2024-02-29"),  # leap year
    ("2023-02", True, "2023-02-28"),
    (" 20240105 ", False, "2024-01-05"),  # the compact ISO form, normalised for string comparison
]


@pytest.mark.parametrize(("value", "end", "expected"), DATE_BOUNDS)
def test_date_bound(value: str, end: bool, expected: str) -> None:
    assert date_bound(value, end=end) == expected


BAD_DATES = ["2024-13-45", "notadate", "2024-02-30", "2024-13", "24", ""]


@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize(
    "command", [["search", "储能"], ["export", "-o", "{tmp}/out.jsonl"]], ids=lambda c: c[0]
)
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_bad_date_is_a_usage_error(tmp_path: Path, command: list[str], option: str, value: str) -> None:
    args = [a.format(tmp=tmp_path) for a in command]
    result = runner.invoke(app, [*args, option, value, "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2, result.output
    _one_error_line(result, f"{option}: {value!r} is not a date")
    assert not (tmp_path / "out.jsonl").exists()


@pytest.fixture(scope="module")
def dated_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dated")
    (folder / "a2024.txt").write_text(PAGE_2024, encoding="utf-8")
    (folder / "b2025.txt").write_text(PAGE_2025, encoding="utf-8")
    db = folder / "l.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    return db


DATE_FILTERS = [
    ([], ["a2024", "b2025"]),
    (["--since", "2025"], ["b2025"]),
    (["--until", "2024"], ["a2024"]),  # the whole year, not just up to 2024-01-01
    (["--until", "2024-03"], ["a2024"]),
    (["--until", "2024-02"], []),
    (["--since", "2024-03-02"], ["b2025"]),
    (["--since", "2024-03", "--until", "2025-11-20"], ["a2024", "b2025"]),
]


@pytest.mark.parametrize(("options", "docs"), DATE_FILTERS)
def test_date_filters(dated_ledger: Path, tmp_path: Path, options: list[str], docs: list[str]) -> None:
    found = runner.invoke(app, ["search", "储能", "--db", str(dated_ledger), "--json", *options])
    assert found.exit_code == 0, found.output
    assert sorted(h["doc"] for h in json.loads(found.stdout)) == docs
    out = tmp_path / "docs.jsonl"
    exported = runner.invoke(app, ["export", "--what", "documents", "-o", str(out), "--db", str(dated_ledger),
                                   *options])
    assert exported.exit_code == 0, exported.output
    assert sorted(json.loads(line)["name"] for line in out.read_text(encoding="utf-8").splitlines()) == docs
