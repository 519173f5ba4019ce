"""Hand-made documents and records for ledger tests (our own text, not the scored pages)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from luoshi.types import Commitment, Document, Meta, Official, OffsetMap, Place, Record, Span

PG_URL = "postgresql+psycopg://luoshi:luoshi@127.0.0.1:5432/luoshi_test"


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
