"""The data types every stage shares: spans, fixes, documents, commitments, records.

Offsets are Python string indices (code points). A *raw* offset points into
``Document.raw`` (the decoded input, before any repair); a *restored* offset points into
``Document.text``. Every fix and every extracted item carries both, so any claim the
ledger makes can be traced back to the exact characters of the page it came from.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def to_list(self) -> list[int]:
        return [self.start, self.end]


class Fix(NamedTuple):
    """One change the restorer made.

    ``kind`` names the repair (``gloss``, ``t2s``, ``mojibake``, ``boilerplate`` …),
    ``raw`` is where the damaged text sits in ``Document.raw``, ``restored`` where its
    replacement sits in ``Document.text`` (empty when the text was removed),
    ``before``/``after`` are the texts themselves and ``note`` says why, for people.

    A named tuple: immutable like a frozen dataclass, but built in one C call instead of
    a call per field. A page has dozens of fixes, a damaged one thousands.
    """

    kind: str
    raw: Span
    restored: Span
    before: str
    after: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "raw": self.raw.to_list(),
            "restored": self.restored.to_list(),
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }


class OffsetMap:
    """Maps restored-text offsets back to raw-text offsets.

    ``starts[i]`` is the raw offset where restored character ``i`` came from and
    ``ends[i]`` the raw offset just past it; both are non-decreasing. A restored range
    ``[a, b)`` maps to ``[starts[a], ends[b-1])``: everything in the raw input that
    produced those characters, damage included.
    """

    __slots__ = ("starts", "ends", "raw_length")

    def __init__(self, starts: list[int], ends: list[int], raw_length: int) -> None:
        if len(starts) != len(ends):
            raise ValueError("starts and ends differ in length")
        self.starts = starts
        self.ends = ends
        self.raw_length = raw_length

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(list(range(length)), list(range(1, length + 1)), length)

    def __len__(self) -> int:
        return len(self.starts)

    def to_raw(self, start: int, end: int) -> Span:
        """The raw span that produced restored ``[start, end)``."""
        n = len(self.starts)
        if not 0 <= start <= end <= n:
            raise ValueError(f"restored span [{start}, {end}) outside text of length {n}")
        if start == end:
            pos = self.starts[start] if start < n else self.raw_length
            return Span(pos, pos)
        return Span(self.starts[start], max(self.starts[start], self.ends[end - 1]))

    def to_restored(self, raw_start: int, raw_end: int) -> Span:
        """The restored span whose characters came from inside raw ``[raw_start, raw_end)``."""
        a = bisect.bisect_left(self.starts, raw_start)
        b = bisect.bisect_left(self.starts, raw_end)
        return Span(a, max(a, b))


@dataclass(slots=True)
class Removed:
    """A piece of the raw page that is not body text (navigation, editor line, image name…)."""

    kind: str
    raw: Span
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "raw": self.raw.to_list(), "text": self.text, "reason": self.reason}


@dataclass(slots=True)
class Meta:
    """What the restorer learned about the page besides its body."""

    title: str | None = None
    subtitle: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when known
    source: str | None = None
    url: str | None = None
    reporters: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    author: str | None = None
    encoding: str | None = None
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "date": self.date,
            "source": self.source,
            "url": self.url,
            "reporters": list(self.reporters),
            "editors": list(self.editors),
            "author": self.author,
            "encoding": self.encoding,
            "removed": [r.to_dict() for r in self.removed],
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class Document:
    """A restored page: the body text, what was learned about it, and how it was repaired."""

    name: str | None
    raw: str
    text: str
    meta: Meta
    fixes: list[Fix]
    offsets: OffsetMap
    raw_bytes: bytes | None = None

    def raw_span(self, start: int, end: int) -> Span:
        """Where restored ``[start, end)`` came from in ``raw``."""
        return self.offsets.to_raw(start, end)

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "meta": self.meta.to_dict(),
            "fixes": [f.to_dict() for f in self.fixes],
        }


ItemKind = Literal["target", "project", "organization", "partner", "strategy"]
ITEM_KINDS: tuple[str, ...] = ("target", "project", "organization", "partner", "strategy")


@dataclass(slots=True)
class Commitment:
    """One extracted item: a target, project, organization, partner or strategy.

    ``fields`` holds the kind's own fields as in the record contract (``metric``, ``op``,
    ``value``, ``value_max``, ``unit``, ``period`` for targets; ``name``, ``stage``,
    ``deadline`` for projects; ``name`` for the rest). ``span`` is the evidence's place in
    the restored text, ``raw_span`` its place in the raw input.
    """

    kind: str
    fields: dict[str, Any]
    evidence: str
    span: Span
    raw_span: Span
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        out.update(self.fields)
        out["evidence"] = self.evidence
        out["span"] = self.span.to_list()
        out["raw_span"] = self.raw_span.to_list()
        out["confidence"] = round(self.confidence, 3)
        return out


@dataclass(slots=True)
class Place:
    name: str
    province: str | None = None
    code: str | None = None  # administrative division code when known
    level: str | None = None  # province / prefecture / county

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "province": self.province, "code": self.code, "level": self.level}


@dataclass(slots=True)
class Official:
    name: str
    title: str | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title}


@dataclass(slots=True)
class Record:
    """Everything extracted from one document, in the shape of the record contract."""

    doc: str
    place: Place | None
    officials: list[Official]
    sectors: list[str]
    items: list[Commitment]
    warnings: list[str] = field(default_factory=list)
    extractor_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "place": self.place.to_dict() if self.place else None,
            "officials": [o.to_dict() for o in self.officials],
            "sectors": list(self.sectors),
            "items": [i.to_dict() for i in self.items],
            "warnings": list(self.warnings),
            "extractor_version": self.extractor_version,
        }
