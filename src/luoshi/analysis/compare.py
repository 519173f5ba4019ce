"""Places side by side: items by kind and by sector, share of quantified targets, follow-through."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from luoshi.analysis.evidence import track_place
from luoshi.analysis.tracking import paged, place_documents, summarize
from luoshi.errors import NotFoundError
from luoshi.types import ITEM_KINDS

if TYPE_CHECKING:
    from luoshi.ledger import Ledger

COMMITMENT_KINDS = ("target", "project")


def quantified_share(items: list[dict[str, Any]]) -> float | None:
    """Share of the commitments (targets and projects) that are targets with a number."""
    commitments = [i for i in items if i.get("kind") in COMMITMENT_KINDS]
    if not commitments:
        return None
    quantified = [i for i in commitments if i["kind"] == "target" and (i.get("fields") or {}).get("value") is not None]
    return len(quantified) / len(commitments)


def place_profile(ledger: Ledger, name: str, *, as_of: date | None = None) -> dict[str, Any]:
    """Everything ``compare`` and ``score`` need about one place."""
    place = ledger.place(name)
    if place is None:
        raise NotFoundError(f"no place named {name!r} in the ledger", source=name)
    items = list(paged(ledger.items, place=name))
    docs = place_documents(ledger, name)
    sectors: Counter[str] = Counter()
    for doc in docs:
        if not doc.get("duplicate_of"):
            sectors.update(set(doc.get("sectors") or []))
    tracking = summarize(track_place(docs, as_of=as_of))
    kinds = Counter(i.get("kind") for i in items)
    return {
        "name": place["name"],
        "province": place.get("province"),
        "documents": len([d for d in docs if not d.get("duplicate_of")]),
        "items": len(items),
        "by_kind": {k: kinds.get(k, 0) for k in ITEM_KINDS},
        "by_sector": dict(sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sectors": len(sectors),
        "quantified_share": quantified_share(items),
        "follow_through_rate": tracking["follow_through_rate"],
        "tracking": tracking,
    }


def compare_places(ledger: Ledger, names: list[str], *, as_of: date | None = None) -> dict[str, Any]:
    """Side-by-side profiles of ``names``; ``sectors`` lists every sector any of them names.

    ``by_sector`` counts the place's documents that make the sector a priority.
    """
    if not names:
        raise NotFoundError("name at least one place to compare")
    profiles = [place_profile(ledger, n, as_of=as_of) for n in names]
    sectors = sorted({s for p in profiles for s in p["by_sector"]},
                     key=lambda s: (-sum(p["by_sector"].get(s, 0) for p in profiles), s))
    return {"places": profiles, "kinds": list(ITEM_KINDS), "sectors": sectors}
