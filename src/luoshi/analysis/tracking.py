"""Follow-through of every commitment in a ledger: the tracking table, overrides, histories.

:func:`track` computes the full table from the ledger each time (documents and items are
the source of truth), every link included. User overrides are stored, in
``status_overrides``, keyed by the item's stable key.

For the web layer: :func:`status_history` (a commitment page) and :func:`place_summary`
(a place page's kept/missed summary) read the stored tracking (:mod:`luoshi.analysis.stored`,
brought up to date first when documents changed; ``update=False`` raises
:class:`~luoshi.analysis.stored.StaleTracking` instead), which gives the same statuses,
reasons and status history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from luoshi.analysis import status as st
from luoshi.analysis import stored
from luoshi.analysis.deadlines import parse_iso
from luoshi.analysis.evidence import TRACKED_KINDS, track_item, track_place
from luoshi.errors import NotFoundError
from luoshi.ledger.models import DocumentRow, ItemRow
from luoshi.ledger.offsets import unpack
from luoshi.ledger.tracking_models import StatusOverrideRow
from luoshi.types import OffsetMap

if TYPE_CHECKING:
    from luoshi.ledger import Ledger

PAGE = 500


def paged(fetch: Any, **filters: Any) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = fetch(limit=PAGE, offset=offset, **filters)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def place_documents(ledger: Ledger, place: str) -> list[dict[str, Any]]:
    """Every document of ``place`` in full (text, raw, fixes, items, and its offset map)."""
    out = []
    for summary in paged(ledger.documents, place=place):
        doc = ledger.document(summary["name"])
        if doc is not None:
            doc["offsets"] = _offset_map(ledger, doc["name"])
            out.append(doc)
    return out


def _offset_map(ledger: Ledger, name: str) -> OffsetMap | None:
    """The stored restored→raw map, so evidence found by tracking gets exact raw offsets."""
    with ledger.session() as session:
        blob = session.scalar(select(DocumentRow.offsets).where(DocumentRow.name == name))
    return unpack(blob) if blob else None


def place_names(ledger: Ledger) -> list[str]:
    return [p["name"] for p in ledger.places()]


# -- overrides -----------------------------------------------------------------------------


def _override_dict(row: StatusOverrideRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "key": row.item_key,
        "status": row.status,
        "note": row.note,
        "by": row.author,
        "at": row.created_at.isoformat() if row.created_at else None,
    }


def resolve_key(ledger: Ledger, item: str | int) -> str:
    """An item's stable key from the key itself or from its numeric id; NotFoundError otherwise."""
    text = str(item).strip()
    with ledger.session() as session:
        if text.isdigit():
            key = session.scalar(select(ItemRow.key).where(ItemRow.id == int(text)))
            if key:
                return str(key)
        if session.scalar(select(ItemRow.id).where(ItemRow.key == text).limit(1)) is not None:
            return text
    raise NotFoundError(f"no commitment with id or key {text!r} in the ledger", source=text)


def set_override(ledger: Ledger, item: str | int, status: str | None, note: str = "",
                 by: str | None = None) -> dict[str, Any]:
    """Record a user's status for a commitment (``status=None`` withdraws the override)."""
    key = resolve_key(ledger, item)
    value = st.normalize_status(status) if status is not None else None
    with ledger.session() as session:
        row = StatusOverrideRow(item_key=key, status=value, note=note or "", author=by)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _override_dict(row)


def override_log(ledger: Ledger, key: str | None = None) -> list[dict[str, Any]]:
    """The audit trail, oldest first (all keys, or one)."""
    with ledger.session() as session:
        query = select(StatusOverrideRow).order_by(StatusOverrideRow.created_at, StatusOverrideRow.id)
        if key is not None:
            query = query.where(StatusOverrideRow.item_key == key)
        return [_override_dict(r) for r in session.scalars(query)]


def standing_overrides(ledger: Ledger) -> dict[str, dict[str, Any]]:
    """Key → the newest override row, for keys whose newest row sets a status."""
    latest: dict[str, dict[str, Any]] = {}
    for row in override_log(ledger):
        latest[row["key"]] = row
    return {k: v for k, v in latest.items() if v["status"]}


def _apply(row: dict[str, Any], overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    override = overrides.get(row.get("key") or "")
    if override:
        row["override"] = override
        row["status"] = override["status"]
        who = f" by {override['by']}" if override.get("by") else ""
        row["reason"] = f"set{who}: {override['note'] or 'no note'} (computed: {row['computed_status']})"
    return row


# -- the table -----------------------------------------------------------------------------


def track(ledger: Ledger, *, place: str | None = None, status: str | None = None,
          as_of: date | None = None, kinds: tuple[str, ...] = TRACKED_KINDS) -> list[dict[str, Any]]:
    """The tracking table: one row per commitment (targets and projects), oldest first."""
    wanted = st.normalize_status(status) if status else None
    places = [place] if place else place_names(ledger)
    overrides = standing_overrides(ledger)
    rows: list[dict[str, Any]] = []
    for name in places:
        docs = place_documents(ledger, name)
        if place and not docs and ledger.place(name) is None:
            raise NotFoundError(f"no place named {name!r} in the ledger", source=name)
        for row in track_place(docs, as_of=as_of, kinds=kinds):
            row = _apply(row, overrides)
            if wanted is None or row["status"] == wanted:
                rows.append(row)
    rows.sort(key=lambda r: (r.get("place") or "", r.get("doc_date") or "", r.get("doc") or "", r.get("id") or 0))
    return rows


def track_one(ledger: Ledger, item_id: int, *, as_of: date | None = None) -> dict[str, Any]:
    """The tracking row of one commitment (any kind)."""
    item = ledger.item(item_id)
    if item is None:
        raise NotFoundError(f"no commitment with id {item_id}", source=str(item_id))
    docs = [d for d in place_documents(ledger, item["place"]) if not d.get("duplicate_of")] if item.get("place") else []
    when = parse_iso(item.get("doc_date"))
    dated = sorted((d for d in docs if parse_iso(d.get("date"))), key=lambda d: (d["date"], d.get("name") or ""))
    later = [d for d in dated if when is not None and parse_iso(d["date"]) > when]  # type: ignore[operator]
    horizon = as_of or (parse_iso(dated[-1]["date"]) if dated else None)
    return _apply(track_item(item, later, horizon, peers=max(len(docs) - 1, 0)), standing_overrides(ledger))


def status_history(ledger: Ledger, item_id: int, *, update: bool = True) -> list[dict[str, Any]]:
    """A commitment's status over time: the promise, each later verdict with its evidence, overrides.

    Entries are dicts with ``date``, ``source`` (promise | evidence | override), ``status``,
    ``reason``, ``doc``, ``evidence`` (the clause), ``span``/``raw_span`` (into that
    document), ``relation``, ``note`` and ``by``; oldest first. Read from the stored
    tracking (see the module's doc string for ``update``).
    """
    item = ledger.item(item_id)
    if item is None:
        raise NotFoundError(f"no commitment with id {item_id}", source=str(item_id))
    found = stored.item_row(ledger, item, update=update)
    row = track_one(ledger, item_id) if found is None else _apply(found, standing_overrides(ledger))
    history: list[dict[str, Any]] = [{
        "date": row["doc_date"], "source": "promise", "status": st.PENDING,
        "reason": f"promised: {row['commitment']}", "doc": row["doc"], "evidence": row["promise"],
        "span": item.get("span"), "raw_span": item.get("raw_span"),
        "relation": None, "note": None, "by": None,
    }]
    for link in row["evidence"]:
        if not link["status"]:
            continue  # restated or updated without a verdict: in the tracking table, not a status change
        history.append({
            "date": link["date"], "source": "evidence", "status": link["status"], "reason": link["reason"],
            "doc": link["doc"], "evidence": link["evidence"], "span": link["span"], "raw_span": link["raw_span"],
            "relation": link["relation"], "note": None, "by": None,
        })
    for o in override_log(ledger, row["key"]):
        history.append({
            "date": (o["at"] or "")[:10], "source": "override", "status": o["status"],
            "reason": "override withdrawn" if o["status"] is None else "set by a user",
            "doc": None, "evidence": None, "span": None, "raw_span": None, "relation": None,
            "note": o["note"], "by": o["by"],
        })
    history.sort(key=lambda h: (h["date"] or "", ("promise", "evidence", "override").index(h["source"])))
    history.append({
        "date": None, "source": "current", "status": row["status"], "reason": row["reason"], "doc": None,
        "evidence": None, "span": None, "raw_span": None, "relation": None, "note": None, "by": None,
    })
    return history


def follow_through(counts: dict[str, int]) -> float | None:
    """Achieved share of the commitments whose outcome is known (achieved, partly, missed, dropped)."""
    decided = sum(counts.get(s, 0) for s in (st.ACHIEVED, st.PARTLY, st.MISSED, st.DROPPED))
    return counts.get(st.ACHIEVED, 0) / decided if decided else None


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return summarize_counts(Counter(r["status"] for r in rows))


def summarize_counts(counts: Mapping[str, int]) -> dict[str, Any]:
    """The summary of rows with these counts by status."""
    by_status = {s: counts.get(s, 0) for s in st.STATUSES}
    return {
        "total": sum(counts.values()),
        "by_status": by_status,
        "kept": by_status[st.ACHIEVED],
        "partly": by_status[st.PARTLY],
        "missed": by_status[st.MISSED],
        "dropped": by_status[st.DROPPED],
        "open": by_status[st.PENDING] + by_status[st.IN_PROGRESS],
        "unknown": by_status[st.UNKNOWN],
        "follow_through_rate": follow_through(by_status),
    }


def place_summary(ledger: Ledger, place: str, *, as_of: date | None = None, update: bool = True) -> dict[str, Any]:
    """Kept/missed summary of one place, with its commitments' short rows (for the place page).

    Read from the stored tracking unless ``as_of`` asks for another horizon."""
    if as_of is not None:
        rows = track(ledger, place=place, as_of=as_of)
    else:
        rows = stored_rows(ledger, place, update=update)
    out = {"place": place, **summarize(rows)}
    out["commitments"] = [
        {k: r[k] for k in ("id", "key", "doc", "doc_date", "kind", "commitment", "status", "reason", "due")}
        for r in rows
    ]
    return out


def place_overview(ledger: Ledger, place: str, ids: Iterable[int], *, update: bool = True) -> dict[str, Any]:
    """A place page's follow-through without reading every commitment's row: the summary of
    :func:`place_summary` (overrides applied) and ``status_of``, the status of the
    commitments ``ids`` (the ones the page lists)."""
    overrides = standing_overrides(ledger)
    found = stored.overview(ledger, place, ids=ids, keys=overrides, update=update)
    counts = Counter(found.counts)
    for _, key, computed in found.by_key:
        counts[computed] -= 1
        counts[overrides[key]["status"]] += 1
    status_of = {item_id: (overrides.get(key) or {}).get("status") or computed for item_id, key, computed in found.by_id}
    return {"place": place, **summarize_counts(counts), "status_of": status_of}


def stored_rows(ledger: Ledger, place: str, *, update: bool = True) -> list[dict[str, Any]]:
    """The short tracking rows of a place from the store, overrides applied, in track's order."""
    rows = stored.place_rows(ledger, place, update=update)
    if not rows and ledger.place(place) is None:
        raise NotFoundError(f"no place named {place!r} in the ledger", source=place)
    overrides = standing_overrides(ledger)
    rows = [_apply(row, overrides) for row in rows]
    rows.sort(key=lambda r: (r.get("place") or "", r.get("doc_date") or "", r.get("doc") or "", r.get("id") or 0))
    return rows


TABLE_COLUMNS = ("id", "place", "doc", "doc_date", "kind", "commitment", "deadline", "due", "status",
                 "reason", "evidence_doc", "evidence_date", "evidence", "links", "override_note", "key")


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV-ready row: the decisive (or latest) evidence clause in columns."""
    links = row["evidence"]
    chosen = row.get("decisive") or (links[-1] if links else None)
    return {
        "id": row["id"], "place": row["place"], "doc": row["doc"], "doc_date": row["doc_date"],
        "kind": row["kind"], "commitment": row["commitment"], "deadline": row["deadline"], "due": row["due"],
        "status": row["status"], "reason": row["reason"],
        "evidence_doc": chosen["doc"] if chosen else None,
        "evidence_date": chosen["date"] if chosen else None,
        "evidence": chosen["evidence"] if chosen else None,
        "links": len(links),
        "override_note": (row.get("override") or {}).get("note"),
        "key": row["key"],
    }
