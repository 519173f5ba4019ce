"""Edits and the draft they are applied to.

Every repair stage looks at the current text and returns ``Edit`` objects; ``Draft.apply``
splices them in and keeps, for each current character, the raw span it came from. That
per-character map is what lets every fix and every extracted clause point back at the
exact characters of the input, however many stages touched it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from luoshi.types import Fix, Meta, OffsetMap, Removed, Span


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace current-text ``[start, end)`` by ``replacement`` (empty to delete)."""

    start: int
    end: int
    replacement: str
    kind: str
    note: str = ""
    # For each replacement character, the [a, b) range of replaced characters (relative
    # to ``start``) it came from; keeps the raw map tight inside a long replacement.
    align: tuple[tuple[int, int], ...] | None = None


@dataclass(slots=True)
class _FixRecord:
    kind: str
    raw_start: int
    raw_end: int
    note: str


@dataclass(slots=True)
class Draft:
    """The text being restored, with its map back to ``raw``."""

    raw: str
    text: str
    starts: list[int]
    ends: list[int]
    meta: Meta = field(default_factory=Meta)
    records: list[_FixRecord] = field(default_factory=list)
    fragment: bool = False  # a clause on its own: no document context to judge by

    @classmethod
    def of(cls, raw: str) -> Draft:
        return cls(raw, raw, list(range(len(raw))), list(range(1, len(raw) + 1)))

    def raw_span(self, start: int, end: int) -> Span:
        """Raw span of current ``[start, end)`` (a point for an empty range)."""
        if start < end:
            return Span(self.starts[start], max(self.starts[start], self.ends[end - 1]))
        pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
        return Span(pos, pos)

    def apply(self, edits: list[Edit], *, removed_reason: dict[str, str] | None = None) -> None:
        """Splice non-overlapping edits into the text.

        Deletions of kind ``boilerplate`` (or any kind in ``removed_reason``) are logged in
        ``meta.removed``; every other edit becomes a ``Fix``.
        """
        if not edits:
            return
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        text, starts, ends = self.text, self.starts, self.ends
        n = len(starts)
        tail = ends[-1] if ends else 0
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        records = self.records
        pos = 0
        for edit in edits:
            a, b, rep = edit.start, edit.end, edit.replacement
            if a < pos:
                continue  # overlapping edit: the earlier one wins
            if a > pos:
                out.append(text[pos:a])
                new_starts += starts[pos:a]
                new_ends += ends[pos:a]
            # raw span of [a, b) (a point for an insertion)
            if a < b:
                raw_start = starts[a]
                raw_end = max(raw_start, ends[b - 1])
            else:
                raw_start = raw_end = starts[a] if a < n else tail
            if rep:
                if edit.align is not None and len(edit.align) == len(rep):
                    new_starts += [starts[a + x] for x, _ in edit.align]
                    new_ends += [ends[a + y - 1] for _, y in edit.align]
                elif len(rep) == b - a:
                    new_starts += starts[a:b]
                    new_ends += ends[a:b]
                else:
                    new_starts += [raw_start] * len(rep)
                    new_ends += [raw_end] * len(rep)
                out.append(rep)
            if removed_reason is not None and not rep and edit.kind in removed_reason:
                self.meta.removed.append(
                    Removed(
                        edit.kind,
                        Span(raw_start, raw_end),
                        self.raw[raw_start:raw_end],
                        edit.note or removed_reason[edit.kind],
                    )
                )
            else:
                records.append(_FixRecord(edit.kind, raw_start, raw_end, edit.note))
            pos = b
        out.append(text[pos:])
        new_starts += starts[pos:]
        new_ends += ends[pos:]
        self.text = "".join(out)
        self.starts = new_starts
        self.ends = new_ends

    def offset_map(self) -> OffsetMap:
        return OffsetMap(self.starts, self.ends, len(self.raw))

    def fixes(self) -> list[Fix]:
        """Fix records with their final restored spans and texts."""
        starts = self.starts
        fixes = []
        for rec in self.records:
            a = bisect_left(starts, rec.raw_start)
            b = bisect_left(starts, rec.raw_end, a)
            fixes.append(
                Fix(
                    rec.kind,
                    Span(rec.raw_start, rec.raw_end),
                    Span(a, b),
                    self.raw[rec.raw_start : rec.raw_end],
                    self.text[a:b],
                    rec.note,
                )
            )
        fixes.sort(key=lambda f: (f.raw.start, f.raw.end))
        return fixes
