"""The :class:`Ledger`: one object over an SQLite file or a PostgreSQL database.

Library first (the CLI, web app, analysis and batch stages are views of it). Every
result is a plain dict or list, every database failure a one-line :class:`LedgerError`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from rich.console import Console
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from luoshi.errors import LedgerError
from luoshi.ledger import db, export, queries
from luoshi.ledger.convert import fix_from_dict, meta_from_dict
from luoshi.ledger.ingest import Ingester, IngestReport, ingest_files, ingest_parquet_dir
from luoshi.ledger.models import DocumentRow
from luoshi.ledger.offsets import from_fixes, unpack
from luoshi.ledger.store import replace_record
from luoshi.progress import progress_bar
from luoshi.types import Document, Record

P = ParamSpec("P")
R = TypeVar("R")
_SCHEMA = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn database errors raised inside a Ledger method into one-line LedgerErrors."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        ledger = args[0]
        with db.translated(ledger.url):  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


class Ledger:
    """A ledger of restored documents and their commitments.

    ``Ledger()`` opens ``$LUOSHI_DB`` or ``./luoshi.db``; ``Ledger("path.db")`` an SQLite
    file; ``Ledger("postgresql+psycopg://…", schema="run_42")`` a PostgreSQL schema (created
    when missing). The schema is migrated to the newest revision on open.
    """

    def __init__(self, url: str | Path | None = None, *, schema: str | None = None) -> None:
        self.url = db.resolve_url(url)
        if schema is not None and not _SCHEMA.match(schema):
            raise LedgerError(f"bad schema name {schema!r}", source=db.display_url(self.url))
        self.schema = schema
        self.engine: Engine = db.make_engine(self.url, schema=schema)
        try:
            if schema and self.engine.dialect.name == "postgresql":
                with db.translated(self.url), self.engine.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            db.migrate(self.engine, self.url)
        except BaseException:
            self.engine.dispose()
            raise
        self._ingester = Ingester(self.engine)

    # -------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({db.display_url(self.url)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM Session for stages that need their own queries (commit it yourself)."""
        with db.translated(self.url), Session(self.engine) as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with db.translated(self.url), self.engine.connect() as conn:
            yield conn

    # -------------------------------------------------------------- writing

    @_guarded
    def ingest_paths(self, paths: Iterable[str | Path], *, progress: bool = True,
                     console: Console | None = None, workers: int | None = None) -> IngestReport:
        """Restore, extract and store every page file under ``paths`` (files or folders).

        Documents are committed whole, in file order; content already stored (same sha256)
        is skipped before restoring; bad files land in ``report.failed`` as ``(path,
        reason)``. ``workers``: processes that restore and extract while this one stores
        (default: one fewer than the cores, none for fewer than 24 files; 0: none)."""
        return ingest_files(self._ingester, paths, progress=progress, console=console, workers=workers)

    @_guarded
    def ingest_document(self, doc: Document, record: Record, *, source_path: str | None = None) -> str:
        """Store one restored document and its record: 'added', 'unchanged' or 'duplicate'."""
        return self._ingester.store(doc, record, source_path=source_path)

    @_guarded
    def ingest_parquet(self, folder: str | Path, *, progress: bool = True,
                       console: Console | None = None) -> IngestReport:
        """Bulk-load the ``documents/part-*.parquet`` output of ``luoshi batch``."""
        return ingest_parquet_dir(self._ingester, folder, progress=progress, console=console)

    @_guarded
    def reextract(self, version: str | None = None, *, force: bool = False, progress: bool = False,
                  console: Console | None = None) -> int:
        """Re-run extraction on the stored restored documents (raw files are not read).

        Documents whose stored extractor version differs from ``version`` (default: the
        installed extractor's) are redone, all of them with ``force``. Items keep their id
        when their stable key survives. Returns the number of documents re-extracted."""
        from luoshi.extract import EXTRACTOR_VERSION, extract

        target = version or EXTRACTOR_VERSION
        d = DocumentRow.__table__
        with self.engine.connect() as conn:
            stmt = select(d.c.id).where(d.c.duplicate_of.is_(None)).order_by(d.c.id)
            if not force:
                stmt = stmt.where((d.c.extractor_version.is_(None)) | (d.c.extractor_version != target))
            ids = list(conn.execute(stmt).scalars())
        done = 0
        with progress_bar(enabled=progress, console=console) as bar:
            task = bar.add_task("reextract", total=len(ids))
            for doc_id in ids:
                doc, sha256 = self._stored_document(doc_id)
                record = extract(doc)
                with self.engine.begin() as conn:
                    replace_record(conn, doc_id, sha256, record)
                done += 1
                bar.update(task, advance=1)
        return done

    def _stored_document(self, doc_id: int) -> tuple[Document, str]:
        """Rebuild a Document from its stored raw text, restored text, fixes and offsets."""
        d = DocumentRow.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(d).where(d.c.id == doc_id)).mappings().one()
            fixes = [fix_from_dict(f) for f in queries.fixes_of(conn, [doc_id]).get(doc_id, [])]
        offsets = unpack(row["offsets"]) if row["offsets"] else from_fixes(row["raw"], row["text"], fixes)
        if offsets is None:
            from luoshi.restore import restore

            offsets = restore(row["raw_bytes"] or row["raw"], name=row["name"]).offsets
        name = row["name"].split("~")[0]
        doc = Document(name=name, raw=row["raw"], text=row["text"], meta=meta_from_dict(row["meta"]),
                       fixes=fixes, offsets=offsets, raw_bytes=row["raw_bytes"])
        return doc, row["sha256"]

    # -------------------------------------------------------------- reading

    @_guarded
    def stats(self) -> dict[str, Any]:
        """Counts: documents (originals), duplicates, places, items, by_kind, by_sector …"""
        with self._read() as conn:
            return queries.stats(conn)

    @_guarded
    def documents(self, *, place: str | None = None, province: str | None = None, since: str | None = None,
                  until: str | None = None, q: str | None = None, limit: int | None = 50,
                  offset: int = 0) -> list[dict[str, Any]]:
        """Document summaries (no text), newest first."""
        with self._read() as conn:
            return queries.documents(conn, place=place, province=province, since=since, until=until, q=q,
                                     limit=limit, offset=offset)

    @_guarded
    def count_documents(self, *, place: str | None = None, province: str | None = None, since: str | None = None,
                        until: str | None = None, q: str | None = None) -> int:
        with self._read() as conn:
            return queries.count_documents(conn, place=place, province=province, since=since, until=until, q=q)

    @_guarded
    def document(self, name: str) -> dict[str, Any] | None:
        """One document with text, raw, meta, fixes, items, sectors, officials, duplicate_of."""
        with self._read() as conn:
            return queries.document(conn, name)

    @_guarded
    def items(self, *, kind: str | None = None, place: str | None = None, province: str | None = None,
              sector: str | None = None, q: str | None = None, since: str | None = None, until: str | None = None,
              doc: str | None = None, limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Item dicts (id, key, doc, doc_title, doc_date, place, province, kind, name, fields,
        evidence, span, raw_span, confidence, sectors, extractor_version)."""
        with self._read() as conn:
            return queries.items(conn, kind=kind, place=place, province=province, sector=sector, q=q, since=since,
                                 until=until, doc=doc, limit=limit, offset=offset)

    @_guarded
    def count_items(self, *, kind: str | None = None, place: str | None = None, province: str | None = None,
                    sector: str | None = None, q: str | None = None, since: str | None = None,
                    until: str | None = None, doc: str | None = None) -> int:
        with self._read() as conn:
            return queries.count_items(conn, kind=kind, place=place, province=province, sector=sector, q=q,
                                       since=since, until=until, doc=doc)

    @_guarded
    def item(self, item_id: int) -> dict[str, Any] | None:
        with self._read() as conn:
            return queries.item(conn, item_id)

    @_guarded
    def places(self) -> list[dict[str, Any]]:
        """Places with at least one document: name, province, code, level, documents, items."""
        with self._read() as conn:
            return queries.places(conn)

    @_guarded
    def place(self, name: str) -> dict[str, Any] | None:
        """One place: its places() entry plus sectors, officials and items by kind."""
        with self._read() as conn:
            return queries.place(conn, name)

    @_guarded
    def search(self, query: str, *, place: str | None = None, province: str | None = None, kind: str | None = None,
               sector: str | None = None, since: str | None = None, until: str | None = None, limit: int = 20,
               offset: int = 0) -> list[dict[str, Any]]:
        """Ranked full-text hits: doc, title, date, place, province, score, snippet,
        highlights [[s, e] in snippet], item_ids (the hit document's items that match)."""
        with self._read() as conn:
            return queries.search(conn, query, place=place, province=province, kind=kind, sector=sector,
                                  since=since, until=until, limit=limit, offset=offset)

    @_guarded
    def export(self, what: str, fmt: str, path: str | Path, **filters: Any) -> int:
        """Write items or documents (with the same filters as items()/documents()) to
        csv, jsonl, parquet or xlsx at ``path``, atomically; returns the row count."""
        if what == "items":
            rows = self.items(limit=None, **filters)
        elif what == "documents":
            with self._read() as conn:
                rows = queries.documents(conn, limit=None, with_text=True, **filters)
        else:
            rows = []
        return export.write(rows, what, fmt, path)
