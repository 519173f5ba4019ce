"""The ledger's tables, as SQLAlchemy 2 declarative models.

One shared :class:`Base` so later stages (``ledger/tracking_models.py``, migration
``0002_tracking``) can add tables that point at these. The full-text index is not a model:
it is backend-specific (an FTS5 virtual table on SQLite, a GIN-indexed tsvector on
PostgreSQL) and lives in :mod:`luoshi.ledger.fts`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base shared by every ledger table (tracking tables included)."""


class PlaceRow(Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("name", "province", name="uq_places_name_province"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    code: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_path: Mapped[str | None] = mapped_column(Text)
    raw_bytes: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # zlib-compressed deltas of the OffsetMap (see luoshi.ledger.offsets)
    offsets: Mapped[bytes | None] = mapped_column(LargeBinary)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    title: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    record_warnings: Mapped[list[str] | None] = mapped_column(JSON)
    extractor_version: Mapped[str | None] = mapped_column(String(100))
    # MinHash signature (uint64 array bytes) of the restored text's character shingles
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    # the fix log, one JSON array of [kind, raw_start, raw_end, restored_start, restored_end,
    # before, after, note] per fix (see luoshi.ledger.store.fixes_json); a row per fix
    # (about ninety a damaged page) cost a fifth of the ledger's ingest time (migration 0004)
    fixes: Mapped[str | None] = mapped_column(Text)
    fix_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("doc_id", "key", name="uq_items_doc_key"),
        Index("ix_items_kind_doc", "kind", "doc_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    raw_start: Mapped[int] = mapped_column(Integer)
    raw_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    extractor_version: Mapped[str | None] = mapped_column(String(100))


class OfficialRow(Base):
    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class DocumentSectorRow(Base):
    __tablename__ = "document_sectors"

    doc_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
