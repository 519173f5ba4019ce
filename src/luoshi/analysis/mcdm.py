"""Multi-criteria scoring in plain NumPy: entropy, CRITIC and equal weights, TOPSIS ranking.

A decision matrix has one row per alternative (a place) and one column per criterion (an
indicator). ``directions`` holds ``+1`` for a benefit criterion (more is better) and ``-1``
for a cost criterion (less is better).

Stated rules, applied the same way by every function here:

* **Missing values** (NaN) are replaced by the column mean of the values that are present
  (:func:`impute_missing`); a column with no value at all becomes all zeros, i.e. constant.
* **Negative values**: entropy needs proportions, so a column with a negative value is
  shifted by its minimum first (``x - min``, the smallest value becomes 0) and
  ``0 · ln 0`` counts as 0, as in ``scipy.stats.entropy``. CRITIC and TOPSIS work on
  signed values unchanged.
* **Constant columns** carry no information: their entropy weight is 0 (their entropy is
  maximal), their CRITIC weight is 0 (standard deviation 0), and they are left out of the
  correlation sums of the other columns. In TOPSIS a constant column is at the ideal and
  the anti-ideal at once, so it adds nothing to either distance.
* When every column is constant there is nothing to weigh: the weights fall back to equal
  and every alternative scores 0.5.

Direction: entropy is computed on the raw proportions, whatever the direction (like
pymcdm and scikit-criteria); CRITIC scales each column towards its ideal (a cost column is
scaled as ``(max - x) / (max - min)``, as in the 1995 paper and scikit-criteria); TOPSIS
takes the ideal at the column maximum for benefit and at the minimum for cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Method = Literal["entropy", "critic", "equal"]
METHODS: tuple[str, ...] = ("entropy", "critic", "equal")

FloatArray = NDArray[np.float64]


def as_matrix(matrix: ArrayLike) -> FloatArray:
    """A 2-D float copy of ``matrix``; raises ``ValueError`` for any other shape."""
    arr = np.array(matrix, dtype=float)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"decision matrix must be 2-D and non-empty, got shape {arr.shape}")
    if np.isinf(arr).any():
        raise ValueError("decision matrix holds an infinite value")
    return arr


def as_directions(directions: ArrayLike | None, n: int) -> NDArray[np.int_]:
    """``+1``/``-1`` per criterion (all benefit when ``None``)."""
    if directions is None:
        return np.ones(n, dtype=int)
    arr = np.asarray(directions, dtype=int).reshape(-1)
    if arr.shape[0] != n:
        raise ValueError(f"{arr.shape[0]} directions for {n} criteria")
    if not np.isin(arr, (1, -1)).all():
        raise ValueError("directions must be +1 (benefit) or -1 (cost)")
    return arr


def impute_missing(matrix: ArrayLike) -> FloatArray:
    """NaN → the mean of the column's present values; an all-NaN column → zeros."""
    arr = as_matrix(matrix)
    for j in range(arr.shape[1]):
        col = arr[:, j]
        missing = np.isnan(col)
        if missing.any():
            col[missing] = 0.0 if missing.all() else float(col[~missing].mean())
    return arr


def constant_columns(matrix: FloatArray) -> NDArray[np.bool_]:
    """True for each column whose values are all equal."""
    return np.asarray(np.ptp(matrix, axis=0) == 0)


def equal_weights(matrix: ArrayLike) -> FloatArray:
    n = as_matrix(matrix).shape[1]
    return np.full(n, 1.0 / n)


def entropy_weights(matrix: ArrayLike) -> FloatArray:
    """Shannon-entropy weights: 1 - normalised entropy of each column's proportions."""
    arr = impute_missing(matrix)
    m, n = arr.shape
    const = constant_columns(arr)
    if m < 2 or const.all():
        return np.full(n, 1.0 / n)
    shifted = arr - np.minimum(arr.min(axis=0), 0.0)  # min-shift only columns with a negative
    sums = shifted.sum(axis=0)
    divergence = np.zeros(n)
    for j in np.flatnonzero(~const):
        p = shifted[:, j] / sums[j]
        nz = p[p > 0]
        entropy = -float(np.sum(nz * np.log(nz))) / np.log(m)
        divergence[j] = 1.0 - entropy
    total = divergence.sum()
    if total <= 0:
        return np.full(n, 1.0 / n)
    return divergence / total


def critic_weights(matrix: ArrayLike, directions: ArrayLike | None = None) -> FloatArray:
    """CRITIC weights: contrast (std of the ideal-scaled column) × conflict (Σ 1 - r)."""
    arr = impute_missing(matrix)
    m, n = arr.shape
    dirs = as_directions(directions, n)
    const = constant_columns(arr)
    if m < 2 or const.all():
        return np.full(n, 1.0 / n)
    live = np.flatnonzero(~const)
    sub = arr[:, live]
    lo, hi = sub.min(axis=0), sub.max(axis=0)
    scaled = np.where(dirs[live] == 1, (sub - lo) / (hi - lo), (hi - sub) / (hi - lo))
    std = scaled.std(axis=0)  # ddof does not matter: it cancels in the final ratio
    corr = np.atleast_2d(np.corrcoef(scaled, rowvar=False))
    info = std * np.sum(1.0 - corr, axis=0)
    weights = np.zeros(n)
    total = info.sum()
    if total <= 0:
        weights[live] = 1.0 / len(live)
    else:
        weights[live] = info / total
    return weights


def weights_for(method: str, matrix: ArrayLike, directions: ArrayLike | None = None) -> FloatArray:
    if method == "entropy":
        return entropy_weights(matrix)
    if method == "critic":
        return critic_weights(matrix, directions)
    if method == "equal":
        return equal_weights(matrix)
    raise ValueError(f"unknown weighting method {method!r}; choose one of {', '.join(METHODS)}")


def topsis(matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike | None = None) -> FloatArray:
    """TOPSIS closeness in [0, 1] per alternative (vector normalisation, Euclidean distance)."""
    arr = impute_missing(matrix)
    m, n = arr.shape
    w = np.asarray(weights, dtype=float).reshape(-1)
    if w.shape[0] != n:
        raise ValueError(f"{w.shape[0]} weights for {n} criteria")
    dirs = as_directions(directions, n)
    norms = np.sqrt((arr**2).sum(axis=0))
    safe = np.where(norms == 0, 1.0, norms)  # an all-zero column stays all zero: constant
    v = arr / safe * w
    best = np.where(dirs == 1, v.max(axis=0), v.min(axis=0))
    worst = np.where(dirs == 1, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    denom = d_best + d_worst
    return np.where(denom == 0, 0.5, d_worst / np.where(denom == 0, 1.0, denom))


def rank(scores: ArrayLike) -> NDArray[np.int_]:
    """1 for the best score; ties share the better rank ("min" ranking)."""
    s = np.asarray(scores, dtype=float)
    return np.array([1 + int(np.sum(s > x)) for x in s], dtype=int)


@dataclass(slots=True)
class Ranking:
    """The outcome of :func:`score`: weights per criterion, score and rank per alternative."""

    alternatives: list[str]
    criteria: list[str]
    directions: list[int]
    method: str
    weights: list[float]
    scores: list[float]
    ranks: list[int]
    matrix: list[list[float | None]]

    def rows(self) -> list[dict[str, object]]:
        """One dict per alternative, best first."""
        order = sorted(range(len(self.alternatives)), key=lambda i: (self.ranks[i], self.alternatives[i]))
        return [
            {
                "rank": self.ranks[i],
                "place": self.alternatives[i],
                "score": self.scores[i],
                "values": dict(zip(self.criteria, self.matrix[i], strict=True)),
            }
            for i in order
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "criteria": [
                {"name": c, "direction": "benefit" if d == 1 else "cost", "weight": w}
                for c, d, w in zip(self.criteria, self.directions, self.weights, strict=True)
            ],
            "ranking": self.rows(),
        }


def score(
    alternatives: Sequence[str],
    criteria: Sequence[str],
    matrix: ArrayLike,
    directions: ArrayLike | None = None,
    method: str = "entropy",
) -> Ranking:
    """Weigh the criteria by ``method`` and rank the alternatives by TOPSIS."""
    raw = as_matrix(matrix)
    if raw.shape != (len(alternatives), len(criteria)):
        raise ValueError(f"matrix shape {raw.shape} does not match {len(alternatives)}×{len(criteria)}")
    dirs = as_directions(directions, raw.shape[1])
    filled = impute_missing(raw)
    weights = weights_for(method, filled, dirs)
    closeness = topsis(filled, weights, dirs)
    return Ranking(
        alternatives=list(alternatives),
        criteria=list(criteria),
        directions=[int(d) for d in dirs],
        method=method,
        weights=[float(x) for x in weights],
        scores=[float(x) for x in closeness],
        ranks=[int(r) for r in rank(closeness)],
        matrix=[[None if np.isnan(x) else float(x) for x in row] for row in raw],
    )
