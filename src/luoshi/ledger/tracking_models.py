"""The tracking stage's table: user overrides of a commitment's status, with their history.

Overrides are keyed by the item's stable ``key`` (doc sha256 + kind + normalized name or
metric and value), not by its row id, and carry no foreign key: re-ingesting a document or
re-running extraction replaces item rows, and the override must still find its item.
Rows are only ever added; the newest row for a key is the standing override (a row with
``status`` NULL withdraws it), and all rows together are the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.ledger.models import Base, utcnow


class StatusOverrideRow(Base):
    __tablename__ = "status_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
