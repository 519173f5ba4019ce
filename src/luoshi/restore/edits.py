"""Edits and the draft they are applied to.

Every repair stage looks at the current text and returns ``Edit`` objects; ``Draft.apply``
splices them in and keeps, for each current character, the raw span it came from. That
per-character map is what lets every fix and every extracted clause point back at the
exact characters of the input, however many stages touched it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter, itemgetter

from luoshi.types import Fix, Meta, OffsetMap, Removed, Span


class Edit:
    """Replace current-text ``[start, end)`` by ``replacement`` (empty to delete).

    A plain class with its own ``__init__`` rather than a dataclass: stages create tens of
    thousands, and mypyc compiles this ``__init__`` whereas a dataclass's generated one
    runs in the interpreter. Nothing changes an edit once made.
    """

    __slots__ = ("start", "end", "replacement", "kind", "note", "align")

    def __init__(
        self,
        start: int,
        end: int,
        replacement: str,
        kind: str,
        note: str = "",
        align: tuple[tuple[int, int], ...] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.replacement = replacement
        self.kind = kind
        self.note = note
        # For each replacement character, the [a, b) range of replaced characters
        # (relative to ``start``) it came from; keeps the raw map tight inside a long
        # replacement.
        self.align = align

    def _fields(self) -> tuple[object, ...]:
        return (self.start, self.end, self.replacement, self.kind, self.note, self.align)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Edit) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value (as a dataclass)

    def __repr__(self) -> str:
        start, end, replacement, kind, note, align = self._fields()
        return f"Edit({start!r}, {end!r}, {replacement!r}, {kind!r}, {note!r}, {align!r})"


# A fix as logged while applying edits: (kind, raw start, raw end, note).
_FixRecord = tuple[str, int, int, str]


# The offsets 0, 1, 2 … of pages up to 128 Ki characters (nearly all), for ``Draft.of``.
_OFFSETS: list[int] = list(range(1 << 17))


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
        n = len(raw)
        if n < len(_OFFSETS):
            # slices of one shared list: they copy references to its int objects instead
            # of creating one per character, which was most of the cost of a new map
            return cls(raw, raw, _OFFSETS[:n], _OFFSETS[1 : n + 1])
        starts = list(range(n))
        # the ends are the starts shifted by one: a slice shares their int objects
        ends = starts[1:]
        ends.append(n)
        return cls(raw, raw, starts, ends)

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
        edits = _by_start_and_end(edits)
        if all(_keeps_map(edit) for edit in edits):
            self._apply_in_place(edits)
            return
        text, starts, ends = self.text, self.starts, self.ends
        n = len(starts)
        tail = ends[-1] if ends else 0
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        add_record = self.records.append
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
                raw_end = ends[b - 1]
                if raw_end < raw_start:
                    raw_end = raw_start
            else:
                raw_start = raw_end = starts[a] if a < n else tail
            if rep:
                width = len(rep)
                align = edit.align
                if align is not None and len(align) == width:
                    new_starts += [starts[a + x] for x, _ in align]
                    new_ends += [ends[a + y - 1] for _, y in align]
                elif width == b - a:
                    new_starts += starts[a:b]
                    new_ends += ends[a:b]
                else:
                    new_starts += [raw_start] * width
                    new_ends += [raw_end] * width
                out.append(rep)
            elif removed_reason is not None and edit.kind in removed_reason:
                self.meta.removed.append(
                    Removed(
                        edit.kind,
                        _span(raw_start, raw_end),
                        self.raw[raw_start:raw_end],
                        edit.note or removed_reason[edit.kind],
                    )
                )
                pos = b
                continue
            add_record((edit.kind, raw_start, raw_end, edit.note))
            pos = b
        out.append(text[pos:])
        new_starts += starts[pos:]
        new_ends += ends[pos:]
        self.text = "".join(out)
        self.starts = new_starts
        self.ends = new_ends

    def _apply_in_place(self, edits: list[Edit]) -> None:
        """``apply`` for sorted edits that each replace characters one for one: every
        character keeps its raw span, so the map stays as it is and only the text and
        the fix log change (script conversions, most mojibake repairs)."""
        text, starts, ends = self.text, self.starts, self.ends
        add_record = self.records.append
        out: list[str] = []
        pos = 0
        for edit in edits:
            a, b = edit.start, edit.end
            if a < pos:
                continue  # overlapping edit: the earlier one wins
            out.append(text[pos:a])
            out.append(edit.replacement)
            raw_start = starts[a]
            raw_end = ends[b - 1]
            if raw_end < raw_start:
                raw_end = raw_start
            add_record((edit.kind, raw_start, raw_end, edit.note))
            pos = b
        out.append(text[pos:])
        self.text = "".join(out)

    def offset_map(self) -> OffsetMap:
        return OffsetMap(self.starts, self.ends, len(self.raw))

    def fixes(self) -> list[Fix]:
        """Fix records with their final restored spans and texts, in raw order."""
        # sorting the records (stably) gives the same order as sorting the fixes by raw span
        return _build_fixes(_by_raw_span(self.records), self.starts, self.raw, self.text)


_EDIT_START, _EDIT_END = attrgetter("start"), attrgetter("end")


def _by_start_and_end(edits: list[Edit]) -> list[Edit]:
    """``edits`` sorted (stably) by start, then end. Two stable sorts on one int each:
    ints compare much faster than (start, end) tuples, which would also have to be built."""
    if _in_order(edits):
        return edits  # most stages emit their edits in order: the sort would not move one
    ordered = sorted(edits, key=_EDIT_END)
    ordered.sort(key=_EDIT_START)
    return ordered


def _in_order(edits: list[Edit]) -> bool:
    """Whether ``edits`` are sorted by start, then end."""
    start = end = -1
    for edit in edits:
        if edit.start < start or (edit.start == start and edit.end < end):
            return False
        start = edit.start
        end = edit.end
    return True


def _by_raw_span(records: list[_FixRecord]) -> list[_FixRecord]:
    """``records`` sorted (stably) by raw start, then raw end (as ``_by_start_and_end``)."""
    ordered = sorted(records, key=_RECORD_END)
    ordered.sort(key=_RECORD_START)
    return ordered


def _keeps_map(edit: Edit) -> bool:
    """Whether ``apply`` would give each replacement character the raw span of the
    character it replaces (a one-for-one replacement without an alignment)."""
    width = len(edit.replacement)
    return width > 0 and width == edit.end - edit.start and (edit.align is None or len(edit.align) != width)


_RECORD_START, _RECORD_END = itemgetter(1), itemgetter(2)
_new_object = object.__new__


def _fast_span() -> Callable[[int, int], Span]:
    """``Span(start, end)`` without its validation, for spans valid by construction
    (0 <= start <= end): fixes are built by the thousand. The plain class if its fields
    are not the ones known here."""
    if tuple(f.name for f in fields(Span)) != ("start", "end"):
        return Span
    span_type = Span

    def make(start: int, end: int) -> Span:
        span = _new_object(span_type)
        # what the frozen class's own __init__ does; compiled, mypyc makes each a direct
        # call of the C attribute setter
        object.__setattr__(span, "start", start)
        object.__setattr__(span, "end", end)
        return span

    return make


_span = _fast_span()


def _plain_fixes(records: list[_FixRecord], starts: list[int], raw: str, text: str) -> list[Fix]:
    fixes = []
    for kind, raw_start, raw_end, note in records:
        a = bisect_left(starts, raw_start)
        b = bisect_left(starts, raw_end, a)
        fixes.append(Fix(kind, Span(raw_start, raw_end), Span(a, b), raw[raw_start:raw_end], text[a:b], note))
    return fixes


def _fast_fixes() -> Callable[[list[_FixRecord], list[int], str, str], list[Fix]]:
    """``_plain_fixes`` with every ``Span`` built by setting its slots in line and every
    ``Fix`` as the tuple it is: a document has dozens of fixes, and a Python call per
    object is most of their cost. The plain builder if the classes' fields are not the
    ones known here (types.py may grow a field)."""
    if _span is Span or Fix._fields != ("kind", "raw", "restored", "before", "after", "note"):
        return _plain_fixes
    new = _new_object
    new_tuple = tuple.__new__
    span_type, fix_type = Span, Fix  # (compiled, a global is a dict look-up each time)

    def build(records: list[_FixRecord], starts: list[int], raw: str, text: str) -> list[Fix]:
        fixes: list[Fix] = []
        add = fixes.append
        n = len(starts)
        a = 0
        for kind, raw_start, raw_end, note in records:
            # the records are in raw order, so the first restored character at or after
            # each raw start only moves forward: a walk, not a search per record
            while a < n and starts[a] < raw_start:
                a += 1
            # most fixes are deletions, whose restored span is empty: no second walk
            b = a
            while b < n and starts[b] < raw_end:
                b += 1
            # the slots set as in ``_fast_span``
            raw_span = new(span_type)
            object.__setattr__(raw_span, "start", raw_start)
            object.__setattr__(raw_span, "end", raw_end)
            restored = new(span_type)
            object.__setattr__(restored, "start", a)
            object.__setattr__(restored, "end", b)
            add(new_tuple(fix_type, (kind, raw_span, restored, raw[raw_start:raw_end], text[a:b], note)))
        return fixes

    return build


_build_fixes = _fast_fixes()
