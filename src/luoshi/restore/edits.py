"""Edits and the draft they are applied to.

Every repair stage looks at the current text and returns ``Edit`` objects; ``Draft.apply``
splices them in and keeps, for each current character, the raw span it came from. That
per-character map is what lets every fix and every extracted clause point back at the
exact characters of the input, however many stages touched it.
"""

from __future__ import annotations

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
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        for edit in edits:
            if edit.start < pos:
                continue  # overlapping edit: the earlier one wins
            out.append(text[pos : edit.start])
            new_starts.extend(starts[pos : edit.start])
            new_ends.extend(ends[pos : edit.start])
            span = self.raw_span(edit.start, edit.end)
            rep = edit.replacement
            if edit.align is not None and len(edit.align) == len(rep):
                base = edit.start
                new_starts.extend(starts[base + a] for a, _ in edit.align)
                new_ends.extend(ends[base + b - 1] for _, b in edit.align)
            elif len(rep) == edit.end - edit.start:
                new_starts.extend(starts[edit.start : edit.end])
                new_ends.extend(ends[edit.start : edit.end])
            else:
                new_starts.extend([span.start] * len(rep))
                new_ends.extend([span.end] * len(rep))
            out.append(rep)
            if removed_reason is not None and edit.kind in removed_reason and not rep:
                self.meta.removed.append(
                    Removed(edit.kind, span, self.raw[span.start : span.end], edit.note or removed_reason[edit.kind])
                )
            else:
                self.records.append(_FixRecord(edit.kind, span.start, span.end, edit.note))
            pos = edit.end
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self.text = "".join(out)
        self.starts = new_starts
        self.ends = new_ends

    def offset_map(self) -> OffsetMap:
        return OffsetMap(self.starts, self.ends, len(self.raw))

    def fixes(self) -> list[Fix]:
        """Fix records with their final restored spans and texts."""
        offsets = self.offset_map()
        fixes = []
        for rec in self.records:
            restored = offsets.to_restored(rec.raw_start, rec.raw_end)
            fixes.append(
                Fix(
                    rec.kind,
                    Span(rec.raw_start, rec.raw_end),
                    restored,
                    self.raw[rec.raw_start : rec.raw_end],
                    self.text[restored.start : restored.end],
                    rec.note,
                )
            )
        fixes.sort(key=lambda f: (f.raw.start, f.raw.end))
        return fixes
