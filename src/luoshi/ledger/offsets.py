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
    int64 = np.int64
    return pack_arrays(np.array(offsets.starts, dtype=int64), np.array(offsets.ends, dtype=int64), offsets.raw_length)


def pack_arrays(starts: np.ndarray, ends: np.ndarray, raw_length: int) -> bytes:
    """pack() of the OffsetMap with these ``starts`` and ``ends`` (integer arrays): the
    pipelined ingest passes a map as two buffers (wire.py), not as two lists of ints."""
    n = len(starts)
    # each half's deltas written straight into the int32 result: no array per list, no
    # np.diff, no concatenation
    deltas = np.empty(2 + 2 * n, dtype=np.int32)
    deltas[0], deltas[1] = n, raw_length
    if n:
        deltas[2], deltas[2 + n] = starts[0], ends[0]
        np.subtract(starts[1:], starts[:-1], out=deltas[3 : 2 + n], casting="unsafe")
        np.subtract(ends[1:], ends[:-1], out=deltas[3 + n :], casting="unsafe")
    return zlib.compress(deltas.tobytes(), 1)


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
