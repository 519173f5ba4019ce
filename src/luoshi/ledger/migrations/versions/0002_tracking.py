"""Tracking: user overrides of commitment statuses, kept as an append-only audit trail.

Revision ID: 0002_tracking
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_tracking"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20)),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_status_overrides_item_key", "status_overrides", ["item_key"])


def downgrade() -> None:
    op.drop_index("ix_status_overrides_item_key", table_name="status_overrides")
    op.drop_table("status_overrides")
