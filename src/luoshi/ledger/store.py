"""Writing one restored document and its record into the ledger, in one transaction.

Everything for a document (its row, fixes, items, officials, sectors, search tokens) is
written inside the caller's transaction, with one multi-row INSERT per table, so a crash
leaves either the whole document or none of it, and ingest costs a handful of statements
per document rather than one per row.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select, text, update

from luoshi.ledger import fts
from luoshi.ledger.convert import item_keys, item_name
from luoshi.ledger.models import (
    DocumentRow,
    DocumentSectorRow,
    FixRow,
    ItemRow,
    OfficialRow,
    PlaceRow,
    utcnow,
)
from luoshi.ledger.offsets import pack
from luoshi.types import Document, Record

documents = cast(Table, DocumentRow.__table__)
fixes_t = cast(Table, FixRow.__table__)
items_t = cast(Table, ItemRow.__table__)
officials_t = cast(Table, OfficialRow.__table__)
sectors_t = cast(Table, DocumentSectorRow.__table__)
places_t = cast(Table, PlaceRow.__table__)
# Statements built once and executed with parameter dicts: SQLAlchemy caches their
# compiled form, where .values(...) per call would rebuild bind parameters every time.
INSERT_DOCUMENT = insert(documents).returning(documents.c.id)
INSERT_PLACE = insert(places_t).returning(places_t.c.id)


def existing_id(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


def unique_name(conn: Connection, name: str, sha256: str) -> str:
    """``name``, or ``name~<sha prefix>`` when another content already has that name."""
    taken = conn.execute(select(documents.c.sha256).where(documents.c.name == name)).scalar()
    return name if taken is None else f"{name}~{sha256[:8]}"


def place_id(conn: Connection, record: Record) -> int | None:
    place = record.place
    if place is None or not place.name:
        return None
    where = (places_t.c.name == place.name) & (
        places_t.c.province.is_(None) if place.province is None else places_t.c.province == place.province
    )
    row = conn.execute(select(places_t.c.id, places_t.c.code, places_t.c.level).where(where)).first()
    if row is None:
        return int(conn.execute(INSERT_PLACE, {"name": place.name, "province": place.province, "code": place.code,
                                               "level": place.level}).scalar_one())
    if (row.code is None and place.code) or (row.level is None and place.level):
        conn.execute(update(places_t).where(places_t.c.id == row.id).values(
            code=row.code or place.code, level=row.level or place.level))
    return int(row.id)


def item_rows(doc_id: int, sha256: str, record: Record) -> list[dict[str, Any]]:
    keys = item_keys(sha256, record.items)
    return [
        {
            "doc_id": doc_id, "key": key, "ordinal": i, "kind": item.kind,
            "name": item_name(item.kind, item.fields), "fields": dict(item.fields), "evidence": item.evidence,
            "span_start": item.span.start, "span_end": item.span.end,
            "raw_start": item.raw_span.start, "raw_end": item.raw_span.end,
            "confidence": round(float(item.confidence), 3), "extractor_version": record.extractor_version,
        }
        for i, (item, key) in enumerate(zip(record.items, keys, strict=True))
    ]


def write_record_parts(conn: Connection, doc_id: int, record: Record) -> None:
    """Officials and sectors of ``record`` (items are written by the callers)."""
    officials = [
        {"doc_id": doc_id, "name": o.name, "title": o.title,
         "span_start": o.span.start if o.span else None, "span_end": o.span.end if o.span else None}
        for o in record.officials
    ]
    if officials:
        conn.execute(insert(officials_t), officials)
    sectors = [{"doc_id": doc_id, "sector": s} for s in dict.fromkeys(record.sectors) if s]
    if sectors:
        conn.execute(insert(sectors_t), sectors)


def index_document(conn: Connection, doc_id: int, title: str | None, body: str) -> None:
    """Add the document's segmented title and body to the backend's full-text index."""
    title_tokens, body_tokens = fts.segment(title or ""), fts.segment(body)
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_fts(rowid, title, body) VALUES (:id, :t, :b)"),
                     {"id": doc_id, "t": title_tokens, "b": body_tokens})
    else:
        conn.execute(
            text("INSERT INTO search_index(doc_id, tsv, body) VALUES (:id, "
                 "setweight(to_tsvector('simple', :t), 'A') || setweight(to_tsvector('simple', :b), 'D'), :n)"),
            {"id": doc_id, "t": title_tokens, "b": body_tokens, "n": fts.normalize(f"{title or ''}\n{body}")},
        )


FIX_COLUMNS = ("doc_id", "ordinal", "kind", "raw_start", "raw_end", "restored_start", "restored_end", "before",
               "after", "note")


def insert_fixes(conn: Connection, doc_id: int, doc: Document) -> None:
    """All fixes of a document in one driver-level executemany: a page has hundreds of
    fixes, and SQLAlchemy's per-row parameter processing would cost more than the insert."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO fixes ({', '.join(FIX_COLUMNS)}) VALUES ({', '.join([mark] * len(FIX_COLUMNS))})"
    rows = [(doc_id, i, f.kind, f.raw.start, f.raw.end, f.restored.start, f.restored.end, f.before, f.after,
             f.note or "") for i, f in enumerate(doc.fixes)]
    conn.exec_driver_sql(sql, rows)


def insert_document(
    conn: Connection,
    doc: Document,
    record: Record,
    *,
    sha256: str,
    raw_bytes: bytes | None,
    source_path: str | None,
    duplicate_of: int | None,
    minhash: bytes | None,
) -> int:
    """Insert a new document with all its parts; returns its id."""
    name = unique_name(conn, doc.name or record.doc or sha256[:16], sha256)
    meta = doc.meta
    doc_id = int(conn.execute(INSERT_DOCUMENT, {
        "name": name, "sha256": sha256, "source_path": source_path, "raw_bytes": raw_bytes, "raw": doc.raw,
        "text": doc.text, "offsets": pack(doc.offsets), "meta": meta.to_dict(), "title": meta.title,
        "date": meta.date or None, "source": meta.source, "url": meta.url, "place_id": place_id(conn, record),
        "record_warnings": list(record.warnings), "extractor_version": record.extractor_version,
        "minhash": minhash, "duplicate_of": duplicate_of, "created_at": utcnow(),
    }).scalar_one())
    if doc.fixes:
        insert_fixes(conn, doc_id, doc)
    write_record_parts(conn, doc_id, record)
    # A near-duplicate keeps its raw page and fixes but adds no items and no search hits:
    # the original already counts them.
    if duplicate_of is None:
        rows = item_rows(doc_id, sha256, record)
        if rows:
            conn.execute(insert(items_t), rows)
        index_document(conn, doc_id, meta.title, doc.text)
    return doc_id


def replace_record(conn: Connection, doc_id: int, sha256: str, record: Record) -> None:
    """Swap in a newly extracted record, keeping the ids of items whose key survives
    (so tracking links and overrides that point at them stay valid)."""
    new_rows = item_rows(doc_id, sha256, record)
    old = {row.key: row.id for row in conn.execute(select(items_t.c.key, items_t.c.id).where(items_t.c.doc_id == doc_id))}
    new_keys = {row["key"] for row in new_rows}
    gone = [item_id for key, item_id in old.items() if key not in new_keys]
    if gone:
        conn.execute(delete(items_t).where(items_t.c.id.in_(gone)))
    updates = [row for row in new_rows if row["key"] in old]
    for row in updates:
        values = {k: v for k, v in row.items() if k not in ("doc_id", "key")}
        conn.execute(update(items_t).where(items_t.c.id == old[row["key"]]).values(**values))
    inserts = [row for row in new_rows if row["key"] not in old]
    if inserts:
        conn.execute(insert(items_t), inserts)
    conn.execute(delete(officials_t).where(officials_t.c.doc_id == doc_id))
    conn.execute(delete(sectors_t).where(sectors_t.c.doc_id == doc_id))
    write_record_parts(conn, doc_id, record)
    conn.execute(update(documents).where(documents.c.id == doc_id).values(
        place_id=place_id(conn, record), extractor_version=record.extractor_version,
        record_warnings=list(record.warnings)))
