"""Writing one restored document and its record into the ledger, in one transaction.

Everything for a document (its row, fixes, items, officials, sectors, search tokens) is
written inside the caller's transaction, with one multi-row INSERT per table, so a crash
leaves either the whole document or none of it, and ingest costs a handful of statements
per document rather than one per row.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, text, update

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

# place ids already written, by (name, province, code, level): one lookup per place, not per document
PlaceCache = dict[tuple[str, str | None, str | None, str | None], int]

documents = cast(Table, DocumentRow.__table__)
fixes_t = cast(Table, FixRow.__table__)
items_t = cast(Table, ItemRow.__table__)
officials_t = cast(Table, OfficialRow.__table__)
sectors_t = cast(Table, DocumentSectorRow.__table__)
places_t = cast(Table, PlaceRow.__table__)
# Statements built once and executed with parameter dicts: SQLAlchemy caches their
# compiled form, where .values(...) per call would rebuild bind parameters every time.
INSERT_PLACE = insert(places_t).returning(places_t.c.id)
LOOKUP = select(documents.c.sha256, documents.c.name).where(
    (documents.c.sha256 == bindparam("sha")) | (documents.c.name == bindparam("name")))


def existing_id(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


def lookup(conn: Connection, sha256: str, name: str) -> tuple[bool, str]:
    """In one query: is this content stored already, and the name it would get
    (``name``, or ``name~<sha prefix>`` when another content already has that name)."""
    rows = conn.execute(LOOKUP, {"sha": sha256, "name": name}).all()
    stored = any(row.sha256 == sha256 for row in rows)
    taken = any(row.name == name and row.sha256 != sha256 for row in rows)
    return stored, (f"{name}~{sha256[:8]}" if taken else name)


def place_id(conn: Connection, record: Record, cache: PlaceCache | None = None) -> int | None:
    place = record.place
    if place is None or not place.name:
        return None
    cache_key = (place.name, place.province, place.code, place.level)
    if cache is not None and cache_key in cache:
        return cache[cache_key]
    found = _place_id(conn, record)
    if cache is not None and found is not None:
        cache[cache_key] = found
    return found


_PLACE_COLUMNS = select(places_t.c.id, places_t.c.code, places_t.c.level)
FIND_PLACE = _PLACE_COLUMNS.where((places_t.c.name == bindparam("name")) & (places_t.c.province == bindparam("province")))
FIND_PLACE_NO_PROVINCE = _PLACE_COLUMNS.where((places_t.c.name == bindparam("name")) & places_t.c.province.is_(None))


def _place_id(conn: Connection, record: Record) -> int | None:
    place = record.place
    assert place is not None
    if place.province is None:
        row = conn.execute(FIND_PLACE_NO_PROVINCE, {"name": place.name}).first()
    else:
        row = conn.execute(FIND_PLACE, {"name": place.name, "province": place.province}).first()
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


SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...]) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def executemany(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """A driver-level multi-row INSERT. The hot inserts of ingest (a document, its hundreds
    of fixes, its items) bypass SQLAlchemy's per-row parameter processing, which cost more
    than the inserts themselves; table and column names are constants of this module."""
    if rows:
        conn.exec_driver_sql(_insert_sql(conn, table, columns), rows)


def write_record_parts(conn: Connection, doc_id: int, record: Record) -> None:
    """Officials and sectors of ``record`` (items are written by the callers)."""
    executemany(conn, "officials", ("doc_id", "name", "title", "span_start", "span_end"), [
        (doc_id, o.name, o.title, o.span.start if o.span else None, o.span.end if o.span else None)
        for o in record.officials])
    executemany(conn, "document_sectors", ("doc_id", "sector"),
                [(doc_id, sector) for sector in dict.fromkeys(record.sectors) if sector])


ITEM_COLUMNS = ("doc_id", "key", "ordinal", "kind", "name", "fields", "evidence", "span_start", "span_end",
                "raw_start", "raw_end", "confidence", "extractor_version")


def insert_items(conn: Connection, rows: list[dict[str, Any]]) -> None:
    executemany(conn, "items", ITEM_COLUMNS, [
        (r["doc_id"], r["key"], r["ordinal"], r["kind"], r["name"], fields_json(r["fields"]),
         r["evidence"], r["span_start"], r["span_end"], r["raw_start"], r["raw_end"], r["confidence"],
         r["extractor_version"])
        for r in rows])


def fields_json(fields: dict[str, Any]) -> str:
    """An item's fields as stored (raises TypeError/ValueError when they are not JSON)."""
    return json.dumps(fields, ensure_ascii=False)


def insert_new_items(conn: Connection, doc_id: int, sha256: str, record: Record, fields: list[str]) -> None:
    """The items of a new document, straight to row tuples (the same values item_rows()
    gives): ``fields`` is each item's fields_json(), encoded once by the caller's check."""
    version = record.extractor_version
    executemany(conn, "items", ITEM_COLUMNS, [
        (doc_id, key, i, item.kind, item_name(item.kind, item.fields), encoded, item.evidence, item.span.start,
         item.span.end, item.raw_span.start, item.raw_span.end, round(float(item.confidence), 3), version)
        for i, (item, key, encoded) in enumerate(zip(record.items, item_keys(sha256, record.items), fields,
                                                     strict=True))])


def index_document(conn: Connection, doc_id: int, title: str | None, body: str) -> None:
    """Add the document's segmented title and body to the backend's full-text index."""
    title_tokens, body_tokens = fts.segment(title or ""), fts.segment(body)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO search_fts(rowid, title, body) VALUES (?, ?, ?)",
                             (doc_id, title_tokens, body_tokens))
    else:
        conn.execute(
            text("INSERT INTO search_index(doc_id, tsv, body) VALUES (:id, "
                 "setweight(to_tsvector('simple', :t), 'A') || setweight(to_tsvector('simple', :b), 'D'), :n)"),
            {"id": doc_id, "t": title_tokens, "b": body_tokens, "n": fts.normalize(f"{title or ''}\n{body}")},
        )


FIX_COLUMNS = ("doc_id", "ordinal", "kind", "raw_start", "raw_end", "restored_start", "restored_end", "before",
               "after", "note")


def insert_fixes(conn: Connection, doc_id: int, doc: Document) -> None:
    executemany(conn, "fixes", FIX_COLUMNS, [
        (doc_id, i, f.kind, f.raw.start, f.raw.end, f.restored.start, f.restored.end, f.before, f.after, f.note or "")
        for i, f in enumerate(doc.fixes)])


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
    name: str,
    places: PlaceCache | None = None,
    fields: list[str] | None = None,
) -> int:
    """Insert a new document with all its parts under ``name`` (see lookup()); returns its id.
    ``fields``: each item's fields_json(), when the caller has encoded them already."""
    meta = doc.meta
    created = utcnow()
    values = {
        "name": name, "sha256": sha256, "source_path": source_path, "raw_bytes": raw_bytes, "raw": doc.raw,
        "text": doc.text, "offsets": pack(doc.offsets), "meta": json.dumps(meta.to_dict(), ensure_ascii=False),
        "title": meta.title, "date": meta.date or None, "source": meta.source, "url": meta.url,
        "place_id": place_id(conn, record, places),
        "record_warnings": json.dumps(list(record.warnings), ensure_ascii=False),
        "extractor_version": record.extractor_version, "minhash": minhash, "duplicate_of": duplicate_of,
        # SQLAlchemy's SQLite DateTime reads this text form back; PostgreSQL takes the value
        "created_at": created.strftime(SQLITE_TIME) if conn.dialect.name == "sqlite" else created,
    }
    doc_id = int(conn.exec_driver_sql(_insert_sql(conn, "documents", tuple(values)) + " RETURNING id",
                                      tuple(values.values())).scalar_one())
    if doc.fixes:
        insert_fixes(conn, doc_id, doc)
    write_record_parts(conn, doc_id, record)
    # A near-duplicate keeps its raw page and fixes but adds no items and no search hits:
    # the original already counts them.
    if duplicate_of is None:
        if fields is None:
            fields = [fields_json(item.fields) for item in record.items]
        insert_new_items(conn, doc_id, sha256, record, fields)
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
    insert_items(conn, [row for row in new_rows if row["key"] not in old])
    conn.execute(delete(officials_t).where(officials_t.c.doc_id == doc_id))
    conn.execute(delete(sectors_t).where(sectors_t.c.doc_id == doc_id))
    write_record_parts(conn, doc_id, record)
    conn.execute(update(documents).where(documents.c.id == doc_id).values(
        place_id=place_id(conn, record), extractor_version=record.extractor_version,
        record_warnings=list(record.warnings)))
