"""Pipelined ingest: worker processes restore and extract, this process stores; the
ledger it leaves is the one an ingest in one process leaves, and no worker outlives it."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from luoshi.extract import extract
from luoshi.ledger import Ledger, pipeline
from luoshi.ledger.store import encode_document
from luoshi.ledger.wire import document_from_flat, flatten_document, flatten_record, record_from_flat
from luoshi.restore import restore
from luoshi.testing.damage import damage_bytes

from .helpers import ledger_rows, make_doc

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "corpus"

# what a worker is told is stored: picklable, as spawned workers need (a lambda is not)
NOTHING_STORED = frozenset[str]().__contains__


def _page_inputs(tmp_path: Path, pages: list[Path]) -> list[Path]:
    """The shared pages, our demo pages, freshly damaged copies of the demo pages, and
    four bad files: enough for the default to start a worker."""
    folder = tmp_path / "more"
    folder.mkdir()
    for k, path in enumerate(sorted((REPO / "demo" / "clean").glob("*.txt"))):
        (folder / f"damaged_{k:02d}.txt").write_bytes(damage_bytes(path.read_text(encoding="utf-8"), seed=k))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "copy.txt").write_bytes(pages[0].read_bytes())  # the same content twice in one run
    return [*pages, DEMO, folder]


def _flat_round_trip_cases() -> list[Path]:
    return sorted(DEMO.iterdir())


@pytest.mark.parametrize("path", _flat_round_trip_cases(), ids=lambda p: p.name)
def test_wire_round_trip_keeps_every_field(path: Path) -> None:
    doc = restore(path.read_bytes(), name=path.stem)
    record = extract(doc)
    back = document_from_flat(flatten_document(doc))
    assert (back.name, back.raw, back.text, back.raw_bytes) == (doc.name, doc.raw, doc.text, doc.raw_bytes)
    assert back.meta == doc.meta and back.fixes == doc.fixes
    assert (back.offsets.starts, back.offsets.ends, back.offsets.raw_length) == (
        doc.offsets.starts,
        doc.offsets.ends,
        doc.offsets.raw_length,
    )
    assert record_from_flat(flatten_record(record)) == record


@pytest.mark.parametrize("path", _flat_round_trip_cases(), ids=lambda p: p.name)
def test_wire_sends_the_fix_log_and_offsets_as_the_ledger_stores_them(path: Path) -> None:
    """A page from a worker carries its fix log and packed offset map, exactly what the
    ledger encodes from the whole document in one process, and the rest of its document."""
    doc = restore(path.read_bytes(), name=path.stem)
    page = pipeline.PreparedPage(
        "page", sha256="ab" * 32, raw_bytes=doc.raw_bytes, doc=doc, record=extract(doc)
    )
    back = pipeline.from_wire(pipeline.to_wire(page))
    assert back.encoded == encode_document(doc)
    assert back.doc is not None and (back.doc.meta, back.doc.text, back.doc.raw) == (
        doc.meta,
        doc.text,
        doc.raw,
    )


def test_wire_round_trip_of_hand_made_record() -> None:
    doc, record = make_doc(
        "手工",
        "白河市今年计划新建储能电站三座。",
        place="白河市",
        province="吉林省",
        sectors=["new_energy"],
        items=[("project", {"name": "储能电站", "stage": "新建"}, "新建储能电站三座")],
    )
    record.officials.append(record.officials[0].__class__("李某", None, None))  # an official without a span
    assert record_from_flat(flatten_record(record)) == record
    page = pipeline.PreparedPage("page", sha256="ab" * 32, raw_bytes=doc.raw_bytes, doc=doc, record=record)
    back = pipeline.from_wire(pipeline.to_wire(page))
    assert (back.status, back.sha256, back.raw_bytes, back.record) == (
        "page",
        page.sha256,
        doc.raw_bytes,
        record,
    )
    failed = pipeline.from_wire(pipeline.to_wire(pipeline.PreparedPage("failed", reason="empty file")))
    assert (failed.status, failed.reason, failed.doc, failed.record) == ("failed", "empty file", None, None)


def test_a_page_that_cannot_be_pickled_fails_alone() -> None:
    doc, record = make_doc(
        "手工", "白河市今年计划新建储能电站三座。", items=[("project", {"name": "储能电站"}, "储能电站")]
    )
    record.items[0].fields["bad"] = lambda: None  # not JSON either: ingest in one process rejects it too
    page = pipeline.from_wire(
        pipeline.sendable(pipeline.PreparedPage("page", sha256="0" * 64, doc=doc, record=record))
    )
    assert page.status == "failed" and "cannot pass to the ledger" in page.reason


def test_workers_leave_the_same_ledger_as_one_process(tmp_path: Path, pages: list[Path]) -> None:
    inputs = _page_inputs(tmp_path, pages)
    reports = {}
    for workers in (0, 1, 2):
        with Ledger(tmp_path / f"w{workers}.db") as ledger:
            reports[workers] = ledger.ingest_paths(inputs, progress=False, workers=workers)
    assert reports[0].to_dict() == reports[1].to_dict() == reports[2].to_dict()
    assert reports[0].unchanged == 1 and len(reports[0].failed) == 2
    reference = ledger_rows(tmp_path / "w0.db")
    assert len(reference["documents"]) > 40
    assert ledger_rows(tmp_path / "w1.db") == reference
    assert ledger_rows(tmp_path / "w2.db") == reference


def test_spawned_workers_leave_the_same_ledger(
    tmp_path: Path, pages: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With other threads running a worker is spawned, not forked (it loads everything afresh)."""
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # as if a web server's threads ran
    assert pipeline.start_method() == "spawn"
    with Ledger(tmp_path / "spawned.db") as ledger:
        spawned = ledger.ingest_paths(pages[:6], progress=False, workers=1)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert pipeline.start_method() == "fork"
    with Ledger(tmp_path / "inline.db") as ledger:
        inline = ledger.ingest_paths(pages[:6], progress=False, workers=0)
    assert spawned.to_dict() == inline.to_dict() and spawned.added == 6
    assert ledger_rows(tmp_path / "spawned.db") == ledger_rows(tmp_path / "inline.db")


def test_a_rerun_with_workers_changes_nothing(tmp_path: Path, pages: list[Path]) -> None:
    inputs = _page_inputs(tmp_path, pages)
    with Ledger(tmp_path / "l.db") as ledger:
        first = ledger.ingest_paths(inputs, progress=False, workers=1)
        before = ledger_rows(tmp_path / "l.db")
        again = ledger.ingest_paths(inputs, progress=False, workers=1)
    assert again.added == again.duplicates == 0
    assert again.unchanged == first.added + first.duplicates + first.unchanged
    assert ledger_rows(tmp_path / "l.db") == before


def test_files_of_a_dead_worker_are_done_here(pages: list[Path]) -> None:
    """A worker killed part-way (as by the kernel's OOM killer): this process prepares the
    files it had not sent, and says so."""
    notes: list[str] = []
    pool = pipeline.WorkerPool(pages, NOTHING_STORED, 2, on_lost_worker=notes.append)
    os.kill(pool.processes[1].pid, signal.SIGKILL)  # before it can have sent all its 17 pages
    try:
        prepared = list(pool.pages())
    finally:
        pool.stop()
    assert len(notes) == 1 and "(exit code -9)" in notes[0]
    expected = [pipeline.prepare(path, lambda sha: False) for path in pages]
    assert [(p.status, p.sha256, p.doc.text if p.doc else None, p.record) for p in prepared] == [
        (p.status, p.sha256, p.doc.text if p.doc else None, p.record) for p in expected
    ]


def test_workers_stop_when_the_ingest_stops_early(pages: list[Path]) -> None:
    """Leaving the pages unread (a database error stops an ingest) stops the workers."""
    pool = pipeline.WorkerPool(pages, NOTHING_STORED, 2)
    assert next(pool.pages()).status == "page"
    pool.stop()
    assert [process.is_alive() for process in pool.processes] == [False, False]


@pytest.mark.parametrize(
    ("env", "files", "cpus", "method", "expected"),
    [
        ("", 200, 2, "fork", 1),  # two cores: one restores, this one stores
        ("", 200, 1, "fork", 0),  # one core: nothing to overlap
        ("", 10, 4, "fork", 0),  # a few files: a worker's start costs more than it saves
        ("", 200, 4, "spawn", 0),  # a spawned worker's start costs more
        ("", 500, 4, "spawn", 3),
        ("", 200, 64, "fork", pipeline.MAX_WORKERS),
        ("0", 200, 8, "fork", 0),  # LUOSHI_INGEST_WORKERS decides
        ("3", 5, 1, "spawn", 3),
    ],
)
def test_default_workers(
    monkeypatch: pytest.MonkeyPatch, env: str, files: int, cpus: int, method: str, expected: int
) -> None:
    monkeypatch.setenv("LUOSHI_INGEST_WORKERS", env)
    monkeypatch.setattr(pipeline, "available_cpus", lambda: cpus)
    monkeypatch.setattr(pipeline, "start_method", lambda: method)
    assert pipeline.default_workers(files) == expected
