"""Grouped counts the dashboard needs and the Ledger API has no call for.

Listing every commitment of a big place to count them takes hundreds of milliseconds; a
GROUP BY takes a few. These go through ``Ledger.session()`` and the ledger's own ORM
models (bound parameters, same tables), as the ledger contract allows higher stages to.
Counts match ``Ledger.count_items`` with the same filters (tests check it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Select, func, select

from luoshi.ledger.models import DocumentRow, DocumentSectorRow, ItemRow, PlaceRow

UNCLASSIFIED = "unclassified"


def _items_of(names: list[str]) -> Any:
    return (
        select(ItemRow.id, ItemRow.kind, ItemRow.doc_id, DocumentRow.date, PlaceRow.name.label("place"))
        .join(DocumentRow, DocumentRow.id == ItemRow.doc_id)
        .join(PlaceRow, PlaceRow.id == DocumentRow.place_id)
        .where(PlaceRow.name.in_(names))
        .subquery()
    )


def _with_sectors(items: Any, *columns: Any) -> Select[Any]:
    return (
        select(*columns, func.count())
        .select_from(items)
        .outerjoin(DocumentSectorRow, DocumentSectorRow.doc_id == items.c.doc_id)
        .group_by(*columns)
    )


def place_counts(ledger: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per place: ``by_kind`` {kind: n}, ``by_sector`` {sector: n}, ``by_sector_kind``
    {(sector, kind): n} and ``by_month`` {yyyy-mm: n} of its commitments; an item of a
    document with several sectors counts under each, one with none under "unclassified"."""
    out: dict[str, dict[str, Any]] = {
        n: {"by_kind": Counter(), "by_sector": Counter(), "by_sector_kind": Counter(), "by_month": Counter()}
        for n in names
    }
    items = _items_of(names)
    with ledger.session() as session:
        for place, kind, n in session.execute(
            select(items.c.place, items.c.kind, func.count()).group_by(items.c.place, items.c.kind)
        ):
            out[place]["by_kind"][kind] += int(n)
        month = func.substr(items.c.date, 1, 7)
        for place, ym, n in session.execute(select(items.c.place, month, func.count()).group_by(items.c.place, month)):
            out[place]["by_month"][ym or "undated"] += int(n)
        for place, sector, kind, n in session.execute(
            _with_sectors(items, items.c.place, DocumentSectorRow.sector, items.c.kind)
        ):
            sector = sector or UNCLASSIFIED
            out[place]["by_sector"][sector] += int(n)
            out[place]["by_sector_kind"][(sector, kind)] += int(n)
    return out


def ordered_sectors(by_sector: dict[str, dict[str, int]]) -> list[str]:
    return sorted(by_sector, key=lambda s: (-sum(by_sector[s].values()), s))


def side_by_side(ledger: Any, names: list[str]) -> dict[str, Any]:
    """Places compared by sector and kind, exact, in the compare page's shape."""
    counts = place_counts(ledger, names)
    by_sector: dict[str, dict[str, int]] = defaultdict(dict)
    for name in names:
        for sector, n in counts[name]["by_sector"].items():
            by_sector[sector][name] = n
    sectors = ordered_sectors(by_sector)
    return {
        "places": names,
        "sectors": sectors,
        "sector_unit": "commitments",
        "by_sector": {s: {n: by_sector[s].get(n, 0) for n in names} for s in sectors},
        "by_kind": {n: dict(counts[n]["by_kind"]) for n in names},
        "totals": {n: sum(counts[n]["by_kind"].values()) for n in names},
        "extra": [],
    }
