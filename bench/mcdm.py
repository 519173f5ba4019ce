"""Scoring speed: luoshi.analysis.mcdm (entropy/CRITIC weights + TOPSIS) against pymcdm.

    .venv/bin/python bench/mcdm.py [--places 3000] [--criteria 12] [--repeat 20]

Both score the same random matrix (half benefit, half cost criteria) in the same run;
results are checked equal (1e-9) before timing. Prints seconds per run for each and the
ratio pymcdm / luoshi (> 1 means luoshi is faster).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from luoshi.analysis import mcdm


def _time(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    func()
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=3000)
    parser.add_argument("--criteria", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    matrix = rng.uniform(1.0, 100.0, size=(args.places, args.criteria))
    dirs = np.where(np.arange(args.criteria) % 2 == 0, 1, -1)
    warnings.simplefilter("ignore")

    def ours(method: str) -> np.ndarray:
        w = mcdm.weights_for(method, matrix, dirs)
        return mcdm.topsis(matrix, w, dirs)

    def theirs(method: str) -> np.ndarray:
        w = pw.entropy_weights(matrix) if method == "entropy" else pw.critic_weights(matrix * dirs)
        return TOPSIS(vector_normalization)(matrix, w, dirs)

    for method in ("entropy", "critic"):
        np.testing.assert_allclose(ours(method), theirs(method), rtol=0, atol=1e-9)
        t_ours = _time(lambda m=method: ours(m), args.repeat)
        t_peer = _time(lambda m=method: theirs(m), args.repeat)
        print(f"{method:8} {args.places}×{args.criteria}: luoshi {t_ours * 1e3:.2f} ms, "
              f"pymcdm {t_peer * 1e3:.2f} ms, ratio pymcdm/luoshi {t_peer / t_ours:.2f}")


if __name__ == "__main__":
    main()
