"""Packaged word lists of the entity finders, and the clause lookup they share.

The lists under ``data/`` are written by us from general knowledge of Chinese policy
language (family names, province abbreviations, national formulas, organization
suffixes, sector keywords); none is a list of names from the evaluated documents.
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from importlib import resources

from luoshi.extract.clauses import Clause


def _data(name: str) -> str:
    return resources.files("luoshi.extract").joinpath("data", name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file."""
    return [line.strip() for line in _data(name).splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    return frozenset(w for line in data_lines(name) for w in line.split())


@lru_cache(maxsize=1)
def region_abbreviations() -> dict[str, str]:
    """简称 → province-level unit: 浙 → 浙江省."""
    out: dict[str, str] = {}
    for line in data_lines("region_abbreviations.tsv"):
        abbr, full = line.split("\t")
        out.setdefault(abbr, full)
    return out


def clause_at(clauses: list[Clause], pos: int) -> Clause | None:
    """The clause that contains text position ``pos``."""
    starts = [c.start for c in clauses]
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and clauses[i].start <= pos < clauses[i].end:
        return clauses[i]
    return None


def evidence_span(clauses: list[Clause], start: int, end: int) -> tuple[int, int]:
    """The shortest run of whole clauses covering ``[start, end)``."""
    first = clause_at(clauses, start)
    last = clause_at(clauses, max(start, end - 1))
    if first is None or last is None:
        return start, end
    return first.start, max(last.end, end)
