"""Follow-through kept in the ledger, brought up to date a document at a time.

Tracking a commitment means reading every later document of its place; the dashboard
cannot do that per request on a big place. So what decides a status is stored:

* ``tracking_links``: per commitment and later document, the links with a status
  (:mod:`luoshi.analysis.verdicts` finds them through indexes) and the verdict they add
  up to (status and reason);
* ``tracking_scans``: the documents whose links are worked out, with a *stamp* of what
  they depend on (content, date, place, duplicate flag, its items, :data:`TRACKER_VERSION`);
* ``tracking_statuses``: every commitment's computed status, reason and due date;
* ``tracking_places``: per place a stamp of all its documents' stamps.

:func:`refresh` rescans only the documents whose stamp changed (a new or re-extracted
document is read as evidence for the earlier commitments of its place, and its own
commitments are followed through the later documents), then recomputes the place's
statuses from the stored verdicts, which is cheap: the horizon and the counts of later
documents change with every new document, the links do not. Readers check the place's
stamp first (two indexed queries), so a stale store is never served as fresh; a commitment
page rebuilds its row from its stored links.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from luoshi.analysis.deadlines import parse_iso
from luoshi.analysis.evidence import TRACKED_KINDS, _doc_status, settle
from luoshi.analysis.verdicts import deciding_links
from luoshi.ledger.models import DocumentRow, ItemRow, PlaceRow
from luoshi.ledger.offsets import unpack
from luoshi.ledger.queries import fixes_of
from luoshi.ledger.tracking_models import TrackedPlaceRow, TrackingLinkRow, TrackingScanRow, TrackingStatusRow

if TYPE_CHECKING:
    from luoshi.ledger import Ledger

# Part of every stamp: change it when a rule in evidence, reports or status changes what
# tracking finds, and every stored link is worked out again.
TRACKER_VERSION = "1"
CHUNK = 500  # ids per IN (...) list

d, p, i = DocumentRow.__table__, PlaceRow.__table__, ItemRow.__table__
scans = cast(Table, TrackingScanRow.__table__)
links_t = cast(Table, TrackingLinkRow.__table__)
statuses = cast(Table, TrackingStatusRow.__table__)
places_t = cast(Table, TrackedPlaceRow.__table__)


class StaleTracking(Exception):
    """The stored tracking of a place does not describe its documents any more."""


@dataclass(frozen=True, slots=True)
class Doc:
    """What the stamps and the statuses need of a document (no text)."""

    id: int
    name: str
    date: str | None
    duplicate: bool
    key: str  # what its links depend on, spelled out

    @property
    def stamp(self) -> str:
        return _digest(self.key)


class PlaceState:
    """A place's documents as their stamps see them: (id, name, date, sha256, extractor
    version, duplicate_of, place id, item count, newest item id) rows, ordered by id.

    The place's stamp digests them all at once (every read checks it); the documents are
    made from the rows only when a refresh or a status needs them."""

    def __init__(self, place: str, rows: list[tuple[Any, ...]]) -> None:
        self.place = place
        self.rows = rows
        self.stamp = _digest(TRACKER_VERSION, repr(rows))

    @cached_property
    def docs(self) -> list[Doc]:
        return [Doc(r[0], r[1], r[2], r[5] is not None, f"{TRACKER_VERSION}\x1f{r!r}") for r in self.rows]

    @property
    def usable(self) -> list[Doc]:
        return [doc for doc in self.docs if not doc.duplicate]

    def dated(self) -> list[Doc]:
        """The usable dated documents, oldest first (as track_place orders them)."""
        return sorted((x for x in self.usable if parse_iso(x.date)), key=lambda x: (x.date or "", x.name))


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(x) for x in parts).encode()).hexdigest()[:40]


def place_state(conn: Connection, place: str) -> PlaceState:
    """The place's documents with what their stamps digest (two indexed queries: one
    grouping both is slower)."""
    of_place = d.join(p, p.c.id == d.c.place_id)
    columns = (d.c.id, d.c.name, d.c.date, d.c.sha256, d.c.extractor_version, d.c.duplicate_of, d.c.place_id)
    docs = conn.execute(
        select(*columns).select_from(of_place).where(p.c.name == place).order_by(d.c.id)
    ).all()
    counts = {
        doc_id: (n, last)
        for doc_id, n, last in conn.execute(
            select(d.c.id, func.count(i.c.id), func.max(i.c.id))
            .select_from(of_place.join(i, i.c.doc_id == d.c.id))
            .where(p.c.name == place)
            .group_by(d.c.id)
        ).all()
    }
    return PlaceState(place, [(*row, *counts.get(row[0], (0, None))) for row in docs])


def is_fresh(conn: Connection, state: PlaceState) -> bool:
    stored = conn.execute(select(places_t.c.stamp).where(places_t.c.place == state.place)).scalar()
    return stored == state.stamp


def fresh(ledger: Ledger, place: str) -> bool:
    """Whether the stored tracking of ``place`` describes its documents as they are."""
    with ledger.engine.connect() as conn:
        return is_fresh(conn, place_state(conn, place))


# -- bringing the store up to date ----------------------------------------------------------


def refresh(ledger: Ledger, place: str) -> bool:
    """Bring the stored tracking of ``place`` up to date; False when it already was (or
    another process brought it up to date at the same time: its rows stand)."""
    try:
        return _refresh(ledger, place)
    except IntegrityError:
        return False


def _refresh(ledger: Ledger, place: str) -> bool:
    with ledger.engine.begin() as conn:
        state = place_state(conn, place)
        if is_fresh(conn, state):
            return False
        stale = _stale_docs(conn, state)
        items = _items(ledger, place, state)
        if stale:
            docs = _documents(conn, state, items, stale)
            _store_links(conn, state, items, stale, deciding_links(docs, {x.name for x in stale}))
            _delete_in(conn, scans, scans.c.doc_id, [x.id for x in stale])
            conn.execute(insert(scans), [{"doc_id": x.id, "stamp": x.stamp} for x in stale])
        _store_statuses(conn, state, items)
        conn.execute(delete(places_t).where(places_t.c.place == place))
        conn.execute(insert(places_t), [{"place": place, "stamp": state.stamp}])
    return True


def refresh_all(ledger: Ledger) -> int:
    """Bring every place up to date; how many places needed it."""
    return sum(refresh(ledger, entry["name"]) for entry in ledger.places())


def _stale_docs(conn: Connection, state: PlaceState) -> list[Doc]:
    usable = state.usable
    scanned: dict[int, str] = {}
    for chunk in _chunks([x.id for x in usable]):
        scanned.update(
            conn.execute(select(scans.c.doc_id, scans.c.stamp).where(scans.c.doc_id.in_(chunk))).all()
        )
    return [x for x in usable if scanned.get(x.id) != x.stamp]


def _items(ledger: Ledger, place: str, state: PlaceState) -> dict[str, list[dict[str, Any]]]:
    """Document name → its items (as the ledger lists them), for the usable documents."""
    usable = {x.name for x in state.usable}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in ledger.items(place=place, limit=None):
        if item["doc"] in usable:
            by_doc[item["doc"]].append(item)
    return by_doc


def _documents(
    conn: Connection, state: PlaceState, items: dict[str, list[dict[str, Any]]], stale: list[Doc]
) -> list[dict[str, Any]]:
    """The usable documents in the shape tracking reads; text only for those a scan reads:
    the stale ones, and every one dated after the oldest stale one (its items' later documents)."""
    days = [day for x in stale if (day := parse_iso(x.date)) is not None]
    oldest = min(days) if days else None
    stale_ids = {x.id for x in stale}

    def read(x: Doc) -> bool:
        day = parse_iso(x.date)
        return x.id in stale_ids or (oldest is not None and day is not None and day > oldest)

    wanted = [x.id for x in state.usable if read(x)]
    texts: dict[int, Any] = {}
    for chunk in _chunks(wanted):
        for found in conn.execute(select(d.c.id, d.c.text, d.c.raw, d.c.offsets).where(d.c.id.in_(chunk))):
            texts[found.id] = found
    fixes = _fixes(conn, [doc_id for doc_id, found in texts.items() if not found.offsets])
    out = []
    for x in state.usable:
        row = texts.get(x.id)
        out.append(
            {
                "name": x.name,
                "date": x.date,
                "duplicate_of": None,
                "items": items.get(x.name, []),
                "text": row.text if row else "",
                "raw": row.raw if row else "",
                "offsets": unpack(row.offsets) if row is not None and row.offsets else None,
                "fixes": fixes.get(x.id, []),
            }
        )
    return out


def _fixes(conn: Connection, doc_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Fix logs, for documents without a stored offset map (raw spans are then found through them)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunks(doc_ids):
        out.update(fixes_of(conn, chunk))
    return out


def _store_links(
    conn: Connection,
    state: PlaceState,
    items: dict[str, list[dict[str, Any]]],
    stale: list[Doc],
    found: dict[Any, dict[str, list[dict[str, Any]]]],
) -> None:
    """Replace the links a stale document took part in, on either side."""
    stale_items = [item["id"] for x in stale for item in items.get(x.name, [])]
    _delete_in(conn, links_t, links_t.c.doc_id, [x.id for x in stale])
    _delete_in(conn, links_t, links_t.c.item_id, stale_items)
    ids = {x.name: x.id for x in state.docs}
    by_id = {item["id"]: item for group in items.values() for item in group}
    rows = []
    for item_id, by_doc in found.items():
        for name, found_links in by_doc.items():
            decided = _doc_status(by_id[item_id], found_links)
            assert decided is not None  # every stored link has a status
            rows.append(
                {
                    "item_id": item_id,
                    "doc_id": ids[name],
                    "status": decided[0],
                    "reason": decided[1],
                    "links": found_links,
                }
            )
    for chunk in _chunks(rows):
        conn.execute(insert(links_t), chunk)


def stored_links(conn: Connection, item_ids: list[int]) -> dict[int, dict[int, list[dict[str, Any]]]]:
    """item id → later document id → its deciding links."""
    out: dict[int, dict[int, list[dict[str, Any]]]] = defaultdict(dict)
    for chunk in _chunks(item_ids):
        for item_id, doc_id, found in conn.execute(
            select(links_t.c.item_id, links_t.c.doc_id, links_t.c.links)
            .where(links_t.c.item_id.in_(chunk))
            .order_by(links_t.c.id)
        ):
            out[item_id][doc_id] = found
    return out


def stored_verdicts(conn: Connection, item_ids: list[int]) -> dict[int, dict[int, list[dict[str, Any]]]]:
    """item id → later document id → the one link standing for that document's verdict
    (its status and reason): enough for a status, without reading the stored links."""
    out: dict[int, dict[int, list[dict[str, Any]]]] = defaultdict(dict)
    for chunk in _chunks(item_ids):
        for item_id, doc_id, status, reason in conn.execute(
            select(links_t.c.item_id, links_t.c.doc_id, links_t.c.status, links_t.c.reason)
            .where(links_t.c.item_id.in_(chunk))
            .order_by(links_t.c.id)
        ):
            out[item_id][doc_id] = [{"status": status, "reason": reason, "mention": ""}]
    return out


def _store_statuses(conn: Connection, state: PlaceState, items: dict[str, list[dict[str, Any]]]) -> None:
    rows = rows_from_links(
        state, items, stored_verdicts(conn, [item["id"] for group in items.values() for item in group])
    )
    conn.execute(delete(statuses).where(statuses.c.place == state.place))
    records = [
        {
            "item_id": r["id"],
            "place": state.place,
            "status": r["computed_status"],
            "reason": r["reason"],
            "commitment": r["commitment"],
            "due": r["due"],
        }
        for r in rows
    ]
    for chunk in _chunks(records):
        conn.execute(insert(statuses), chunk)


class _Timeline:
    """A place's dated documents in order, to find each commitment's later ones quickly."""

    def __init__(self, state: PlaceState) -> None:
        self.dated = state.dated()
        self.when = [parse_iso(x.date) for x in self.dated]
        self.position = {x.id: n for n, x in enumerate(self.dated)}
        self.horizon = self.when[-1] if self.when else None  # the newest document, as track_place
        self.peers = max(len(state.usable) - 1, 0)

    def row(self, item: dict[str, Any], by_doc: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
        """track_item's row for ``item``, from its stored links per later document id."""
        when = parse_iso(item.get("doc_date"))
        first = bisect_right(self.when, when) if when is not None else len(self.dated)  # type: ignore[type-var]
        later = sorted(
            (self.position[doc_id], found)
            for doc_id, found in by_doc.items()
            if self.position.get(doc_id, -1) >= first
        )
        pairs = [({"name": self.dated[n].name, "date": self.dated[n].date}, found) for n, found in later]
        return settle(item, pairs, len(self.dated) - first, self.horizon, peers=self.peers)


def rows_from_links(
    state: PlaceState,
    items: dict[str, list[dict[str, Any]]],
    found: dict[int, dict[int, list[dict[str, Any]]]],
) -> list[dict[str, Any]]:
    """Tracking rows (as track_place makes them, with deciding links only) from stored links."""
    timeline = _Timeline(state)
    rows = []
    for doc in sorted(state.usable, key=lambda x: (x.date or "9999", x.name)):
        for item in items.get(doc.name, []):
            if item.get("kind") in TRACKED_KINDS:
                rows.append(timeline.row(item, found.get(item["id"], {})))
    return rows


# -- reading -------------------------------------------------------------------------------


def _checked_state(ledger: Ledger, conn: Connection, place: str, update: bool) -> PlaceState:
    state = place_state(conn, place)
    if not is_fresh(conn, state):
        if not update:
            raise StaleTracking(place)
        refresh(ledger, place)
        state = place_state(conn, place)
    return state


def place_rows(ledger: Ledger, place: str, *, update: bool = True) -> list[dict[str, Any]]:
    """Short stored rows of a place's commitments: id, key, place, doc, doc_date, kind,
    commitment, status (computed), computed_status, reason, due; no evidence."""
    with ledger.engine.connect() as conn:
        _checked_state(ledger, conn, place, update)
        rows = conn.execute(
            select(
                statuses.c.item_id,
                i.c.key,
                d.c.name,
                d.c.date,
                i.c.kind,
                statuses.c.commitment,
                statuses.c.status,
                statuses.c.reason,
                statuses.c.due,
            )
            .select_from(statuses.join(i, i.c.id == statuses.c.item_id).join(d, d.c.id == i.c.doc_id))
            .where(statuses.c.place == place)
        ).all()
    return [
        {
            "id": r.item_id,
            "key": r.key,
            "place": place,
            "doc": r.name,
            "doc_date": r.date,
            "kind": r.kind,
            "commitment": r.commitment,
            "status": r.status,
            "computed_status": r.status,
            "reason": r.reason,
            "due": r.due,
        }
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Overview:
    """A place's computed statuses in counts, and (id, key, status) of some commitments."""

    counts: dict[str, int]
    by_id: list[tuple[int, str, str]]
    by_key: list[tuple[int, str, str]]


def overview(
    ledger: Ledger, place: str, *, ids: Iterable[int] = (), keys: Iterable[str] = (), update: bool = True
) -> Overview:
    """How many of the place's commitments have each computed status (overrides not
    applied), and (item id, key, computed status) of those with these ids, and these keys."""
    with ledger.engine.connect() as conn:
        _checked_state(ledger, conn, place, update)
        counts = conn.execute(
            select(statuses.c.status, func.count())
            .where(statuses.c.place == place)
            .group_by(statuses.c.status)
        ).all()
        query = (
            select(statuses.c.item_id, i.c.key, statuses.c.status)
            .select_from(statuses.join(i, i.c.id == statuses.c.item_id))
            .where(statuses.c.place == place)
        )
        found: list[list[tuple[int, str, str]]] = []
        for column, values in ((statuses.c.item_id, ids), (i.c.key, keys)):
            rows = [conn.execute(query.where(column.in_(chunk))).all() for chunk in _chunks(list(values))]
            found.append([(row[0], row[1], row[2]) for chunk_rows in rows for row in chunk_rows])
    return Overview({status: int(n) for status, n in counts}, found[0], found[1])


def item_row(ledger: Ledger, item: dict[str, Any], *, update: bool = True) -> dict[str, Any] | None:
    """The tracking row of one commitment from the store, its evidence the deciding links;
    None when the store does not follow it (no place, or an item of a duplicate document)."""
    if not item.get("place"):
        return None
    with ledger.engine.connect() as conn:
        state = _checked_state(ledger, conn, item["place"], update)
        found = stored_links(conn, [item["id"]])
    if not any(x.name == item.get("doc") for x in state.usable):
        return None
    return _Timeline(state).row(item, found.get(item["id"], {}))


def _delete_in(conn: Connection, table: Any, column: Any, values: list[Any]) -> None:
    for chunk in _chunks(values):
        conn.execute(delete(table).where(column.in_(chunk)))


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[n : n + CHUNK] for n in range(0, len(values), CHUNK)]
