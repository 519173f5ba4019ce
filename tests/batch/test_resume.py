"""A batch killed with SIGKILL half way continues where it stopped, writing nothing twice.

The last input is a FIFO: the worker that reaches it blocks until someone writes, so the
run is certain to be mid-way when we kill it, however fast the earlier partitions were.
(That the run starts at all also shows the driver never opens page files: only workers do.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from luoshi.batch import run_batch

from .conftest import make_corpus, page, read_failures, read_table

PAGES = 12  # + the FIFO → 7 partitions of 2; the last one blocks
PARTITIONS = 7


def _manifests(out: Path) -> list[Path]:
    folder = out / "_manifest"
    return sorted(folder.glob("part-*.json")) if folder.is_dir() else []


def _kill_when_some_done(cmd: list[str], out: Path, at_least: int) -> int:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(_manifests(out)) < at_least:
            if proc.poll() is not None:
                raise AssertionError(f"batch ended before it was killed: {proc.stderr.read().decode()}")
            if time.monotonic() > deadline:
                raise AssertionError("no partition finished in 120 s")
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its pool workers: our own process group
        proc.wait(timeout=30)
    return len(_manifests(out))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_resume_after_sigkill(tmp_path: Path, luoshi_cli: list[str]) -> None:
    pages = tmp_path / "pages"
    make_corpus(pages, PAGES)
    last = pages / "zz-last.txt"
    os.mkfifo(last)
    out = tmp_path / "out"
    cmd = [
        *luoshi_cli,
        "batch",
        str(pages),
        "--out",
        str(out),
        "--workers",
        "1",
        "--partition-size",
        "2",
        "--quiet",
    ]
    done = _kill_when_some_done(cmd, out, at_least=3)
    assert 3 <= done < PARTITIONS

    finished = {m.stem for m in _manifests(out)}  # "part-000003"; parts of the next may exist too
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("part-*") if p.name.split(".")[0] in finished}
    assert len(stamps) == 4 * done  # three tables + manifest per finished partition
    # What a kill in the middle of a write would leave: a temporary and a part without manifest.
    (out / "documents" / "part-000006.parquet.tmp-dead0000").write_bytes(b"half")
    (out / "items" / "part-000006.parquet").write_bytes(b"not parquet")

    last.unlink()
    last.write_text(page(99), encoding="utf-8")
    resumed = run_batch([pages], out, workers=1, partition_size=2, progress=False)
    assert (resumed.skipped, resumed.processed, resumed.incomplete) == (done, PARTITIONS - done, 0)
    assert all(p.stat().st_mtime_ns == stamp for p, stamp in stamps.items())  # not rewritten
    assert not list(out.rglob("*.tmp-*"))

    fresh = tmp_path / "fresh"
    whole = run_batch([pages], fresh, workers=1, partition_size=2, progress=False)
    assert (resumed.documents, resumed.items, resumed.failures) == (whole.documents, whole.items, 0)
    assert resumed.documents == PAGES + 1
    for table in ("documents", "items", "fixes"):
        assert read_table(out, table) == read_table(fresh, table), table
    assert read_failures(out) == read_failures(fresh) == []
