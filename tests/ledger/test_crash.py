"""kill -9 in the middle of an ingest leaves whole documents only; a rerun completes it."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from luoshi.ledger import Ledger

# Our own sentences; pages are random selections of them, so each page is distinct.
SENTENCES = [
    "青山县今年将新建乡村公路一百二十公里，力争到二〇二七年实现村村通硬化路。",
    "白河市提出全年地区生产总值增长百分之六左右，固定资产投资增长百分之八以上。",
    "东湖新区计划投资三十五亿元建设智能制造产业园，预计二〇二六年底建成投产。",
    "会议强调要加快推进老旧小区改造，年内完成改造小区八十六个。",
    "柳林镇与省农科院签订合作协议，共建高标准农田示范基地三千亩。",
    "南岭区将实施科技型企业倍增计划，到二〇二八年高新技术企业达到三百家。",
    "西山市推进肉牛养殖标准化，新建规模化养殖场十二个，存栏突破八万头。",
    "北湖县加快新型储能项目建设，建成储能电站两座，装机容量四十万千瓦。",
    "石门区着力培育冷链物流产业，新建冷库容量二十万吨，打通农产品上行通道。",
    "清河市深化与沿海城市对口合作，共建产业园区三个，引进企业五十家。",
    "云岭县发展全域旅游，打造精品民宿集群，接待游客突破六百万人次。",
    "江口镇实施乡村振兴示范工程，建设美丽乡村示范村十五个。",
]


def _write_pages(folder: Path, n: int) -> list[Path]:
    rng = random.Random(7)
    folder.mkdir()
    paths = []
    for k in range(n):
        body = "".join(rng.sample(SENTENCES, 7))
        path = folder / f"synthetic_{k:03d}.txt"
        path.write_text(f"第{k}号通报\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _per_document(db: Path) -> dict[str, tuple[int, int, int]]:
    """sha256 → (items, fixes, indexed) for every stored document."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT d.sha256, (SELECT count(*) FROM items i WHERE i.doc_id = d.id), "
            "d.fix_count, "
            "(SELECT count(*) FROM search_fts s WHERE s.rowid = d.id) FROM documents d").fetchall()
        orphans = conn.execute("SELECT count(*) FROM items WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()
        assert orphans == (0,)
        return {sha: (items, fixes, indexed) for sha, items, fixes, indexed in rows}
    finally:
        conn.close()


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=0.2)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _processes_naming(path: Path) -> list[int]:
    """Running processes whose command line names ``path`` (a forked worker has its parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # gone meanwhile
    return found


def test_sigkill_mid_ingest_then_rerun(tmp_path: Path, pages: list[Path]) -> None:
    # enough pages that ingest commits several groups (Ingester.COMMIT_DOCS) before the end
    synthetic = _write_pages(tmp_path / "synthetic", 90)
    inputs = [str(p) for p in pages] + [str(tmp_path / "synthetic")]
    reference = tmp_path / "reference.db"
    with Ledger(reference) as ledger:
        report = ledger.ingest_paths(inputs, progress=False)
        assert report.failed == []
    expected = _per_document(reference)
    assert len(expected) == len(pages) + len(synthetic)

    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "luoshi.cli", "ingest", *inputs, "--db", str(db), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # its worker process (pipeline.py; this run has enough files for one) stops too
    deadline = time.monotonic() + 10
    while _processes_naming(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_naming(db) == []

    partial = _per_document(db)
    assert 5 <= len(partial) < len(expected), f"the kill should land mid-run: {len(partial)} of {len(expected)}"
    torn = {sha: (counts, expected.get(sha)) for sha, counts in partial.items() if counts != expected.get(sha)}
    assert not torn, f"documents stored incompletely (stored, expected): {torn}"

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(partial)} unchanged" in rerun.stdout
    final = _per_document(db)
    assert set(final) == set(expected)
    assert {sha: c for sha, c in final.items() if c != expected[sha]} == {}
