"""The tracking stage's table: user overrides of a commitment's status, with their history.

Overrides are keyed by the item's stable ``key`` (doc sha256 + kind + normalized name or
metric and value), not by its row id, and carry no foreign key: re-ingesting a document or
re-running extraction replaces item rows, and the override must still find its item.
Rows are only ever added; the newest row for a key is the standing override (a row with
``status`` NULL withdraws it), and all rows together are the audit trail.

The other tables keep what tracking found (see :mod:`luoshi.analysis.stored`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from luoshi.ledger.models import Base, utcnow


class StatusOverrideRow(Base):
    __tablename__ = "status_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- stored follow-through -----------------------------------------------------------------
# Tracking reads every later document of a place for every commitment; on a big place that
# takes minutes, so what it finds is kept. No foreign keys, like the overrides: documents
# and items are replaced by re-ingest and re-extraction, and a stamp (not a cascade) tells
# which stored rows still describe the ledger.


class CompactJSON(TypeDecorator[Any]):
    """JSON as UTF-8 text without escapes or spaces: stored links are mostly Chinese
    clauses, which the JSON type's ``\\uXXXX`` escapes would make three times longer."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class TrackingScanRow(Base):
    """A document whose links have been worked out, both ways: it read as evidence for the
    earlier commitments of its place, and its commitments followed through the later
    documents. ``stamp`` digests what the links depend on (content, date, place, items,
    tracker version); another stamp means the document must be scanned again."""

    __tablename__ = "tracking_scans"

    doc_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))


class TrackingLinkRow(Base):
    """The links with a status (the ones that decide) one later document gives one commitment,
    and the status and reason the document gives it (so statuses are recomputed without
    reading the links)."""

    __tablename__ = "tracking_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, index=True)
    doc_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    links: Mapped[list[dict[str, Any]]] = mapped_column(CompactJSON)


class TrackingStatusRow(Base):
    """A commitment's computed status (before overrides) as of its place's newest document."""

    __tablename__ = "tracking_statuses"

    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    commitment: Mapped[str] = mapped_column(Text)
    due: Mapped[str | None] = mapped_column(String(10))


class TrackedPlaceRow(Base):
    """A place whose statuses are stored; ``stamp`` digests its documents' stamps."""

    __tablename__ = "tracking_places"

    place: Mapped[str] = mapped_column(String(200), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))
