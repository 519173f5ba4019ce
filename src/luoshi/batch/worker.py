"""The work of one partition, the same whatever engine runs it.

Reads the partition's pages, restores and extracts each, writes the three Parquet parts
and then the manifest. A page that fails is recorded with its reason and the partition
carries on; only a crash of the worker process itself leaves a partition without a
manifest, and then the next run redoes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import socket
import time
from typing import Any

import pyarrow as pa

from luoshi.batch.parts import DOCUMENTS_SCHEMA, FIXES_SCHEMA, ITEMS_SCHEMA, OutputDir
from luoshi.batch.sources import Page, PageFailure, Partition, read_units
from luoshi.errors import LuoshiError
from luoshi.types import Document, Record


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LuoshiError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}"


def _doc_json(doc: Document) -> str:
    # The offset map travels with the page so `ingest --from-parquet` need not restore again
    # (the fix log alone cannot always rebuild it).
    offsets = {"starts": doc.offsets.starts, "ends": doc.offsets.ends, "raw_length": doc.offsets.raw_length}
    return json.dumps(
        {
            "text": doc.text,
            "raw": doc.raw,
            "meta": doc.meta.to_dict(),
            "fixes": [f.to_dict() for f in doc.fixes],
            "offsets": offsets,
        },
        ensure_ascii=False,
    )


def _append(columns: dict[str, list[Any]], row: dict[str, Any]) -> None:
    for key, value in row.items():
        columns[key].append(value)


class _Tables:
    """Column buffers for one partition's three tables."""

    def __init__(self) -> None:
        self.documents: dict[str, list[Any]] = {n: [] for n in DOCUMENTS_SCHEMA.names}
        self.items: dict[str, list[Any]] = {n: [] for n in ITEMS_SCHEMA.names}
        self.fixes: dict[str, list[Any]] = {n: [] for n in FIXES_SCHEMA.names}

    def add(self, page: Page, raw_bytes: bytes, doc: Document, record: Record) -> None:
        digest = hashlib.sha256(raw_bytes).hexdigest()
        record_dict = record.to_dict()
        document: dict[str, Any] = {
            "name": page.name,
            "source_path": page.source,
            "sha256": digest,
            "raw_bytes": raw_bytes,
            "record_json": json.dumps(record_dict, ensure_ascii=False),
            "doc_json": _doc_json(doc),
        }
        _append(self.documents, document)
        place = record.place
        for index, item in enumerate(record.items):
            item_row: dict[str, Any] = {
                "doc": page.name,
                "sha256": digest,
                "item_index": index,
                "kind": item.kind,
                "name": item.fields.get("name") or item.fields.get("metric"),
                "fields_json": json.dumps(item.fields, ensure_ascii=False, default=str),
                "evidence": item.evidence,
                "span_start": item.span.start,
                "span_end": item.span.end,
                "raw_start": item.raw_span.start,
                "raw_end": item.raw_span.end,
                "confidence": float(item.confidence),
                "place": place.name if place else None,
                "province": place.province if place else None,
                "sectors": list(record.sectors),
                "extractor_version": record.extractor_version,
            }
            _append(self.items, item_row)
        for index, fix in enumerate(doc.fixes):
            fix_row: dict[str, Any] = {
                "doc": page.name,
                "sha256": digest,
                "fix_index": index,
                "kind": fix.kind,
                "raw_start": fix.raw.start,
                "raw_end": fix.raw.end,
                "restored_start": fix.restored.start,
                "restored_end": fix.restored.end,
                "before": fix.before,
                "after": fix.after,
                "note": fix.note,
            }
            _append(self.fixes, fix_row)

    def tables(self) -> dict[str, pa.Table]:
        return {
            "documents": pa.table(self.documents, schema=DOCUMENTS_SCHEMA),
            "items": pa.table(self.items, schema=ITEMS_SCHEMA),
            "fixes": pa.table(self.fixes, schema=FIXES_SCHEMA),
        }


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at DEBUG in every worker; keep the progress bar clean."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if os.uname().sysname == "Darwin" else 1024), 1)


# A line of our own: restoring and extracting it loads every lexicon and model.
WARM_UP_PAGE = "县政府提出，年内完成老旧小区改造86个，力争2027年实现村村通硬化路。"


def warm_up() -> None:
    """Load the restore and extract models in this worker before its first partition
    (~1.5 s on first use), so partition timings measure pages, not loading."""
    from luoshi.extract import extract
    from luoshi.restore import restore

    _quiet_jieba()
    extract(restore(WARM_UP_PAGE, name="warm-up"))


def process_partition(partition: Partition, out: str) -> dict[str, Any]:
    """Restore, extract and write one partition; returns its manifest."""
    # Imported here so the driver (and the CLI) stays light: only workers load the models.
    from luoshi.extract import extract
    from luoshi.restore import restore

    _quiet_jieba()

    started, cpu_started = time.perf_counter(), time.process_time()
    output = OutputDir(out)
    buffers = _Tables()
    failures: list[dict[str, str]] = []
    documents = items = raw_total = 0
    for page in read_units(partition.units):
        if isinstance(page, PageFailure):
            failures.append({"name": page.name, "source": page.source, "reason": page.reason})
            continue
        raw_bytes = page.raw if isinstance(page.raw, bytes) else page.raw.encode("utf-8")
        raw_total += len(raw_bytes)
        try:
            doc = restore(page.raw, name=page.name)
            record = extract(doc)
        except Exception as exc:  # noqa: BLE001 - one bad page must never stop the batch
            failures.append({"name": page.name, "source": page.source, "reason": _reason(exc)})
            continue
        buffers.add(page, raw_bytes, doc, record)
        documents += 1
        items += len(record.items)
    tables = buffers.tables()
    for name, table in tables.items():
        output.write_table(name, partition.id, table)
    manifest = {
        "id": partition.id,
        "fingerprint": partition.fingerprint,
        "documents": documents,
        "items": items,
        "fixes": tables["fixes"].num_rows,
        "bytes": raw_total,
        "failures": failures,
        "seconds": round(time.perf_counter() - started, 3),
        # CPU time against `seconds` shows how much of a core the worker got on a shared machine.
        "cpu_seconds": round(time.process_time() - cpu_started, 3),
        "worker": {"host": socket.gethostname(), "pid": os.getpid(), "peak_rss_mb": peak_rss_mb()},
    }
    output.write_manifest(partition.id, manifest)
    return manifest


def process_partition_json(descriptor: str, out: str) -> str:
    """JSON in, JSON out: the form engines pass between processes and machines."""
    return json.dumps(process_partition(Partition.from_dict(json.loads(descriptor)), out), ensure_ascii=False)
