"""The ledger's first schema: documents, fixes, items, places, officials, sectors and
the backend's full-text index.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("province", sa.String(100)),
        sa.Column("code", sa.String(20)),
        sa.Column("level", sa.String(20)),
        sa.UniqueConstraint("name", "province", name="uq_places_name_province"),
    )
    op.create_index("ix_places_name", "places", ["name"])
    op.create_index("ix_places_province", "places", ["province"])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("source_path", sa.Text),
        sa.Column("raw_bytes", sa.LargeBinary),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("offsets", sa.LargeBinary),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("place_id", sa.Integer, sa.ForeignKey("places.id")),
        sa.Column("record_warnings", sa.JSON),
        sa.Column("extractor_version", sa.String(100)),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_date", "documents", ["date"])
    op.create_index("ix_documents_place_id", "documents", ["place_id"])
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])

    op.create_table(
        "fixes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("raw_start", sa.Integer, nullable=False),
        sa.Column("raw_end", sa.Integer, nullable=False),
        sa.Column("restored_start", sa.Integer, nullable=False),
        sa.Column("restored_end", sa.Integer, nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_fixes_doc_id", "fixes", ["doc_id"])

    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("raw_start", sa.Integer, nullable=False),
        sa.Column("raw_end", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor_version", sa.String(100)),
        sa.UniqueConstraint("doc_id", "key", name="uq_items_doc_key"),
    )
    op.create_index("ix_items_doc_id", "items", ["doc_id"])
    op.create_index("ix_items_key", "items", ["key"])
    op.create_index("ix_items_kind_doc", "items", ["kind", "doc_id"])

    op.create_table(
        "officials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("doc_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
    )
    op.create_index("ix_officials_doc_id", "officials", ["doc_id"])
    op.create_index("ix_officials_name", "officials", ["name"])

    op.create_table(
        "document_sectors",
        sa.Column("doc_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sector", sa.String(100), primary_key=True),
    )
    op.create_index("ix_document_sectors_sector", "document_sectors", ["sector"])

    # The full-text index over pre-segmented text (see luoshi.ledger.fts for the tokens).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize='unicode61')")
    else:
        op.create_table(
            "search_index",
            sa.Column("doc_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("tsv", postgresql.TSVECTOR, nullable=False),
            # the normalised title + body, to confirm multi-character terms as substrings
            sa.Column("body", sa.Text, nullable=False),
        )
        op.create_index("ix_search_index_tsv", "search_index", ["tsv"], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.drop_table("search_index")
    for table in ("document_sectors", "officials", "items", "fixes", "documents", "places"):
        op.drop_table(table)
