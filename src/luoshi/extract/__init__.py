"""Extraction stage: turn a restored ``Document`` into a commitment ``Record``.

The pipeline splits the body into clauses once (:mod:`luoshi.extract.clauses`), runs
each item finder over them, and turns every :class:`Found` into a
:class:`~luoshi.types.Commitment` whose evidence is the exact restored text at its span
and whose raw span comes from the document's offset map. Finders are small modules, one
per item kind; the entity finders (organizations, partners, strategies, place,
officials, sectors) are imported lazily so a missing one leaves its part empty rather
than breaking the record.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from luoshi.extract.clauses import Clause, Found, split_clauses
from luoshi.types import Commitment, Document, Official, Place, Record, Span

__all__ = ["EXTRACTOR_VERSION", "Clause", "Found", "extract", "split_clauses"]

EXTRACTOR_VERSION = "luoshi-extract 0.1"

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_MIN_HAN_SHARE = 0.2  # below this the body is not Chinese prose


@cache
def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A finder from a sibling module, or None while that module is not written yet."""
    try:
        mod = importlib.import_module(f"luoshi.extract.{module}")
    except ModuleNotFoundError as exc:
        # A finder (or a sibling it needs) not written yet: leave that part empty.
        if exc.name and exc.name.startswith("luoshi.extract."):
            return None
        raise
    return getattr(mod, name, None)


def _visible_count(text: str) -> int:
    """Characters that are not white space (str.split cuts at str.isspace, which is regex \\s)."""
    return sum(map(len, text.split()))


def _han_count(text: str) -> int:
    # Runs, not single characters: a few long runs are much cheaper to collect.
    return sum(map(len, _HAN_RUN.findall(text)))


def language_warnings(text: str, raw: str = "") -> list[str]:
    """Warnings for a body that is empty or not Chinese (extraction is then skipped)."""
    visible = _visible_count(text)
    if not visible:
        raw_visible = _visible_count(raw)
        if raw_visible and _han_count(raw) / raw_visible < _MIN_HAN_SHARE:
            return ["not Chinese text: the page has no Chinese body; no commitments extracted"]
        return ["empty document: no body text to extract from"]
    if _reaches_han_share(text, visible):
        return []
    han = _han_count(text)
    return [f"not Chinese text: only {han} of {visible} characters are Chinese; no commitments extracted"]


def _reaches_han_share(text: str, visible: int) -> bool:
    """``_han_count(text) / visible >= _MIN_HAN_SHARE``, counting only as far as needed:
    in Chinese prose the first fifth of the text settles it."""
    han = 0
    for run in _HAN_RUN.finditer(text):
        han += run.end() - run.start()
        if han / visible >= _MIN_HAN_SHARE:
            return True
    return False


def _to_commitment(doc: Document, found: Found) -> Commitment:
    start, end = found.start, found.end
    return Commitment(
        kind=found.kind,
        fields=dict(found.fields),
        evidence=doc.text[start:end],
        span=Span(start, end),
        raw_span=doc.raw_span(start, end),
        confidence=max(0.0, min(1.0, found.confidence)),
    )


def find_items(doc: Document, clauses: list[Clause], place: Place | None) -> list[Found]:
    """Every item the finders report, in text order, duplicates of one kind and name merged."""
    from luoshi.extract.projects import find_projects
    from luoshi.extract.targets import find_targets

    text = doc.text
    found: list[Found] = []
    found += find_targets(text, clauses)
    found += find_projects(text, clauses)
    for module, name in (("organizations", "find_organizations"), ("strategies", "find_strategies")):
        finder = _optional(module, name)
        if finder is not None:
            found += finder(text, clauses)
    find_partners = _optional("partners", "find_partners")
    if find_partners is not None:
        found += find_partners(text, clauses, place)
    return _dedupe(found)


def _dedupe(found: list[Found]) -> list[Found]:
    """Keep the first mention of each item.

    Targets are kept per (metric, value, clause); named items once per kind and name,
    where a name inside another (青石·白鹭产业园 / 青石·白鹭产业园区) is the same thing.
    """
    seen_targets: set[tuple[Any, ...]] = set()
    names: dict[str, list[str]] = {}
    out: list[Found] = []
    for item in sorted(found, key=attrgetter("start", "end")):
        if item.kind == "target":
            key = (item.fields.get("metric"), item.fields.get("value"), item.start)
            if key in seen_targets:
                continue
            seen_targets.add(key)
        else:
            name = str(item.fields.get("name") or "")
            known = names.setdefault(item.kind, [])
            if not name or any(name in k or k in name for k in known):
                continue
            known.append(name)
        out.append(item)
    return out


def extract(doc: Document) -> Record:
    """The commitment record of a restored document."""
    warnings = language_warnings(doc.text, doc.raw)
    record = Record(
        doc=doc.name or "document",
        place=None,
        officials=[],
        sectors=[],
        items=[],
        warnings=warnings,
        extractor_version=EXTRACTOR_VERSION,
    )
    if warnings:
        return record
    clauses = split_clauses(doc.text)
    resolve_place = _optional("place", "resolve_place")
    place: Place | None = resolve_place(doc, clauses) if resolve_place else None
    find_officials = _optional("officials", "find_officials")
    officials: list[Official] = find_officials(doc, clauses, place) if find_officials else []
    find_sectors = _optional("sectors", "find_sectors")
    sectors: list[str] = find_sectors(doc.text, clauses) if find_sectors else []
    record.place = place
    record.officials = officials
    record.sectors = sectors
    record.items = [_to_commitment(doc, f) for f in find_items(doc, clauses, place)]
    return record
