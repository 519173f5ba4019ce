"""Places side by side: items by kind and by sector, share of quantified targets, follow-through."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from luoshi.analysis import stored
from luoshi.analysis.evidence import track_place
from luoshi.analysis.tracking import paged, place_documents, summarize, summarize_counts
from luoshi.errors import NotFoundError
from luoshi.ledger.models import DocumentRow, DocumentSectorRow, ItemRow, PlaceRow
from luoshi.types import ITEM_KINDS

if TYPE_CHECKING:
    from luoshi.ledger import Ledger

COMMITMENT_KINDS = ("target", "project")


def quantified_share(items: list[dict[str, Any]]) -> float | None:
    """Share of the commitments (targets and projects) that are targets with a number."""
    commitments = [i for i in items if i.get("kind") in COMMITMENT_KINDS]
    if not commitments:
        return None
    quantified = [
        i for i in commitments if i["kind"] == "target" and (i.get("fields") or {}).get("value") is not None
    ]
    return len(quantified) / len(commitments)


def place_profile(
    ledger: Ledger, name: str, *, as_of: date | None = None, update: bool = True
) -> dict[str, Any]:
    """Everything ``compare`` and ``score`` need about one place.

    Counts come from grouped queries and follow-through from the stored tracking (brought
    up to date first unless ``update`` is False); ``as_of`` (another horizon) tracks the
    place afresh instead."""
    if as_of is not None:
        place = ledger.place(name)
        if place is None:
            raise NotFoundError(f"no place named {name!r} in the ledger", source=name)
        return _tracked_profile(ledger, place, as_of)
    with ledger.session() as session:
        found = _place_and_documents(session, name)
        if found is None:
            raise NotFoundError(f"no place named {name!r} in the ledger", source=name)
        place, documents = found
        sectors = _sectors(session, name)
        kinds, quantified = _item_counts(session, name)
    tracking = summarize_counts(stored.overview(ledger, name, update=update).counts)
    return _profile(place, documents, kinds, sectors, _share(kinds, quantified), tracking)


def _tracked_profile(ledger: Ledger, place: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The profile with the place tracked afresh at ``as_of`` (every document read)."""
    name = place["name"]
    items = list(paged(ledger.items, place=name))
    docs = place_documents(ledger, name)
    sectors: Counter[str] = Counter()
    for doc in docs:
        if not doc.get("duplicate_of"):
            sectors.update(set(doc.get("sectors") or []))
    kinds = Counter(i.get("kind") for i in items)
    return _profile(
        place,
        len([d for d in docs if not d.get("duplicate_of")]),
        kinds,
        sectors,
        quantified_share(items),
        summarize(track_place(docs, as_of=as_of)),
    )


def _profile(
    place: dict[str, Any],
    documents: int,
    kinds: Counter[Any] | dict[Any, int],
    sectors: dict[str, int],
    share: float | None,
    tracking: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": place["name"],
        "province": place.get("province"),
        "documents": documents,
        "items": sum(kinds.values()),
        "by_kind": {k: kinds.get(k, 0) for k in ITEM_KINDS},
        "by_sector": dict(sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sectors": len(sectors),
        "quantified_share": share,
        "follow_through_rate": tracking["follow_through_rate"],
        "tracking": tracking,
    }


def _share(kinds: dict[str, int], quantified: int) -> float | None:
    """quantified_share from counts: targets with a number over targets and projects."""
    commitments = sum(kinds.get(k, 0) for k in COMMITMENT_KINDS)
    return quantified / commitments if commitments else None


def _places_named(name: str) -> Any:
    """Documents of every place called ``name``, to join from."""
    return DocumentRow.__table__.join(PlaceRow.__table__, PlaceRow.id == DocumentRow.place_id)


# Counted with a CASE rather than filtered in WHERE: with ``duplicate_of IS NULL`` in the
# WHERE clause SQLite's planner walks the duplicate_of index (every original document of the
# ledger) instead of starting from the place's name.
ORIGINAL = case((DocumentRow.duplicate_of.is_(None), 1), else_=0)


def _place_and_documents(session: Session, name: str) -> tuple[dict[str, Any], int] | None:
    """The place as ``Ledger.place`` names it (the province with most documents), and the
    documents (not duplicates) of every place of that name; None when it has none."""
    rows = session.execute(
        select(PlaceRow.province, func.sum(ORIGINAL))
        .select_from(_places_named(name))
        .where(PlaceRow.name == name)
        .group_by(PlaceRow.id, PlaceRow.province, PlaceRow.name)
        .order_by(PlaceRow.province, PlaceRow.name)
    ).all()
    found = [(province, int(n)) for province, n in rows if n]
    if not found:
        return None
    province = sorted(found, key=lambda row: -row[1])[0][0]  # stable: ties keep the ledger's order
    return {"name": name, "province": province}, sum(n for _, n in found)


def _sectors(session: Session, name: str) -> dict[str, int]:
    """Sector → how many of the place's documents (not duplicates) make it a priority."""
    joined = _places_named(name).join(DocumentSectorRow.__table__, DocumentSectorRow.doc_id == DocumentRow.id)
    found = session.execute(
        select(DocumentSectorRow.sector, func.sum(ORIGINAL))
        .select_from(joined)
        .where(PlaceRow.name == name)
        .group_by(DocumentSectorRow.sector)
    )
    return {sector: int(n) for sector, n in found if n}


def _item_counts(session: Session, name: str) -> tuple[dict[str, int], int]:
    """The place's items by kind (duplicates' included, as ledger.items lists them), and its
    targets with a number."""
    joined = _places_named(name).join(ItemRow.__table__, ItemRow.doc_id == DocumentRow.id)
    numbered = case((ItemRow.fields["value"].as_string().is_not(None), 1), else_=0)
    kinds: dict[str, int] = {}
    quantified = 0
    for kind, n, with_value in session.execute(
        select(ItemRow.kind, func.count(), func.sum(numbered))
        .select_from(joined)
        .where(PlaceRow.name == name)
        .group_by(ItemRow.kind)
    ):
        kinds[kind] = int(n)
        quantified += int(with_value or 0) if kind == "target" else 0
    return kinds, quantified


def compare_places(
    ledger: Ledger, names: list[str], *, as_of: date | None = None, update: bool = True
) -> dict[str, Any]:
    """Side-by-side profiles of ``names``; ``sectors`` lists every sector any of them names.

    ``by_sector`` counts the place's documents that make the sector a priority.
    """
    if not names:
        raise NotFoundError("name at least one place to compare")
    profiles = [place_profile(ledger, n, as_of=as_of, update=update) for n in names]
    sectors = sorted(
        {s for p in profiles for s in p["by_sector"]},
        key=lambda s: (-sum(p["by_sector"].get(s, 0) for p in profiles), s),
    )
    return {"places": profiles, "kinds": list(ITEM_KINDS), "sectors": sectors}
