"""Cut a text into segments so that marked ranges can be rendered without raw HTML.

Pages are built from scraped text, which is hostile input: nothing in it may reach the
browser unescaped. So instead of inserting ``<mark>`` tags into the text (and then having
to trust the result), the text is cut at every range boundary into plain segments, each
knowing which ranges cover it; the template escapes every segment and wraps the covered
ones in elements it writes itself.

Ranges may overlap (two commitments often share one evidence clause); the segments never
do, so the markup stays valid (no ``<a>`` inside ``<a>``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Segment(Generic[K]):
    """A piece of text and the keys of the ranges covering it (in the order given)."""

    text: str
    keys: tuple[K, ...] = ()
    # Keys whose range begins with this segment: the template anchors them here.
    starts: tuple[K, ...] = field(default=())

    @property
    def marked(self) -> bool:
        return bool(self.keys)


def clamp_ranges(ranges: Iterable[tuple[int, int, K]], length: int) -> list[tuple[int, int, K]]:
    """Ranges cut to ``[0, length)``; empty, inverted or non-integer ones dropped."""
    out = []
    for start, end, key in ranges:
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            out.append((start, end, key))
    return out


def segments(text: str, ranges: Iterable[tuple[int, int, K]]) -> list[Segment[K]]:
    """Split ``text`` at every boundary of ``ranges`` (half-open ``[start, end)`` offsets).

    Joining the segments' texts gives ``text`` back unchanged; a key appears on exactly
    the segments inside its range, so joining those gives the range's text.
    """
    spans = clamp_ranges(ranges, len(text))
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, (start, end, _) in enumerate(spans):
        opening.setdefault(start, []).append(i)
        closing.setdefault(end, []).append(i)
    cuts = sorted({0, len(text), *opening, *closing})
    active: set[int] = set()
    out: list[Segment[K]] = []
    # One sweep over the cut points: ranges open and close as the sweep passes them.
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        keys = tuple(dict.fromkeys(spans[i][2] for i in sorted(active)))
        starts = tuple(dict.fromkeys(spans[i][2] for i in opening.get(a, ())))
        out.append(Segment(text[a:b], keys, starts))
    return out


def context_window(text: str, start: int, end: int, *, width: int = 80) -> tuple[str, int, int, bool, bool]:
    """The text around ``[start, end)``: (excerpt, start and end within it, cut before, cut after)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = max(0, start - width), min(len(text), end + width)
    return text[lo:hi], start - lo, end - lo, lo > 0, hi < len(text)


def text_segments(text: str, items: list[dict[str, Any]], hl: tuple[int, int] | None) -> list[dict[str, Any]]:
    """The restored text cut for the text view: each piece with the items whose evidence
    covers it (and which of them start there), and whether the ``?hl=`` range covers it."""
    ranges: list[tuple[int, int, tuple[str, int]]] = [
        (it["span"][0], it["span"][1], ("item", it["id"])) for it in items if it.get("span")
    ]
    if hl:
        ranges.append((hl[0], hl[1], ("hl", 0)))
    out = []
    for seg in segments(text, ranges):
        out.append(
            {
                "text": seg.text,
                "keys": [k for kind, k in seg.keys if kind == "item"],
                "starts": [k for kind, k in seg.starts if kind == "item"],
                "hl": ("hl", 0) in seg.keys,
                "hl_start": ("hl", 0) in seg.starts,
            }
        )
    return out


def raw_segments(raw: str, fixes: list[dict[str, Any]], removed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The raw text cut for the raw view: each piece with the fixes and removed parts
    (navigation, bylines… from the page's meta) covering it."""
    ranges: list[tuple[int, int, tuple[str, int]]] = [
        (f["raw"][0], f["raw"][1], ("fix", i)) for i, f in enumerate(fixes) if f.get("raw")
    ]
    ranges += [(r["raw"][0], r["raw"][1], ("removed", i)) for i, r in enumerate(removed) if r.get("raw")]
    out = []
    for seg in segments(raw, ranges):
        out.append(
            {
                "text": seg.text,
                "fixes": [i for kind, i in seg.keys if kind == "fix"],
                "removed": [i for kind, i in seg.keys if kind == "removed"],
                "fix_start": next((i for kind, i in seg.starts if kind == "fix"), None),
            }
        )
    return out
