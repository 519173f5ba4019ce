"""A document's fix log in its own row: ``documents.fixes`` (JSON) and ``fix_count``
replace the ``fixes`` table.

A damaged page has about ninety fixes and a row per fix, with its index entry, was the
largest part of what ingest wrote. Readers only ever want a document's whole log, in
order, so it is stored as one JSON array of [kind, raw_start, raw_end, restored_start,
restored_end, before, after, note] per fix. Existing ledgers keep their fixes: they are
copied into the new columns before the table is dropped (and back on downgrade).

Revision ID: 0004_packed_fixes
Revises: 0003_stored_tracking
"""

from __future__ import annotations

import json
from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0004_packed_fixes"
down_revision = "0003_stored_tracking"
branch_labels = None
depends_on = None

FIX_FIELDS = ("kind", "raw_start", "raw_end", "restored_start", "restored_end", "before", "after", "note")
documents = sa.table(
    "documents", sa.column("id", sa.Integer), sa.column("fixes", sa.Text), sa.column("fix_count", sa.Integer)
)
fixes = sa.table(
    "fixes",
    sa.column("doc_id", sa.Integer),
    sa.column("ordinal", sa.Integer),
    *(sa.column(name) for name in FIX_FIELDS),
)


def upgrade() -> None:
    op.add_column("documents", sa.Column("fixes", sa.Text))
    op.add_column("documents", sa.Column("fix_count", sa.Integer))
    conn = op.get_bind()
    conn.execute(documents.update().values(fixes="[]", fix_count=0))
    rows = conn.execute(
        sa.select(fixes.c.doc_id, *(fixes.c[name] for name in FIX_FIELDS)).order_by(
            fixes.c.doc_id, fixes.c.ordinal
        )
    )
    packed = [
        {"doc": doc_id, "log": json.dumps([list(fix[1:]) for fix in group], ensure_ascii=False), "n": n}
        for doc_id, group, n in _grouped(rows)
    ]
    if packed:
        conn.execute(
            documents.update()
            .where(documents.c.id == sa.bindparam("doc"))
            .values(fixes=sa.bindparam("log"), fix_count=sa.bindparam("n")),
            packed,
        )
    op.drop_index("ix_fixes_doc_id", table_name="fixes")
    op.drop_table("fixes")


def _grouped(rows: sa.CursorResult[sa.Any]) -> list[tuple[int, list[sa.Row[sa.Any]], int]]:
    """(doc_id, its fix rows in order, how many) per document that has fixes."""
    out = []
    for doc_id, group in groupby(rows, key=lambda row: row[0]):
        found = list(group)
        out.append((doc_id, found, len(found)))
    return out


def downgrade() -> None:
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
    conn = op.get_bind()
    rows = [
        {"doc_id": doc_id, "ordinal": i, **dict(zip(FIX_FIELDS, fix, strict=True))}
        for doc_id, log in conn.execute(sa.select(documents.c.id, documents.c.fixes).order_by(documents.c.id))
        for i, fix in enumerate(json.loads(log or "[]"))
    ]
    if rows:
        conn.execute(fixes.insert(), rows)
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of documents would
    # drop the table that items and tracking rows point at
    op.drop_column("documents", "fix_count")
    op.drop_column("documents", "fixes")
