"""A local batch end to end: output tables, failures with reasons, reruns, the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from luoshi.batch import run_batch
from luoshi.batch.parts import SCHEMAS
from luoshi.extract import extract
from luoshi.restore import restore

from .conftest import make_corpus, page, read_failures, read_table


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """Good pages, an empty file, a binary file and a JSONL file with a bad line."""
    root = tmp_path_factory.mktemp("mixed")
    pages = root / "pages"
    make_corpus(pages, 5)
    (pages / "empty.txt").write_bytes(b"")
    (pages / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    rows = [json.dumps({"text": page(10 + i), "id": f"row{i}"}, ensure_ascii=False) for i in range(3)]
    (pages / "rows.jsonl").write_text("\n".join([*rows, "{broken"]) + "\n", encoding="utf-8")
    out = root / "out"
    summary = run_batch([pages], out, engine="local", workers=2, partition_size=3, progress=False)
    return pages, out, summary


def test_every_good_page_is_written_once(mixed_run) -> None:
    pages, out, summary = mixed_run
    docs = read_table(out, "documents")
    names = [d["name"] for d in docs]
    assert names == sorted(
        ["page-000", "page-001", "page-002", "page-003", "page-004", "row0", "row1", "row2"]
    )
    assert summary.documents == 8 and summary.partitions == 4 and summary.incomplete == 0
    for doc in docs:
        record = json.loads(doc["record_json"])
        assert record["doc"] == doc["name"]
        assert set(json.loads(doc["doc_json"])) == {"text", "raw", "meta", "fixes", "offsets"}
    items = read_table(out, "items")
    assert summary.items == len(items) == sum(len(json.loads(d["record_json"])["items"]) for d in docs)


def test_failures_are_recorded_with_reasons_not_raised(mixed_run) -> None:
    _, out, summary = mixed_run
    failures = read_failures(out)
    by_name = {f["name"]: f for f in failures}
    assert sorted(by_name) == ["empty", "image", "rows-3"]
    assert summary.failures == 3
    assert "empty" in by_name["empty"]["reason"].lower()
    assert "not text" in by_name["image"]["reason"].lower()
    assert "not JSON" in by_name["rows-3"]["reason"]
    assert all(f["source"] and f["partition"] for f in failures)


def test_parts_have_the_interchange_schema(mixed_run) -> None:
    _, out, _ = mixed_run
    for table, schema in SCHEMAS.items():
        parts = sorted((out / table).glob("part-*.parquet"))
        assert [p.name for p in parts] == [f"part-{i:06d}.parquet" for i in range(4)]
        for part in parts:
            assert pq.read_schema(part).remove_metadata() == schema
    assert sorted(p.name for p in (out / "_manifest").iterdir()) == [f"part-{i:06d}.json" for i in range(4)]
    assert not list(out.rglob("*.tmp-*"))


def test_documents_match_the_python_api(mixed_run) -> None:
    pages, out, _ = mixed_run
    for doc in read_table(out, "documents"):
        if not doc["name"].startswith("page-"):
            continue
        raw = (pages / f"{doc['name']}.txt").read_bytes()
        expected = extract(restore(raw, name=doc["name"])).to_dict()
        assert json.loads(doc["record_json"]) == expected
        assert doc["raw_bytes"] == raw and doc["source_path"] == str(pages / f"{doc['name']}.txt")


def test_a_rerun_skips_everything(mixed_run) -> None:
    pages, out, first = mixed_run
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("part-*")}
    again = run_batch([pages], out, engine="local", workers=2, partition_size=3, progress=False)
    assert (again.skipped, again.processed) == (4, 0)
    assert (again.documents, again.items, again.failures) == (first.documents, first.items, first.failures)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("part-*")} == stamps


def test_a_changed_partition_is_redone(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    make_corpus(pages, 4)
    out = tmp_path / "out"
    run_batch([pages], out, workers=1, partition_size=2, progress=False)
    (pages / "page-003.txt").unlink()
    (pages / "page-003b.txt").write_text(page(3), encoding="utf-8")
    again = run_batch([pages], out, workers=1, partition_size=2, progress=False)
    assert (again.skipped, again.processed) == (1, 1)
    assert [d["name"] for d in read_table(out, "documents")] == [
        "page-000",
        "page-001",
        "page-002",
        "page-003b",
    ]


def test_an_output_folder_inside_the_inputs_is_not_read_back(tmp_path: Path) -> None:
    make_corpus(tmp_path, 3)
    first = run_batch([tmp_path], tmp_path / "out", workers=1, progress=False)
    again = run_batch([tmp_path], tmp_path / "out", workers=1, progress=False)
    assert (first.documents, again.skipped, again.processed, again.failures) == (3, 1, 0, 0)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["{tmp}/nowhere", "--out", "{tmp}/o"], 1, "nowhere: no such file or folder"),
        (["{tmp}", "--out", "{tmp}/o", "--engine", "spark"], 2, "unknown engine 'spark'"),
        (["{tmp}", "--out", "{tmp}/o", "--partition-size", "0"], 1, "partition size must be at least 1"),
        (["{tmp}", "--out", "{tmp}/o", "--address", "x:1"], 1, "--address needs --engine ray"),
    ],
)
def test_cli_errors_are_one_line(
    tmp_path: Path, luoshi_cli: list[str], args: list[str], code: int, message: str
) -> None:
    argv = [a.format(tmp=tmp_path) for a in args]
    done = subprocess.run([*luoshi_cli, "batch", *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_cli_prints_a_summary(tmp_path: Path, luoshi_cli: list[str]) -> None:
    make_corpus(tmp_path / "pages", 3)
    (tmp_path / "pages" / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    done = subprocess.run(
        [*luoshi_cli, "batch", str(tmp_path / "pages"), "--out", str(out), "--workers", "1", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "3 documents" in done.stdout and "1 failures" in done.stdout
    assert "failures.jsonl" in done.stdout
    summary = json.loads((out / "_summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 3 and summary["failures"] == 1
