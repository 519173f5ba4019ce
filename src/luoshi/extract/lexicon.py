"""Packaged word lists of the entity finders, and the clause lookup they share.

The lists under ``data/`` are written by us from general knowledge of Chinese policy
language (family names, province abbreviations, national formulas, organization
suffixes, sector keywords); none is a list of names from the evaluated documents.
"""

from __future__ import annotations

import bisect
import re
from functools import cache, lru_cache
from importlib import resources

from luoshi.extract.clauses import Clause

# One CJK unified ideograph: names and metrics must hold at least one.
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _data(name: str) -> str:
    return resources.files("luoshi.extract").joinpath("data", name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file."""
    return [line.strip() for line in _data(name).splitlines() if line.strip() and not line.startswith("#")]


@cache
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


_starts_cache: tuple[list[Clause], list[int]] | None = None


def _starts(clauses: list[Clause]) -> list[int]:
    # Finders look up many positions in the same clause list: build its index once. The
    # list itself is kept (not its id, which a later list may reuse once this one is freed).
    # (Read once into a local: another thread may replace the cache meanwhile.)
    global _starts_cache
    cached = _starts_cache
    if cached is None or cached[0] is not clauses or len(cached[1]) != len(clauses):
        cached = (clauses, [c.start for c in clauses])
        _starts_cache = cached
    return cached[1]


def clause_starts(clauses: list[Clause]) -> list[int]:
    """``[c.start for c in clauses]``, built once per clause list for all finders (do not change it)."""
    return _starts(clauses)


def clause_at(clauses: list[Clause], pos: int) -> Clause | None:
    """The clause that contains text position ``pos``."""
    starts = _starts(clauses)
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and clauses[i].start <= pos < clauses[i].end:
        return clauses[i]
    return None


def clauses_holding(pattern: re.Pattern[str], text: str, clauses: list[Clause]) -> list[int]:
    """Indexes of the clauses that hold a whole match of ``pattern``, in order, from one
    pass over the text rather than a search in every clause.

    For a pattern of letters only (no punctuation, white space or quotes, and no
    look-arounds): no match runs across the punctuation between clauses, so a clause
    holds one exactly when a search of the clause alone finds one.
    """
    starts = _starts(clauses)
    picked: list[int] = []
    for m in pattern.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.end() <= clauses[i].end and (not picked or picked[-1] != i):
            picked.append(i)
    return picked


def evidence_span(clauses: list[Clause], start: int, end: int) -> tuple[int, int]:
    """The shortest run of whole clauses covering ``[start, end)``."""
    first = clause_at(clauses, start)
    last = clause_at(clauses, max(start, end - 1))
    if first is None or last is None:
        return start, end
    return first.start, max(last.end, end)


# Characters a list of names cannot run across (punctuation and function words).
LIST_STOPS = frozenset("，,。；;：:！？!?\n“”‘’（）()《》「」 等的与在将把从")


def list_start(text: str, end: int, limit: int = 60) -> int:
    """Where a run of names joined by 、/和 that ends at ``end`` begins (walking back)."""
    i = end
    while i > 0 and end - i < limit and text[i - 1] not in LIST_STOPS:
        i -= 1
    return i
