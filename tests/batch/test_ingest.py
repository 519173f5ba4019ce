"""The batch output is what the ledger loads: same ledger as ingesting the pages directly."""

from __future__ import annotations

from pathlib import Path

from luoshi.batch import run_batch
from luoshi.ledger import Ledger


def _item_view(ledger: Ledger) -> list[tuple]:
    rows = ledger.items(limit=100_000)
    return sorted(
        (r["doc"], r["kind"], r["name"] or "", r["evidence"], tuple(r["span"]), tuple(r["raw_span"]))
        for r in rows
    )


def test_ingest_parquet_equals_ingest_paths(shared_dir: Path, tmp_path: Path) -> None:
    seeds = shared_dir / "seeds"
    out = tmp_path / "out"
    summary = run_batch([seeds], out, workers=2, partition_size=2, progress=False)
    with Ledger(tmp_path / "bulk.db") as bulk, Ledger(tmp_path / "direct.db") as direct:
        report = bulk.ingest_parquet(out, progress=False)
        assert (report.added, report.failed) == (5, [])
        assert bulk.count_items() == summary.items
        direct.ingest_paths([seeds], progress=False)
        assert _item_view(bulk) == _item_view(direct)
        assert bulk.ingest_parquet(out, progress=False).unchanged == 5  # a second load adds nothing
