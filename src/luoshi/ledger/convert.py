"""Between the shared types and stored rows: item keys, and Documents/Records rebuilt
from their dict forms (the Parquet interchange and the database)."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from typing import Any

from luoshi.types import Commitment, Fix, Meta, Official, Place, Record, Removed, Span

_ITEM_META = ("kind", "evidence", "span", "raw_span", "confidence")


def item_name(kind: str, fields: dict[str, Any]) -> str | None:
    """What an item is called: its name, or a target's metric."""
    value = fields.get("name") or fields.get("metric")
    return str(value) if value is not None else None


def _norm(value: Any) -> str:
    """``value`` as an identity part: its text NFKC-normalised, lower-cased, without whitespace."""
    if type(value) is str:
        return _norm_text(value)
    return _normalised(str(value) if value is not None else "")


def _normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


# Metrics, units and project names recur across a corpus's pages, and every item of every
# stored page passes here (numbers are not memoised: 0.0 and -0.0 are equal keys but
# different texts).
_norm_text = lru_cache(maxsize=8192)(_normalised)


def item_identity(item: Commitment) -> str:
    """What stays the same when the same item is extracted again: kind + name, or kind +
    metric + value + unit for targets (whose evidence span may move)."""
    f = item.fields
    if item.kind == "target":
        parts = [f.get("metric"), f.get("value"), f.get("value_max"), f.get("unit")]
    else:
        parts = [item_name(item.kind, f)]
    return item.kind + "|" + "|".join([_norm(p) for p in parts])


def item_keys(sha256: str, items: list[Commitment]) -> list[str]:
    """A stable key per item: hash of the document's sha256 and the item's identity, with
    an ordinal suffix when one document has several items of the same identity."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        identity = item_identity(item)
        n = seen.get(identity, 0)
        seen[identity] = n + 1
        digest = hashlib.sha256(f"{sha256}|{identity}|{n}".encode()).hexdigest()[:32]
        keys.append(digest)
    return keys


def meta_from_dict(data: dict[str, Any] | None) -> Meta:
    data = data or {}
    removed = [
        Removed(kind=r.get("kind", ""), raw=Span(*r.get("raw", [0, 0])), text=r.get("text", ""), reason=r.get("reason", ""))
        for r in data.get("removed") or []
    ]
    return Meta(
        title=data.get("title"), subtitle=data.get("subtitle"), date=data.get("date"), source=data.get("source"),
        url=data.get("url"), reporters=list(data.get("reporters") or []), editors=list(data.get("editors") or []),
        author=data.get("author"), encoding=data.get("encoding"), removed=removed,
        warnings=list(data.get("warnings") or []),
    )


def fix_from_dict(data: dict[str, Any]) -> Fix:
    return Fix(kind=data["kind"], raw=Span(*data["raw"]), restored=Span(*data["restored"]),
               before=data.get("before", ""), after=data.get("after", ""), note=data.get("note", "") or "")


def commitment_from_dict(data: dict[str, Any]) -> Commitment:
    fields = {k: v for k, v in data.items() if k not in _ITEM_META}
    return Commitment(kind=data["kind"], fields=fields, evidence=data.get("evidence", ""),
                      span=Span(*data["span"]), raw_span=Span(*data["raw_span"]),
                      confidence=float(data.get("confidence", 0.5)))


def record_from_dict(data: dict[str, Any]) -> Record:
    place = data.get("place")
    return Record(
        doc=data.get("doc") or "",
        place=Place(name=place["name"], province=place.get("province"), code=place.get("code"), level=place.get("level"))
        if place and place.get("name") else None,
        officials=[Official(name=o["name"], title=o.get("title")) for o in data.get("officials") or [] if o.get("name")],
        sectors=list(data.get("sectors") or []),
        items=[commitment_from_dict(i) for i in data.get("items") or []],
        warnings=list(data.get("warnings") or []),
        extractor_version=data.get("extractor_version") or "",
    )
