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
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.8
# LSH bands are tuned lower than THRESHOLD so pairs just above it are not missed by chance;
# candidates are then checked against THRESHOLD with the full signature.
LSH_THRESHOLD = 0.5
# (bands, rows) datasketch's optimiser picks for LSH_THRESHOLD and NUM_PERM; given here
# because the optimiser integrates numerically on every index creation (~50 ms).
LSH_PARAMS = (25, 5)
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it
MIN_CHARS = 40  # shorter bodies are too small to call duplicates
_SPACE = re.compile(r"\s+")


_P = np.uint64(0x100000001B3)  # FNV prime: the shingle polynomial's base
_MIX = np.uint64(0xFF51AFD7ED558CCD)  # murmur3 fmix64 multiplier
_S33 = np.uint64(33)
_S32 = np.uint64(32)


def shingle_hashes(body: str) -> np.ndarray:
    """32-bit hashes of every distinct character 5-shingle of ``body``, vectorised.

    A polynomial over the code points, then murmur3's final mix, in numpy: hashing each
    shingle in Python (datasketch's default SHA-1 per shingle) cost more than the rest of
    storing a document. Stored signatures depend on this function: keep it fixed."""
    return np.unique(_all_shingle_hashes(body))


def _all_shingle_hashes(body: str) -> np.ndarray:
    """shingle_hashes() with repeats and in text order (a minimum does not need them
    distinct, and skipping the sort is a third of a signature's cost)."""
    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    h = codes[:n].copy()
    with np.errstate(over="ignore"):
        for k in range(1, SHINGLE):  # in place: no new array per step
            h *= _P
            h += codes[k : k + n]
        h ^= h >> _S33
        h *= _MIX
        h ^= h >> _S33
    h >>= _S32
    return h


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=1)
def _permutations() -> Any:
    # datasketch wants permutations for a MinHash object; ours are in _multipliers()
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_identity).permutations


@lru_cache(maxsize=1)
def _multipliers() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM random (odd multiplier, offset) pairs, fixed by seed: stored signatures
    depend on them."""
    rng = np.random.default_rng(20240601)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    return a, b


def _minhash(hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_identity, permutations=_permutations(),
                   hashvalues=hashvalues)


def signature(text: str) -> MinHash | None:
    """The MinHash of ``text``'s character shingles, or None when the text is too short.

    The NUM_PERM hash functions are multiply-shift hashes of the shingle hashes, applied
    to all shingles at once in numpy; datasketch's MinHash only carries the result (for
    its LSH index and Jaccard estimate)."""
    body = _SPACE.sub("", text)
    if len(body) < MIN_CHARS:
        return None
    a, b = _multipliers()
    hashes = _all_shingle_hashes(body).reshape(-1, 1)
    with np.errstate(over="ignore"):
        permuted = hashes * a
        permuted += b  # in place: the shingles × permutations matrix is the big array here
    # the shift is monotone, so it commutes with min: shift NUM_PERM values, not the matrix
    return _minhash((permuted.min(axis=0) >> _S32).astype(np.uint32))


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(blob: bytes) -> MinHash:
    return _minhash(np.frombuffer(blob, dtype=np.uint32).copy())


class DuplicateIndex:
    """The LSH index of the ledger's originals (documents that are not duplicates), by name.

    Banded as datasketch's MinHashLSH is with LSH_PARAMS: a candidate shares every value
    of at least one band of a signature. The bands are looked up by their bytes in plain
    dicts; MinHashLSH byte-swapped each band in numpy on every insert and query, which cost
    half as much as computing the signature. tests/ledger/test_dedupe.py checks that both
    find the same candidates."""

    def __init__(self) -> None:
        self._bands: list[dict[bytes, list[str]]] = [{} for _ in range(LSH_PARAMS[0])]
        self._sigs: dict[str, tuple[int, MinHash]] = {}  # name → (insertion order, signature)

    def add(self, name: str, mh: MinHash) -> None:
        if name not in self._sigs:
            for band, key in zip(self._bands, band_keys(mh), strict=True):
                band.setdefault(key, []).append(name)
            self._sigs[name] = (len(self._sigs), mh)

    def candidates(self, mh: MinHash) -> set[str]:
        """The indexed names that share at least one band with ``mh``."""
        found: set[str] = set()
        for band, key in zip(self._bands, band_keys(mh), strict=True):
            found.update(band.get(key, ()))
        return found

    def original_of(self, mh: MinHash) -> str | None:
        """The most similar indexed document above the threshold (the oldest on a tie), or None."""
        best: tuple[float, int, str] | None = None
        for name in self.candidates(mh):
            order, other = self._sigs[name]
            score = mh.jaccard(other)
            if score >= THRESHOLD and (best is None or (score, -order) > (best[0], -best[1])):
                best = (score, order, name)
        return best[2] if best else None


def band_keys(mh: MinHash) -> list[bytes]:
    """The bytes of each LSH band of ``mh`` (LSH_PARAMS: bands × rows, leading values first)."""
    bands, rows = LSH_PARAMS
    blob = to_bytes(mh)
    width = rows * 4  # bytes of a band's uint32 values
    return [blob[i * width : (i + 1) * width] for i in range(bands)]
