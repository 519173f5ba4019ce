"""The ledger's read side: filters, listings, single records, statistics, search.

Every function takes a Connection and returns plain JSON-able dicts, so nothing from
SQLAlchemy leaks to the web, analysis or export layers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from luoshi.ledger import fts
from luoshi.ledger.models import DocumentRow, DocumentSectorRow, ItemRow, OfficialRow, PlaceRow

d = DocumentRow.__table__
p = PlaceRow.__table__
i = ItemRow.__table__
o = OfficialRow.__table__
s = DocumentSectorRow.__table__
search_fts = table("search_fts", column("rowid"), column("title"), column("body"))
search_index = table("search_index", column("doc_id"), column("tsv"), column("body"))

DOC_SUMMARY = (d.c.id, d.c.name, d.c.title, d.c.date, d.c.source, d.c.url, d.c.sha256, d.c.extractor_version,
               d.c.duplicate_of, d.c.created_at, p.c.name.label("place"), p.c.province.label("province"))


def _iso(value: Any) -> Any:
    """ISO text of a timestamp, always in UTC with its offset (SQLite hands back naive values)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    return value


# ---------------------------------------------------------------- filters

def text_match(conn: Connection, query: fts.Query) -> ColumnElement[bool]:
    """documents.id is among the full-text hits of ``query``."""
    if conn.dialect.name == "sqlite":
        hits = select(search_fts.c.rowid).where(text("search_fts MATCH :fts_q").bindparams(fts_q=query.fts5()))
        return d.c.id.in_(hits)
    return d.c.id.in_(select(search_index.c.doc_id).where(*pg_match(query)))


def pg_match(query: fts.Query) -> list[ColumnElement[bool]]:
    tsq = func.to_tsquery(literal_column("'simple'"), query.tsquery())
    conds: list[ColumnElement[bool]] = [search_index.c.tsv.op("@@")(tsq)]
    conds += [func.strpos(search_index.c.body, term) > 0 for term in query.terms if len(term) > 2]
    return conds


def doc_filters(conn: Connection, *, place: str | None = None, province: str | None = None,
                since: str | None = None, until: str | None = None, q: str | None = None,
                kind: str | None = None, sector: str | None = None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if place:
        conds.append(p.c.name == place)
    if province:
        conds.append(p.c.province == province)
    if since:
        conds.append(d.c.date >= since)
    if until:
        conds.append(d.c.date <= until)
    if kind:
        conds.append(exists().where(i.c.doc_id == d.c.id, i.c.kind == kind))
    if sector:
        conds.append(exists().where(s.c.doc_id == d.c.id, s.c.sector == sector))
    if q:
        query = fts.Query.parse(q)
        if query:
            conds.append(text_match(conn, query))
        else:
            conds.append(false())
    return conds


def item_filters(*, kind: str | None = None, place: str | None = None, province: str | None = None,
                 sector: str | None = None, q: str | None = None, since: str | None = None,
                 until: str | None = None, doc: str | None = None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if kind:
        conds.append(i.c.kind == kind)
    if place:
        conds.append(p.c.name == place)
    if province:
        conds.append(p.c.province == province)
    if sector:
        conds.append(exists().where(s.c.doc_id == i.c.doc_id, s.c.sector == sector))
    if since:
        conds.append(d.c.date >= since)
    if until:
        conds.append(d.c.date <= until)
    if doc:
        conds.append(d.c.name == doc)
    if q:
        terms = fts.Query.parse(q).terms  # Han runs and words only: no LIKE wildcards
        conds.append(false() if not terms else and_(*(
            or_(i.c.evidence.ilike(f"%{term}%"), i.c.name.ilike(f"%{term}%")) for term in terms)))
    return conds


def _doc_base(columns: Any) -> Select[Any]:
    return select(*columns).select_from(d.outerjoin(p, p.c.id == d.c.place_id))


def _item_base(columns: Any) -> Select[Any]:
    return select(*columns).select_from(i.join(d, d.c.id == i.c.doc_id).outerjoin(p, p.c.id == d.c.place_id))


# ---------------------------------------------------------------- documents

def sectors_of(conn: Connection, doc_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if doc_ids:
        for doc_id, sector in conn.execute(select(s.c.doc_id, s.c.sector).where(s.c.doc_id.in_(doc_ids))
                                           .order_by(s.c.doc_id, s.c.sector)):
            out[doc_id].append(sector)
    return out


def fixes_of(conn: Connection, doc_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Document id → its fix log in order, each fix in its dict form (as ``Fix.to_dict``)."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if doc_ids:
        for doc_id, log in conn.execute(select(d.c.id, d.c.fixes).where(d.c.id.in_(doc_ids), d.c.fix_count > 0)):
            out[doc_id] = [
                {"kind": kind, "raw": [raw_start, raw_end], "restored": [restored_start, restored_end],
                 "before": before, "after": after, "note": note}
                for kind, raw_start, raw_end, restored_start, restored_end, before, after, note in json.loads(log)
            ]
    return out


def _names(conn: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(conn.execute(select(d.c.id, d.c.name).where(d.c.id.in_(ids))).all())


def documents(conn: Connection, *, limit: int | None = 50, offset: int = 0, with_text: bool = False,
              **filters: Any) -> list[dict[str, Any]]:
    item_count = select(func.count()).where(i.c.doc_id == d.c.id).scalar_subquery().label("items")
    cols = [*DOC_SUMMARY, item_count] + ([d.c.text] if with_text else [])
    stmt = _doc_base(cols).where(*doc_filters(conn, **filters)).order_by(d.c.date.desc(), d.c.name)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = conn.execute(stmt.offset(offset)).mappings().all()
    sectors = sectors_of(conn, [r["id"] for r in rows])
    originals = _names(conn, {r["duplicate_of"] for r in rows if r["duplicate_of"]})
    out = []
    for r in rows:
        row = dict(r)
        row["created_at"] = _iso(row["created_at"])
        row["duplicate_of"] = originals.get(row["duplicate_of"]) if row["duplicate_of"] else None
        row["sectors"] = sectors.get(r["id"], [])
        out.append(row)
    return out


def count_documents(conn: Connection, **filters: Any) -> int:
    stmt = _doc_base([func.count()]).where(*doc_filters(conn, **filters))
    return int(conn.execute(stmt).scalar() or 0)


def document(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        _doc_base([*DOC_SUMMARY, d.c.text, d.c.raw, d.c.meta, d.c.source_path, d.c.record_warnings,
                   p.c.code.label("place_code"), p.c.level.label("place_level")]).where(d.c.name == name)
    ).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["created_at"] = _iso(out["created_at"])
    doc_id = out["id"]
    out["fixes"] = fixes_of(conn, [doc_id]).get(doc_id, [])
    out["items"] = items(conn, doc=name, limit=None)
    out["sectors"] = sectors_of(conn, [doc_id]).get(doc_id, [])
    out["officials"] = [{"name": r.name, "title": r.title} for r in
                        conn.execute(select(o.c.name, o.c.title).where(o.c.doc_id == doc_id).order_by(o.c.id))]
    out["duplicate_of"] = _names(conn, {out["duplicate_of"]}).get(out["duplicate_of"]) if out["duplicate_of"] else None
    out["duplicates"] = [n for (n,) in conn.execute(select(d.c.name).where(d.c.duplicate_of == doc_id).order_by(d.c.name))]
    out["warnings"] = out.pop("record_warnings") or []
    return out


# ---------------------------------------------------------------- items

ITEM_COLUMNS = (i.c.id, i.c.key, i.c.doc_id, d.c.name.label("doc"), d.c.title.label("doc_title"),
                d.c.date.label("doc_date"), p.c.name.label("place"), p.c.province.label("province"), i.c.kind,
                i.c.name, i.c.fields, i.c.evidence, i.c.span_start, i.c.span_end, i.c.raw_start, i.c.raw_end,
                i.c.confidence, i.c.extractor_version)


def _item_dicts(conn: Connection, rows: Any) -> list[dict[str, Any]]:
    rows = list(rows)
    sectors = sectors_of(conn, sorted({r["doc_id"] for r in rows}))
    return [
        {"id": r["id"], "key": r["key"], "doc": r["doc"], "doc_title": r["doc_title"], "doc_date": r["doc_date"],
         "place": r["place"], "province": r["province"], "kind": r["kind"], "name": r["name"],
         "fields": dict(r["fields"] or {}), "evidence": r["evidence"], "span": [r["span_start"], r["span_end"]],
         "raw_span": [r["raw_start"], r["raw_end"]], "confidence": r["confidence"],
         "sectors": sectors.get(r["doc_id"], []), "extractor_version": r["extractor_version"]}
        for r in rows
    ]


def items(conn: Connection, *, limit: int | None = 50, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
    stmt = _item_base(ITEM_COLUMNS).where(*item_filters(**filters)).order_by(
        d.c.date.desc(), d.c.name, i.c.ordinal, i.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _item_dicts(conn, conn.execute(stmt.offset(offset)).mappings())


def count_items(conn: Connection, **filters: Any) -> int:
    return int(conn.execute(_item_base([func.count()]).where(*item_filters(**filters))).scalar() or 0)


def item(conn: Connection, item_id: int) -> dict[str, Any] | None:
    found = _item_dicts(conn, conn.execute(_item_base(ITEM_COLUMNS).where(i.c.id == item_id)).mappings())
    return found[0] if found else None


# ---------------------------------------------------------------- places and stats

def places(conn: Connection, name: str | None = None) -> list[dict[str, Any]]:
    docs = (select(d.c.place_id, func.count().label("n")).where(d.c.duplicate_of.is_(None))
            .group_by(d.c.place_id).subquery())
    its = (select(d.c.place_id, func.count().label("n")).select_from(i.join(d, d.c.id == i.c.doc_id))
           .group_by(d.c.place_id).subquery())
    stmt = (select(p.c.name, p.c.province, p.c.code, p.c.level, func.coalesce(docs.c.n, 0).label("documents"),
                   func.coalesce(its.c.n, 0).label("items"))
            .select_from(p.outerjoin(docs, docs.c.place_id == p.c.id).outerjoin(its, its.c.place_id == p.c.id))
            .where(docs.c.n > 0).order_by(p.c.province, p.c.name))
    if name is not None:
        stmt = stmt.where(p.c.name == name)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def place(conn: Connection, name: str) -> dict[str, Any] | None:
    found = sorted(places(conn, name), key=lambda r: -r["documents"])
    if not found:
        return None
    out = dict(found[0])
    where = and_(p.c.name == name, d.c.duplicate_of.is_(None))
    joined = d.join(p, p.c.id == d.c.place_id)
    out["sectors"] = {sec: n for sec, n in conn.execute(
        select(s.c.sector, func.count()).select_from(s.join(joined, d.c.id == s.c.doc_id)).where(where)
        .group_by(s.c.sector).order_by(s.c.sector))}
    out["officials"] = [{"name": n, "title": t} for n, t in conn.execute(
        select(o.c.name, o.c.title).select_from(o.join(joined, d.c.id == o.c.doc_id)).where(where)
        .group_by(o.c.name, o.c.title).order_by(o.c.name))]
    out["by_kind"] = {k: n for k, n in conn.execute(
        select(i.c.kind, func.count()).select_from(i.join(joined, d.c.id == i.c.doc_id)).where(p.c.name == name)
        .group_by(i.c.kind).order_by(i.c.kind))}
    return out


def stats(conn: Connection) -> dict[str, Any]:
    originals = int(conn.execute(select(func.count()).where(d.c.duplicate_of.is_(None))).scalar() or 0)
    duplicates = int(conn.execute(select(func.count()).where(d.c.duplicate_of.is_not(None))).scalar() or 0)
    by_kind = {k: int(n) for k, n in conn.execute(select(i.c.kind, func.count()).group_by(i.c.kind).order_by(i.c.kind))}
    by_sector = {sec: int(n) for sec, n in conn.execute(
        select(s.c.sector, func.count(i.c.id)).select_from(s.join(i, i.c.doc_id == s.c.doc_id))
        .group_by(s.c.sector).order_by(s.c.sector))}
    docs_by_sector = {sec: int(n) for sec, n in conn.execute(
        select(s.c.sector, func.count()).select_from(s.join(d, d.c.id == s.c.doc_id)).where(d.c.duplicate_of.is_(None))
        .group_by(s.c.sector).order_by(s.c.sector))}
    place_count = int(conn.execute(select(func.count(func.distinct(d.c.place_id))).where(
        d.c.duplicate_of.is_(None), d.c.place_id.is_not(None))).scalar() or 0)
    return {
        "documents": originals,
        "duplicates": duplicates,
        "places": place_count,
        "provinces": int(conn.execute(select(func.count(func.distinct(p.c.province))).select_from(
            d.join(p, p.c.id == d.c.place_id)).where(d.c.duplicate_of.is_(None))).scalar() or 0),
        "items": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_sector": by_sector,
        "documents_by_sector": docs_by_sector,
        "fixes": int(conn.execute(select(func.sum(d.c.fix_count))).scalar() or 0),
        "officials": int(conn.execute(select(func.count(func.distinct(o.c.name)))).scalar() or 0),
        "first_date": conn.execute(select(func.min(d.c.date))).scalar(),
        "last_date": conn.execute(select(func.max(d.c.date))).scalar(),
    }


# ---------------------------------------------------------------- search

def search(conn: Connection, query_text: str, *, place: str | None = None, province: str | None = None,
           kind: str | None = None, sector: str | None = None, since: str | None = None, until: str | None = None,
           limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Ranked documents matching every term of ``query_text``, with snippets and matching items."""
    query = fts.Query.parse(query_text)
    if not query:
        return []
    filters = doc_filters(conn, place=place, province=province, since=since, until=until, kind=kind, sector=sector)
    cols = (d.c.id, d.c.name, d.c.title, d.c.date, p.c.name.label("place"), p.c.province.label("province"))
    if conn.dialect.name == "sqlite":
        # bm25: smaller is better; the title column weighs three times the body
        score = (-func.bm25(literal_column("search_fts"), 3.0, 1.0)).label("score")
        stmt = (select(*cols, score).select_from(
            search_fts.join(d, d.c.id == search_fts.c.rowid).outerjoin(p, p.c.id == d.c.place_id))
            .where(text("search_fts MATCH :fts_q").bindparams(fts_q=query.fts5()), *filters))
    else:
        tsq = func.to_tsquery(literal_column("'simple'"), query.tsquery())
        score = func.ts_rank(search_index.c.tsv, tsq).label("score")
        stmt = (select(*cols, score).select_from(
            search_index.join(d, d.c.id == search_index.c.doc_id).outerjoin(p, p.c.id == d.c.place_id))
            .where(*pg_match(query), *filters))
    rows = conn.execute(stmt.order_by(score.desc(), d.c.name).limit(limit).offset(offset)).mappings().all()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    texts = dict(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(ids))).all())
    item_stmt = select(i.c.id, i.c.doc_id, i.c.evidence, i.c.name).where(i.c.doc_id.in_(ids)).order_by(i.c.ordinal)
    if kind:
        item_stmt = item_stmt.where(i.c.kind == kind)
    matching: dict[int, list[int]] = defaultdict(list)
    for item_id, doc_id, evidence, name in conn.execute(item_stmt):
        if fts.term_in(f"{name or ''}\n{evidence}", query):
            matching[doc_id].append(item_id)
    hits = []
    for r in rows:
        body = texts.get(r["id"]) or ""
        snip, marks = fts.snippet(body, query)
        if not marks and r["title"]:
            snip, marks = fts.snippet(r["title"], query)
        hits.append({"doc": r["name"], "title": r["title"], "date": r["date"], "place": r["place"],
                     "province": r["province"], "score": round(float(r["score"] or 0.0), 6), "snippet": snip,
                     "highlights": marks, "item_ids": matching.get(r["id"], [])})
    return hits
