"""Near-duplicate detection: MinHash over character shingles of the restored text.

The same article republished on two sites differs in its navigation, its editor line and
a few characters, not in its body. Character 5-shingles of the whitespace-free restored
body, 128 permutations, and an LSH index at Jaccard 0.8 find such pairs without comparing
every document with every other. Signatures are stored per document, and the LSH index is
rebuilt from them when a ledger is opened for ingest (10,000 signatures load in well
under a second), so nothing else has to be kept in sync.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.8
# LSH bands are tuned lower than THRESHOLD so pairs just above it are not missed by chance;
# candidates are then checked against THRESHOLD with the full signature.
LSH_THRESHOLD = 0.5
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it
MIN_CHARS = 40  # shorter bodies are too small to call duplicates
_SPACE = re.compile(r"\s+")


def _crc32(data: bytes) -> int:
    # CRC-32 (C speed) instead of datasketch's default SHA-1: shingles are not adversarial,
    # and hashing dominates MinHash time. Stored signatures depend on it: keep it fixed.
    return zlib.crc32(data)


@lru_cache(maxsize=1)
def _permutations() -> Any:
    # drawing the random permutations costs more than hashing a short page: draw them once
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_crc32).permutations


def signature(text: str) -> MinHash | None:
    """The MinHash of ``text``'s character shingles, or None when the text is too short."""
    body = _SPACE.sub("", text)
    if len(body) < MIN_CHARS:
        return None
    shingles = {body[i : i + SHINGLE] for i in range(len(body) - SHINGLE + 1)}
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_crc32, permutations=_permutations())
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_crc32, permutations=_permutations(), hashvalues=np.frombuffer(blob, dtype=np.uint32).copy())


class DuplicateIndex:
    """The LSH index of the ledger's originals (documents that are not duplicates)."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[int, MinHash] = {}

    def add(self, doc_id: int, mh: MinHash) -> None:
        if doc_id not in self._sigs:
            self._lsh.insert(doc_id, mh)
            self._sigs[doc_id] = mh

    def original_of(self, mh: MinHash) -> int | None:
        """The most similar indexed document above the threshold, or None."""
        best: tuple[float, int] | None = None
        for doc_id in self._lsh.query(mh):
            score = mh.jaccard(self._sigs[doc_id])
            if score >= THRESHOLD and (best is None or (score, -doc_id) > (best[0], -best[1])):
                best = (score, doc_id)
        return best[1] if best else None
