"""Writing restored documents and their records into the ledger, in one transaction.

Everything for a document (its row with its fix log, items, officials, sectors, search tokens) is
written inside the caller's transaction, so a crash leaves either the whole document or
none of it. The document row is inserted at once (its id names the other rows); the
other rows wait in :class:`PendingRows` and go in with one multi-row INSERT per table
for all the documents of the transaction, just before it commits.
"""

from __future__ import annotations

from _json import encode_basestring, make_encoder
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from luoshi.ledger import fts
from luoshi.ledger.convert import item_keys, item_name
from luoshi.ledger.models import (
    DocumentRow,
    DocumentSectorRow,
    ItemRow,
    OfficialRow,
    PlaceRow,
    utcnow,
)
from luoshi.ledger.offsets import pack
from luoshi.types import Document, Record

# place ids already written, by (name, province, code, level): one lookup per place, not per document
PlaceCache = dict[tuple[str, str | None, str | None, str | None], int]


class Encoded(NamedTuple):
    """A document's fix log and offset map as the ledger stores them (encode_document()).

    The pipelined ingest brings them to the storing process nearly encoded
    (wire.flatten_encoded()): that process then rebuilds neither a page's hundred Fix
    objects nor two integers per character only to encode them."""

    fixes: str  # fixes_json()
    fix_count: int
    offsets: bytes  # offsets.pack()


documents = cast(Table, DocumentRow.__table__)
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


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# The C encoder behind json.dumps(value, ensure_ascii=False), built once with the same
# settings: json.dumps (and JSONEncoder.encode) build one per call, which cost a fifth of
# encoding a page's ~18 values (fix log, meta, each item's fields). Without the circular
# reference check (markers=None): the values are trees; a cycle would end in RecursionError,
# which check_record() reports like any other value that is not JSON.
_ENCODE = make_encoder(None, _not_json, encode_basestring, None, ": ", ", ", False, False, True)


def to_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``: how the ledger stores JSON it encodes itself."""
    return "".join(_ENCODE(value, 0))


def fields_json(fields: dict[str, Any]) -> str:
    """An item's fields as stored (raises TypeError/ValueError when they are not JSON)."""
    return to_json(fields)


# ------------------------------------------------------------------ driver-level inserts

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
DOCUMENT_COLUMNS = ("name", "sha256", "source_path", "raw_bytes", "raw", "text", "offsets", "meta", "title", "date",
                    "source", "url", "place_id", "record_warnings", "extractor_version", "minhash", "duplicate_of",
                    "fixes", "fix_count", "created_at")
ITEM_COLUMNS = ("doc_id", "key", "ordinal", "kind", "name", "fields", "evidence", "span_start", "span_end",
                "raw_start", "raw_end", "confidence", "extractor_version")
OFFICIAL_COLUMNS = ("doc_id", "name", "title", "span_start", "span_end")
SECTOR_COLUMNS = ("doc_id", "sector")
# Rows per INSERT statement in executemany(): one statement per row cost SQLite and the
# driver more per row (reset, rebind, step) than the row itself.
ROWS_PER_STATEMENT = 50


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...], rows: int = 1) -> str:
    return _insert_statement("?" if conn.dialect.paramstyle == "qmark" else "%s", table, columns, rows)


@lru_cache(maxsize=64)
def _insert_statement(mark: str, table: str, columns: tuple[str, ...], rows: int) -> str:
    values = f"({', '.join([mark] * len(columns))})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([values] * rows)}"


def executemany(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """A driver-level multi-row INSERT, rows kept in order. The hot inserts of ingest (a
    document's items, officials and sectors for a whole group) bypass SQLAlchemy's per-row parameter
    processing, which cost more than the inserts themselves; table and column names are
    constants of this module. Rows go in ROWS_PER_STATEMENT at a time and the remainder
    one by one: two statements for the driver to cache, whatever the number of rows."""
    whole = len(rows) - len(rows) % ROWS_PER_STATEMENT
    if whole:
        conn.exec_driver_sql(_insert_sql(conn, table, columns, ROWS_PER_STATEMENT), [
            tuple(chain.from_iterable(rows[start : start + ROWS_PER_STATEMENT]))
            for start in range(0, whole, ROWS_PER_STATEMENT)])
    if whole < len(rows):
        conn.exec_driver_sql(_insert_sql(conn, table, columns), rows[whole:])


def insert_returning_id(conn: Connection, sql: str, values: tuple[Any, ...]) -> int:
    """Run ``sql``, an INSERT ... RETURNING id, on a cursor of the driver itself, inside
    ``conn``'s transaction, and return the id. exec_driver_sql() builds an execution
    context and a result object around every statement, which cost as much as inserting a
    document row; this is the one statement ingest runs per document. Driver errors are
    raised as SQLAlchemy raises them (DBAPIError), so callers stop the run the same way."""
    if not conn.in_transaction():
        conn.begin()  # as exec_driver_sql() would: the caller's commit() must commit this row
    cursor = conn.connection.cursor()
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    except dbapi_error as exc:
        raise DBAPIError.instance(sql, values, exc, dbapi_error) from exc
    finally:
        cursor.close()
    assert row is not None
    return int(row[0])


def insert_items(conn: Connection, rows: list[dict[str, Any]]) -> None:
    executemany(conn, "items", ITEM_COLUMNS, [
        (r["doc_id"], r["key"], r["ordinal"], r["kind"], r["name"], fields_json(r["fields"]),
         r["evidence"], r["span_start"], r["span_end"], r["raw_start"], r["raw_end"], r["confidence"],
         r["extractor_version"])
        for r in rows])


def write_record_parts(conn: Connection, doc_id: int, record: Record) -> None:
    """Officials and sectors of ``record`` (items are written by the callers)."""
    executemany(conn, "officials", OFFICIAL_COLUMNS, official_rows(doc_id, record))
    executemany(conn, "document_sectors", SECTOR_COLUMNS, sector_rows(doc_id, record))


# ------------------------------------------------------------------ a new document's rows


def new_item_rows(doc_id: int, sha256: str, record: Record, fields: list[str]) -> list[tuple[Any, ...]]:
    """The items of a new document, straight to row tuples (the same values item_rows()
    gives): ``fields`` is each item's fields_json(), encoded once by the caller's check."""
    version = record.extractor_version
    return [
        (doc_id, key, i, item.kind, item_name(item.kind, item.fields), encoded, item.evidence, item.span.start,
         item.span.end, item.raw_span.start, item.raw_span.end, round(float(item.confidence), 3), version)
        for i, (item, key, encoded) in enumerate(zip(record.items, item_keys(sha256, record.items), fields,
                                                     strict=True))]


def insert_new_items(conn: Connection, doc_id: int, sha256: str, record: Record, fields: list[str]) -> None:
    executemany(conn, "items", ITEM_COLUMNS, new_item_rows(doc_id, sha256, record, fields))


def fixes_json(doc: Document) -> str:
    """The document's fix log as stored in ``documents.fixes``: a JSON array of [kind,
    raw_start, raw_end, restored_start, restored_end, before, after, note] per fix, in
    order (queries.fixes_of() reads it back into Fix.to_dict() form)."""
    return to_json(fix_rows(doc))


def fix_rows(doc: Document) -> list[tuple[Any, ...]]:
    """The entries of fixes_json(), as tuples."""
    # Fix is a named tuple: unpacking it beats six attribute lookups per fix
    return [(kind, raw.start, raw.end, restored.start, restored.end, before, after, note or "")
            for kind, raw, restored, before, after, note in doc.fixes]


def encode_document(doc: Document) -> Encoded:
    """What insert_document() stores of ``doc``'s fix log and offset map."""
    return Encoded(fixes_json(doc), len(doc.fixes), pack(doc.offsets))


def official_rows(doc_id: int, record: Record) -> list[tuple[Any, ...]]:
    return [(doc_id, o.name, o.title, o.span.start if o.span else None, o.span.end if o.span else None)
            for o in record.officials]


def sector_rows(doc_id: int, record: Record) -> list[tuple[Any, ...]]:
    return [(doc_id, sector) for sector in dict.fromkeys(record.sectors) if sector]


def search_row(doc_id: int, title: str | None, body: str, *, sqlite: bool) -> tuple[Any, ...]:
    """The document's full-text index row: its id and segmented title and body (and, for
    PostgreSQL, the normalised text that longer terms are confirmed against)."""
    row: tuple[Any, ...] = (doc_id, fts.segment(title or ""), fts.segment(body))
    return row if sqlite else (*row, fts.normalize(f"{title or ''}\n{body}"))


POSTGRES_SEARCH_INSERT = text(
    "INSERT INTO search_index(doc_id, tsv, body) VALUES (:id, "
    "setweight(to_tsvector('simple', :t), 'A') || setweight(to_tsvector('simple', :b), 'D'), :n)")


def insert_search_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Add documents' search_row()s to the backend's full-text index."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO search_fts(rowid, title, body) VALUES (?, ?, ?)", rows)
    else:
        conn.execute(POSTGRES_SEARCH_INSERT, [{"id": i, "t": t, "b": b, "n": n} for i, t, b, n in rows])


@dataclass
class PendingRows:
    """Rows of documents whose document rows are inserted, other than those: written by
    flush() with one multi-row INSERT per table, before the transaction commits.

    Held back to the end of the transaction because an FTS5 table writes its pending
    terms out as a new index segment as soon as another statement runs in the same
    transaction: indexing each document between the inserts of the next cost a segment
    (and its merges) per document, a quarter of the ledger's SQLite time. Held together,
    the documents of a transaction make one segment, and each table one statement."""

    officials: list[tuple[Any, ...]] = field(default_factory=list)
    sectors: list[tuple[Any, ...]] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)
    search: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, other: PendingRows) -> None:
        self.officials += other.officials
        self.sectors += other.sectors
        self.items += other.items
        self.search += other.search

    def flush(self, conn: Connection) -> None:
        """Write every held row inside ``conn``'s transaction (call before committing it)."""
        executemany(conn, "officials", OFFICIAL_COLUMNS, self.officials)
        executemany(conn, "document_sectors", SECTOR_COLUMNS, self.sectors)
        executemany(conn, "items", ITEM_COLUMNS, self.items)
        insert_search_rows(conn, self.search)
        self.clear()

    def clear(self) -> None:
        """Forget the held rows (written, or their transaction rolled back)."""
        for rows in (self.officials, self.sectors, self.items, self.search):
            rows.clear()


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
    pending: PendingRows | None = None,
    encoded: Encoded | None = None,
) -> int:
    """Insert a new document with all its parts under ``name`` (see lookup()); returns its id.
    ``fields``: each item's fields_json(), when the caller has encoded them already;
    ``encoded``: likewise the document's encode_document() (then its fixes and its offset
    map are not read).
    ``pending``: where the document's other rows wait for the caller's flush(); without
    it they are written here."""
    meta = doc.meta
    fixes, fix_count, packed = encoded if encoded is not None else encode_document(doc)
    created = utcnow()
    sqlite = conn.dialect.name == "sqlite"
    values = (
        name, sha256, source_path, raw_bytes, doc.raw, doc.text, packed, to_json(meta.to_dict()),
        meta.title, meta.date or None, meta.source, meta.url, place_id(conn, record, places),
        to_json(list(record.warnings)), record.extractor_version, minhash, duplicate_of, fixes, fix_count,
        # SQLAlchemy's SQLite DateTime reads this text form back; PostgreSQL takes the value
        created.strftime(SQLITE_TIME) if sqlite else created,
    )
    doc_id = insert_returning_id(conn, _insert_sql(conn, "documents", DOCUMENT_COLUMNS) + " RETURNING id", values)
    try:
        rows = document_rows(doc_id, doc, record, sha256=sha256, fields=fields, original=duplicate_of is None,
                             sqlite=sqlite)
    except Exception:
        # ingest carries on with the next page after a page's error: the open transaction
        # must not keep this document's row without the rest of it
        conn.execute(delete(documents).where(documents.c.id == doc_id))
        raise
    if pending is None:
        rows.flush(conn)
    else:
        pending.add(rows)
    return doc_id


def document_rows(doc_id: int, doc: Document, record: Record, *, sha256: str, fields: list[str] | None,
                  original: bool, sqlite: bool) -> PendingRows:
    """All of a new document's rows other than its own. A near-duplicate (not
    ``original``) keeps its raw page and fix log but adds no items and no search hits: the
    original already counts them."""
    rows = PendingRows(officials=official_rows(doc_id, record), sectors=sector_rows(doc_id, record))
    if original:
        if fields is None:
            fields = [fields_json(item.fields) for item in record.items]
        rows.items = new_item_rows(doc_id, sha256, record, fields)
        rows.search = [search_row(doc_id, doc.meta.title, doc.text, sqlite=sqlite)]
    return rows


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
