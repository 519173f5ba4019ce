"""Ingest: files (or batch Parquet output) → restore + extract → the ledger, in transactions
of whole documents. Restore + extract may run in worker processes (pipeline.py) while
this process stores.

Idempotent by content: a file whose sha256 is already stored is skipped before it is
even restored, so a rerun after a crash only does the remaining work. A file that cannot
be read, restored or extracted is reported and skipped; a database error stops the run
(nothing half-written stays behind, the next run continues).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from luoshi.errors import LedgerError, LuoshiError
from luoshi.ledger import dedupe
from luoshi.ledger.convert import fix_from_dict, meta_from_dict, record_from_dict
from luoshi.ledger.models import DocumentRow
from luoshi.ledger.offsets import from_fixes
from luoshi.ledger.pipeline import PreparedPage, default_workers, prepared_pages
from luoshi.ledger.store import (
    Encoded,
    PendingRows,
    PlaceCache,
    existing_id,
    fields_json,
    insert_document,
    lookup,
)
from luoshi.progress import progress_bar
from luoshi.restore.files import page_files
from luoshi.types import Document, OffsetMap, Record


@dataclass
class IngestReport:
    """What an ingest run did: counts, and every file that failed with its reason."""

    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def count(self, status: str) -> None:
        if status == "added":
            self.added += 1
        elif status == "duplicate":
            self.duplicates += 1
        else:
            self.unchanged += 1

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "unchanged": self.unchanged, "duplicates": self.duplicates,
                "failed": [{"path": p, "reason": r} for p, r in self.failed]}


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the page files (.txt, .html …) under named folders, sorted."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from page_files(path)
        else:
            yield path


STATUS = "{task.fields[status]}"


class Ingester:
    """Stores documents, keeping the near-duplicate index in step with what is stored."""

    # Documents are committed in groups (whole documents only, so a crash still leaves no
    # half document): per-document commits would cost more than storing the rows, and each
    # commit writes an FTS5 segment that later merges rewrite (50 costs 5% less than 25).
    COMMIT_DOCS = 50
    COMMIT_SECONDS = 1.0

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._index: dedupe.DuplicateIndex | None = None
        self._conn: Connection | None = None  # open while batched()
        self._pending = 0
        self._since = 0.0
        self._places: PlaceCache = {}  # place ids seen by the open group
        self._ids: dict[str, int] = {}  # name → id of documents stored by the open group
        self._stored: dict[str, str] = {}  # sha256 → name, while batched()
        self._names: set[str] = set()
        self._rows = PendingRows()  # the open group's rows other than its document rows

    @property
    def index(self) -> dedupe.DuplicateIndex:
        if self._index is None:
            index = dedupe.DuplicateIndex()
            d = DocumentRow.__table__
            with self.engine.connect() as conn:
                rows = conn.execute(select(d.c.name, d.c.minhash).where(d.c.duplicate_of.is_(None),
                                                                        d.c.minhash.is_not(None)).order_by(d.c.id))
                for name, blob in rows:
                    index.add(name, dedupe.from_bytes(blob))
            self._index = index
        return self._index

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Keep one connection open and commit every few documents and at the end; on any
        error the open group is rolled back (its documents are redone by the next run)."""
        self._conn = self.engine.connect()
        self._pending, self._since = 0, time.monotonic()
        self._places, self._ids = {}, {}
        # what is stored, loaded once: a set lookup per file instead of a query
        d = DocumentRow.__table__
        self._stored = {sha: name for sha, name in self._conn.execute(select(d.c.sha256, d.c.name))}
        self._names = set(self._stored.values())
        try:
            yield
            self._commit()
        except BaseException:
            self._rows.clear()
            self._conn.rollback()
            self._index = None  # it may hold documents that were just rolled back
            raise
        finally:
            self._conn.close()
            self._conn = None
            self._stored, self._names, self._places, self._ids = {}, set(), {}, {}

    def _commit(self) -> None:
        """Write the open group's held rows and commit it."""
        assert self._conn is not None
        self._rows.flush(self._conn)
        self._conn.commit()

    def _maybe_commit(self) -> None:
        self._pending += 1
        if self._pending >= self.COMMIT_DOCS or time.monotonic() - self._since >= self.COMMIT_SECONDS:
            self._commit()
            self._pending, self._since = 0, time.monotonic()

    def stored_hashes(self) -> Iterable[str]:
        """The sha256 of every stored document (inside batched(): as of this moment)."""
        if self._conn is not None:
            return self._stored.keys()
        d = DocumentRow.__table__
        with self.engine.connect() as conn:
            return list(conn.execute(select(d.c.sha256)).scalars())

    def known(self, sha256: str) -> bool:
        if self._conn is not None:
            return sha256 in self._stored
        with self.engine.connect() as conn:
            return existing_id(conn, sha256) is not None

    def _id_of(self, conn: Connection, name: str | None) -> int | None:
        if name is None:
            return None
        d = DocumentRow.__table__
        return self._ids.get(name) or conn.execute(select(d.c.id).where(d.c.name == name)).scalar()

    def store(self, doc: Document, record: Record, *, sha256: str | None = None,
              raw_bytes: bytes | None = None, source_path: str | None = None,
              encoded: Encoded | None = None) -> str:
        """Store one document: 'added', 'duplicate' or 'unchanged'.

        Inside batched() it joins the open group; otherwise it is its own transaction.
        ``encoded``: the document's encode_document(), when the caller has it already
        (then ``doc.fixes`` and ``doc.offsets`` are not read)."""
        raw_bytes = raw_bytes if raw_bytes is not None else doc.raw_bytes
        if sha256 is None:
            sha256 = hashlib.sha256(raw_bytes if raw_bytes is not None else doc.raw.encode("utf-8")).hexdigest()
        if self._conn is not None and sha256 in self._stored:
            return "unchanged"  # before the MinHash and the JSON: nothing of them is needed
        fields = check_record(record, source=doc.name or sha256)
        signature = dedupe.signature(doc.text)
        original = self.index.original_of(signature) if signature is not None else None
        minhash = dedupe.to_bytes(signature) if signature is not None else None
        name = doc.name or record.doc or sha256[:16]
        if self._conn is not None:
            if name in self._names:
                name = f"{name}~{sha256[:8]}"
            self._ids[name] = insert_document(
                self._conn, doc, record, sha256=sha256, raw_bytes=raw_bytes, source_path=source_path,
                duplicate_of=self._id_of(self._conn, original), minhash=minhash, name=name, places=self._places,
                fields=fields, pending=self._rows, encoded=encoded)
            self._stored[sha256] = name
            self._names.add(name)
            self._maybe_commit()
        else:
            with self.engine.begin() as conn:
                stored, name = lookup(conn, sha256, name)
                if stored:
                    return "unchanged"
                insert_document(conn, doc, record, sha256=sha256, raw_bytes=raw_bytes, source_path=source_path,
                                duplicate_of=self._id_of(conn, original), minhash=minhash, name=name,
                                fields=fields, encoded=encoded)
        if original is None and signature is not None:
            self.index.add(name, signature)
        return "added" if original is None else "duplicate"


def check_record(record: Record, *, source: str) -> list[str]:
    """Reject what the database would choke on half-way through a document: item fields
    must be JSON (checked here, before any row is written). Returns each item's stored
    fields JSON, so it is encoded once."""
    try:
        return [fields_json(item.fields) for item in record.items]
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: a cycle (see store.to_json)
        raise LuoshiError(f"item fields are not JSON ({exc})", source=source) from exc


def ingest_files(ingester: Ingester, paths: Iterable[str | Path], *, progress: bool = True,
                 console: Console | None = None, workers: int | None = None) -> IngestReport:
    """Store every page file under ``paths``; ``workers`` restore and extract them in other
    processes (pipeline.py; default: one fewer than the cores, none for a few files)."""
    report = IngestReport()
    files = list(expand(paths))
    count = default_workers(len(files)) if workers is None else workers
    with ingester.batched():
        # workers check the content stored when they start; this process's store() still
        # sees a page repeated within the run as unchanged
        known = frozenset(ingester.stored_hashes()).__contains__ if count else ingester.known
        with prepared_pages(files, known, count, on_lost_worker=_note(console)) as pages, \
                progress_bar(enabled=progress, console=console, status=STATUS) as bar:
            task = bar.add_task("ingest", total=len(files), status="")
            for path, page in zip(files, pages, strict=True):
                store_page(ingester, report, path, page)
                bar.update(task, advance=1, status=f"{report.added} added, {len(report.failed)} failed")
    return report


def _note(console: Console | None) -> Callable[[str], None]:
    err = Console(stderr=True) if console is None else console

    def note(message: str) -> None:
        err.print(f"[yellow]note:[/yellow] {message}", highlight=False)

    return note


def store_page(ingester: Ingester, report: IngestReport, path: Path, page: PreparedPage) -> None:
    """Store one prepared page and count it in ``report``; a database failure stops the run."""
    if page.status == "failed":
        report.failed.append((str(path), page.reason))
        return
    try:
        if page.doc is None or page.record is None:
            report.count("unchanged")
        else:
            report.count(ingester.store(page.doc, page.record, sha256=page.sha256, raw_bytes=page.raw_bytes,
                                        source_path=str(path), encoded=page.encoded))
    except (LedgerError, SQLAlchemyError):
        raise  # the database itself failed: stop, the committed documents are safe
    except LuoshiError as exc:
        report.failed.append((str(path), exc.reason))
    except Exception as exc:  # a bug on one odd page must not abort the batch
        report.failed.append((str(path), f"{type(exc).__name__}: {exc}"))


def document_from_parquet(row: dict[str, Any]) -> tuple[Document, Record]:
    """Rebuild the Document and Record a `luoshi batch` worker wrote to Parquet."""
    data = json.loads(row["doc_json"])
    record = record_from_dict(json.loads(row["record_json"]))
    raw, text = data.get("raw") or "", data.get("text") or ""
    fixes = [fix_from_dict(f) for f in data.get("fixes") or []]
    given = data.get("offsets")  # optional: {"starts": [...], "ends": [...], "raw_length": n}
    if isinstance(given, dict) and len(given.get("starts") or []) == len(text):
        offsets: OffsetMap | None = OffsetMap(list(given["starts"]), list(given["ends"]),
                                              int(given.get("raw_length", len(raw))))
    else:
        offsets = from_fixes(raw, text, fixes)
    if offsets is None:
        if row.get("raw_bytes") is not None:
            # the fix log does not explain every change: the restorer knows the exact map
            from luoshi.restore import restore

            redone = restore(row["raw_bytes"], name=row["name"])
            if redone.text == text:
                offsets = redone.offsets
        if offsets is None:
            offsets = OffsetMap.identity(len(text)) if raw == text else OffsetMap(
                [0] * len(text), [len(raw)] * len(text), len(raw))
    doc = Document(name=row["name"], raw=raw, text=text, meta=meta_from_dict(data.get("meta")), fixes=fixes,
                   offsets=offsets, raw_bytes=row.get("raw_bytes"))
    return doc, record


def parquet_parts(folder: Path) -> list[Path]:
    docs = folder / "documents"
    if not docs.is_dir():
        raise LuoshiError("not a luoshi batch output (no documents/ folder)", source=str(folder))
    return sorted(p for p in docs.glob("part-*.parquet") if ".tmp-" not in p.name)


def ingest_parquet_dir(ingester: Ingester, folder: str | Path, *, progress: bool = True,
                       console: Console | None = None) -> IngestReport:
    import pyarrow.parquet as pq

    report = IngestReport()
    parts = parquet_parts(Path(folder))
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    with progress_bar(enabled=progress, console=console, status=STATUS) as bar, ingester.batched():
        task = bar.add_task("ingest parquet", total=total, status="")
        for part in parts:
            for row in pq.read_table(part).to_pylist():
                where = f"{part.name}:{row.get('name')}"
                try:
                    if ingester.known(row["sha256"]):
                        report.count("unchanged")
                    else:
                        doc, record = document_from_parquet(row)
                        report.count(ingester.store(doc, record, sha256=row["sha256"], raw_bytes=row.get("raw_bytes"),
                                                    source_path=row.get("source_path")))
                except (LedgerError, SQLAlchemyError):
                    raise
                except (LuoshiError, KeyError, ValueError, TypeError) as exc:
                    report.failed.append((where, getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"))
                bar.update(task, advance=1, status=f"{report.added} added")
    return report
