"""Storing a document's OffsetMap compactly, and rebuilding it when only fixes are known.

An OffsetMap holds two integers per restored character. Stored as they are that is eight
times the text; but they rise by one almost everywhere, so their differences are a long
run of ones that zlib shrinks to a few bytes per fix.
"""

from __future__ import annotations

import zlib

import numpy as np

from luoshi.types import Fix, OffsetMap


def pack(offsets: OffsetMap) -> bytes:
    """zlib of the int32 deltas of ``starts`` then ``ends``, after a length header."""
    n = len(offsets.starts)
    # one array filled from the lists, and each half's deltas taken in place: a third
    # cheaper than an array per list and np.diff on each
    values = np.empty(2 + 2 * n, dtype=np.int64)
    values[0], values[1] = n, offsets.raw_length
    values[2 : 2 + n] = offsets.starts
    values[2 + n :] = offsets.ends
    deltas = values.copy()
    deltas[3 : 2 + n] -= values[2 : 1 + n]  # each start minus the one before (the first stays)
    deltas[3 + n :] -= values[2 + n : -1]  # likewise for the ends
    return zlib.compress(deltas.astype(np.int32).tobytes(), 1)


def unpack(blob: bytes) -> OffsetMap:
    values = np.frombuffer(zlib.decompress(blob), dtype=np.int32).astype(np.int64)
    n, raw_length = int(values[0]), int(values[1])
    starts = np.cumsum(values[2 : 2 + n])
    ends = np.cumsum(values[2 + n : 2 + 2 * n])
    return OffsetMap(starts.tolist(), ends.tolist(), raw_length)


def from_fixes(raw: str, text: str, fixes: list[Fix]) -> OffsetMap | None:
    """The OffsetMap implied by ``fixes``: identity between fixes, each fix's restored
    characters mapped onto its raw span. None when the untouched stretches of ``raw`` and
    ``text`` disagree, i.e. the fix log does not account for every change."""
    starts: list[int] = []
    ends: list[int] = []
    raw_pos = 0
    for fix in sorted(fixes, key=lambda f: (f.restored.start, f.raw.start)):
        gap = fix.restored.start - len(starts)
        if gap < 0 or fix.raw.start - raw_pos != gap or raw[raw_pos : fix.raw.start] != text[len(starts) : fix.restored.start]:
            return None
        starts.extend(range(raw_pos, fix.raw.start))
        ends.extend(range(raw_pos + 1, fix.raw.start + 1))
        for _ in range(len(fix.restored)):
            starts.append(fix.raw.start)
            ends.append(fix.raw.end)
        raw_pos = fix.raw.end
    tail = len(text) - len(starts)
    if tail != len(raw) - raw_pos or raw[raw_pos:] != text[len(starts) :]:
        return None
    starts.extend(range(raw_pos, len(raw)))
    ends.extend(range(raw_pos + 1, len(raw) + 1))
    return OffsetMap(starts, ends, len(raw))
