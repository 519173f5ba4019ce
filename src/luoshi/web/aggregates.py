"""Grouped counts the dashboard needs and the Ledger API has no call for.

Listing every commitment of a big place to count them takes hundreds of milliseconds; a
GROUP BY takes a few. These go through ``Ledger.session()`` and the ledger's own ORM
models (bound parameters, same tables), as the ledger contract allows higher stages to.
Counts match ``Ledger.count_items`` with the same filters (tests check it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select

from luoshi.ledger.models import DocumentRow, DocumentSectorRow, ItemRow, PlaceRow

UNCLASSIFIED = "unclassified"


def place_counts(ledger: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per place: ``by_kind`` {kind: n}, ``by_sector`` {sector: n}, ``by_sector_kind``
    {(sector, kind): n} and ``by_month`` {yyyy-mm: n} of its commitments; an item of a
    document with several sectors counts under each, one with none under "unclassified".

    Two queries: the items counted per document and kind (the only pass over the items),
    and the sectors of those documents; the four tallies are summed up from them."""
    out: dict[str, dict[str, Any]] = {
        n: {"by_kind": Counter(), "by_sector": Counter(), "by_sector_kind": Counter(), "by_month": Counter()}
        for n in names
    }
    per_doc = (
        select(PlaceRow.name, DocumentRow.id, DocumentRow.date, ItemRow.kind, func.count())
        .select_from(ItemRow)
        .join(DocumentRow, DocumentRow.id == ItemRow.doc_id)
        .join(PlaceRow, PlaceRow.id == DocumentRow.place_id)
        .where(PlaceRow.name.in_(names))
        .group_by(PlaceRow.name, DocumentRow.id, DocumentRow.date, ItemRow.kind)
    )
    with ledger.session() as session:
        counted = session.execute(per_doc).all()
        sectors = _sectors_of(session, sorted({doc_id for _, doc_id, _, _, _ in counted}))
    for place, doc_id, day, kind, n in counted:
        tally = out[place]
        tally["by_kind"][kind] += n
        tally["by_month"][(day or "")[:7] or "undated"] += n
        for sector in sectors.get(doc_id) or [UNCLASSIFIED]:
            tally["by_sector"][sector] += n
            tally["by_sector_kind"][(sector, kind)] += n
    return out


def _sectors_of(session: Any, doc_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        for doc_id, sector in session.execute(
            select(DocumentSectorRow.doc_id, DocumentSectorRow.sector).where(DocumentSectorRow.doc_id.in_(chunk))
        ):
            found[doc_id].append(sector)
    return found


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
