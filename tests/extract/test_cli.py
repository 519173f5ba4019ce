"""``luoshi extract``: JSON Lines out, the table view, warnings and one-line failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luoshi.cli import app

runner = CliRunner()

PAGE = (
    "示例市召开项目推进会\n"
    "2024-03-01\n\n"
    "会上,示例市委书记王示例表示,今年将确保青石河、白鹭湾抽蓄项目年内开工,"
    "力争全年引进亿元以上项目30个以上,外贸进出口额达到35亿元。\n"
)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_jsonl_output_one_record_per_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    _write(pages, "a.txt", PAGE)
    _write(pages, "b.txt", PAGE.replace("青石河、白鹭湾", "红岩"))
    out = tmp_path / "out" / "records.jsonl"
    result = runner.invoke(app, ["extract", str(pages), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc"] for r in records] == ["a", "b"]
    items = records[0]["items"]
    assert {("project", "青石河抽蓄项目"), ("project", "白鹭湾抽蓄项目")} <= {
        (i["kind"], i.get("name")) for i in items
    }
    targets = {(i["value"], i["unit"], i["op"]) for i in items if i["kind"] == "target"}
    assert targets == {(30, "个", ">="), (35, "亿元", "=")}
    for item in items:
        assert item["evidence"] and len(item["span"]) == 2 and len(item["raw_span"]) == 2


def test_table_format(tmp_path: Path) -> None:
    page = _write(tmp_path, "a.txt", PAGE)
    result = runner.invoke(app, ["extract", str(page), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "青石河抽蓄项目" in result.output and "target" in result.output


def test_bad_files_fail_one_line_each_and_the_rest_is_written(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", PAGE)
    binary = _write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(good), str(binary), str(missing), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failure_lines = [
        line for line in result.output.splitlines() if "image.txt" in line or "missing.txt" in line
    ]
    assert len(failure_lines) == 2, result.output
    assert [json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()] == ["good"]


def test_empty_page_warns_and_gives_an_empty_record(tmp_path: Path) -> None:
    page = _write(tmp_path, "empty.txt", "  \n")
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "empty" in result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["doc"] == "empty" and record["items"] == [] and record["warnings"]


def test_non_chinese_page_warns_and_gives_an_empty_record(tmp_path: Path) -> None:
    page = _write(tmp_path, "english.txt", "The city council met on Monday to discuss the budget.\n")
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "Chinese" in result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["items"] == [] and record["warnings"]


def test_page_without_commitments_gives_empty_items(tmp_path: Path) -> None:
    page = _write(tmp_path, "plain.txt", "示例市今天天气晴朗,市民在公园散步。\n")
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["items"] == []


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    page = _write(tmp_path, "a.txt", PAGE)
    blocker = _write(tmp_path, "not_a_dir", "x")
    result = runner.invoke(app, ["extract", str(page), "-o", str(blocker / "records.jsonl")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert blocker.read_text() == "x"


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.txt"
    os.mkfifo(path)
    return path


# Inputs of which none gives a record: the existing output must survive untouched.
NOTHING_EXTRACTED = [
    (lambda tmp: [tmp / "nonexistent"], "nonexistent: no such file"),
    (lambda tmp: [_write(tmp, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)], "image.txt: "),
    (lambda tmp: [_fifo(tmp)], "fifo.txt: not a regular file"),
]


@pytest.mark.parametrize(("inputs", "message"), NOTHING_EXTRACTED)
def test_no_record_never_clobbers_the_output(tmp_path: Path, inputs, message: str) -> None:
    out = _write(tmp_path, "keep.jsonl", '{"doc": "earlier run"}\n')
    result = runner.invoke(app, ["extract", *map(str, inputs(tmp_path)), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == '{"doc": "earlier run"}\n'
    assert [line for line in result.output.splitlines() if line] == [
        line for line in result.output.splitlines() if message in line
    ], result.output
    assert message in result.output and "Traceback" not in result.output


def test_fifo_among_good_pages_fails_without_blocking(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", PAGE)
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(good), str(_fifo(tmp_path)), "-o", str(out)])
    assert result.exit_code == 1
    assert "fifo.txt: not a regular file" in result.output
    assert [json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()] == ["good"]


def test_folders_expand_like_restore_and_ingest(tmp_path: Path) -> None:
    """Sub-folders count, hidden files do not: the same rule as restore and ingest."""
    pages = tmp_path / "pages"
    (pages / "2024").mkdir(parents=True)
    _write(pages, "a.txt", PAGE)
    _write(pages / "2024", "b.txt", PAGE)
    _write(pages, ".a.txt.tmp", PAGE)
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(pages), "-o", str(out)])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert docs == ["b", "a"]  # sorted by path: pages/2024/b.txt before pages/a.txt
