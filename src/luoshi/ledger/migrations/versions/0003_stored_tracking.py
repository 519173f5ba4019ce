"""Stored tracking: scanned documents, deciding links, computed statuses, tracked places.

Revision ID: 0003_stored_tracking
Revises: 0002_tracking
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_stored_tracking"
down_revision = "0002_tracking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracking_scans",
        sa.Column("doc_id", sa.Integer, primary_key=True),
        sa.Column("stamp", sa.String(64), nullable=False),
    )
    op.create_table(
        "tracking_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("doc_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("links", sa.Text, nullable=False),  # CompactJSON
    )
    op.create_index("ix_tracking_links_item_id", "tracking_links", ["item_id"])
    op.create_index("ix_tracking_links_doc_id", "tracking_links", ["doc_id"])
    op.create_table(
        "tracking_statuses",
        sa.Column("item_id", sa.Integer, primary_key=True),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("commitment", sa.Text, nullable=False),
        sa.Column("due", sa.String(10)),
    )
    op.create_index("ix_tracking_statuses_place", "tracking_statuses", ["place"])
    op.create_table(
        "tracking_places",
        sa.Column("place", sa.String(200), primary_key=True),
        sa.Column("stamp", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tracking_places")
    op.drop_index("ix_tracking_statuses_place", table_name="tracking_statuses")
    op.drop_table("tracking_statuses")
    op.drop_index("ix_tracking_links_doc_id", table_name="tracking_links")
    op.drop_index("ix_tracking_links_item_id", table_name="tracking_links")
    op.drop_table("tracking_links")
    op.drop_table("tracking_scans")
