"""Hand-made documents and records for ledger tests (our own text, not the scored pages)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from luoshi.types import Commitment, Document, Meta, Official, OffsetMap, Place, Record, Span

PG_URL = "postgresql+psycopg://luoshi:luoshi@127.0.0.1:5432/luoshi_test"
# the tables a ledger keeps its documents in (ledger_rows() adds the full-text index)
TABLES = ("places", "documents", "items", "officials", "document_sectors")


def make_doc(
    name: str,
    text: str,
    *,
    title: str | None = None,
    date: str | None = None,
    place: str | None = None,
    province: str | None = None,
    sectors: list[str] | None = None,
    items: list[tuple[str, dict[str, Any], str]] | None = None,
    version: str = "test 1",
) -> tuple[Document, Record]:
    """A Document whose raw is its text, and a Record with items found by their evidence."""
    doc = Document(name=name, raw=text, text=text, meta=Meta(title=title, date=date), fixes=[],
                   offsets=OffsetMap.identity(len(text)), raw_bytes=text.encode("utf-8"))
    commitments = []
    for kind, fields, evidence in items or []:
        start = text.index(evidence)
        span = Span(start, start + len(evidence))
        commitments.append(Commitment(kind=kind, fields=fields, evidence=evidence, span=span, raw_span=span,
                                      confidence=0.8))
    record = Record(doc=name, place=Place(place, province) if place else None,
                    officials=[Official("王某某", "市长")], sectors=list(sectors or []), items=commitments,
                    extractor_version=version)
    return doc, record


def luoshi(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "luoshi.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def ledger_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the ledger's tables and of its full-text index, minus creation times."""
    conn = sqlite3.connect(db)
    try:
        found = {}
        for table in TABLES:
            columns = [
                row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[1] != "created_at"
            ]
            found[table] = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
        found["search_fts"] = conn.execute(
            "SELECT rowid, title, body FROM search_fts ORDER BY rowid"
        ).fetchall()
        return found
    finally:
        conn.close()
