"""luoshi.analysis.mcdm against pymcdm and scikit-criteria on the same matrices (within 1e-9).

Where the libraries' conventions differ from ours the test states the transformation that
makes them agree (see the README, "Scoring"):
- pymcdm's entropy refuses a zero entry (its sum normalisation wants x > 0); we (and scipy,
  used by scikit-criteria) count 0·ln 0 as 0, so zero-holding matrices are checked against
  scikit-criteria only.
- pymcdm's CRITIC ignores directions; negating a cost column before calling it is the
  same as our ideal-directed scaling, so pymcdm is checked on ``x * directions``.
- a constant column makes both libraries' CRITIC return NaN; we give it weight 0 and
  compute the rest on the other columns, so the oracle runs on the matrix without it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import weights as pw
from pymcdm.methods import TOPSIS as PymcdmTopsis
from pymcdm.normalizations import vector_normalization
from skcriteria.agg.topsis import topsis as skc_topsis
from skcriteria.preprocessing.scalers import scale_by_vector
from skcriteria.preprocessing.weighters import critic_weights as skc_critic
from skcriteria.preprocessing.weighters import entropy_weights as skc_entropy

from luoshi.analysis import mcdm

TOL = 1e-9

# name → (matrix, directions); alternatives in rows, criteria in columns.
MATRICES: dict[str, tuple[list[list[float]], list[int]]] = {
    "benefit_only": (
        [[7.0, 9.0, 9.0, 8.0], [8.0, 7.0, 8.0, 7.0], [9.0, 6.0, 8.0, 9.0], [6.0, 7.0, 8.0, 6.0]],
        [1, 1, 1, 1],
    ),
    "with_cost": (
        [[250.0, 16.0, 12.0, 5.0], [200.0, 16.0, 8.0, 3.0], [300.0, 32.0, 16.0, 4.0],
         [275.0, 32.0, 8.0, 4.0], [225.0, 16.0, 16.0, 2.0]],
        [-1, 1, 1, 1],
    ),
    "two_costs": (
        [[3.2, 120.0, 0.41, 18.0], [2.9, 95.0, 0.55, 22.0], [4.1, 140.0, 0.38, 15.0],
         [3.6, 101.0, 0.62, 30.0], [2.2, 88.0, 0.47, 12.0], [3.9, 133.0, 0.51, 26.0]],
        [1, -1, 1, -1],
    ),
    "ledger_like": (
        # documents, items, share quantified, follow-through, sectors
        [[4.0, 31.0, 0.35, 0.50, 6.0], [2.0, 12.0, 0.10, 0.25, 3.0], [7.0, 55.0, 0.42, 0.71, 9.0],
         [3.0, 20.0, 0.55, 0.33, 4.0], [5.0, 40.0, 0.20, 0.60, 8.0]],
        [1, 1, 1, 1, 1],
    ),
    "wide_spread": (
        [[0.5, 1200.0, 3.0], [2.5, 300.0, 9.0], [1.5, 4500.0, 1.0], [4.0, 800.0, 6.0],
         [3.5, 2500.0, 2.0], [1.0, 150.0, 7.0], [2.0, 950.0, 5.0]],
        [1, -1, 1],
    ),
}

CONSTANT = ([[5.0, 1.0, 40.0, 2.0], [5.0, 3.0, 10.0, 4.0], [5.0, 2.0, 30.0, 7.0], [5.0, 6.0, 20.0, 3.0]],
            [1, 1, -1, 1])
WITH_ZERO = ([[0.0, 3.0, 1.0], [2.0, 5.0, 4.0], [4.0, 1.0, 6.0], [1.0, 2.0, 2.0]], [1, 1, -1])


def _skc_objectives(dirs: list[int]) -> np.ndarray:
    return np.array(dirs)  # skcriteria's Objective.MAX is 1, MIN is -1


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_entropy_equals_both_oracles(name: str) -> None:
    matrix, _ = MATRICES[name]
    ours = mcdm.entropy_weights(matrix)
    np.testing.assert_allclose(ours, pw.entropy_weights(np.array(matrix)), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, skc_entropy(np.array(matrix)), rtol=0, atol=TOL)


def test_entropy_with_a_zero_follows_scipy_convention() -> None:
    matrix, _ = WITH_ZERO
    np.testing.assert_allclose(mcdm.entropy_weights(matrix), skc_entropy(np.array(matrix)), rtol=0, atol=TOL)
    # pymcdm 1.4 refuses a zero entry outright; keep that difference visible.
    with pytest.raises(ValueError, match="positive"):
        pw.entropy_weights(np.array(matrix))


def test_entropy_negative_values_are_min_shifted() -> None:
    matrix = np.array([[-2.0, 3.0], [1.0, 5.0], [4.0, 4.0], [0.5, 9.0]])
    shifted = matrix - np.minimum(matrix.min(axis=0), 0)
    np.testing.assert_allclose(mcdm.entropy_weights(matrix), skc_entropy(shifted), rtol=0, atol=TOL)


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_critic_equals_both_oracles(name: str) -> None:
    matrix, dirs = MATRICES[name]
    ours = mcdm.critic_weights(matrix, dirs)
    np.testing.assert_allclose(ours, skc_critic(np.array(matrix), _skc_objectives(dirs)), rtol=0, atol=TOL)
    flipped = np.array(matrix) * np.array(dirs)  # pymcdm ignores direction: negate cost columns
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(ours, pw.critic_weights(flipped), rtol=0, atol=TOL)


def test_critic_direction_matters_when_there_is_a_cost_column() -> None:
    matrix, dirs = MATRICES["with_cost"]
    assert not np.allclose(mcdm.critic_weights(matrix, dirs), mcdm.critic_weights(matrix))


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_topsis_equals_both_oracles(name: str) -> None:
    matrix, dirs = MATRICES[name]
    arr = np.array(matrix)
    w = mcdm.entropy_weights(arr)
    ours = mcdm.topsis(arr, w, dirs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both warn about dominated alternatives / cost criteria
        pym = PymcdmTopsis(vector_normalization)(arr, w, np.array(dirs))
        _, _, _, similarity = skc_topsis(scale_by_vector(arr, axis=0), _skc_objectives(dirs), w)
    np.testing.assert_allclose(ours, pym, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours, similarity, rtol=0, atol=TOL)


def test_constant_column_gets_zero_weight_and_leaves_the_rest_unchanged() -> None:
    matrix, dirs = CONSTANT
    arr = np.array(matrix)
    rest, rest_dirs = arr[:, 1:], dirs[1:]

    ent = mcdm.entropy_weights(arr)
    assert ent[0] == 0
    np.testing.assert_allclose(ent, pw.entropy_weights(arr), rtol=0, atol=TOL)
    np.testing.assert_allclose(ent[1:], skc_entropy(rest), rtol=0, atol=TOL)

    crit = mcdm.critic_weights(arr, dirs)
    assert crit[0] == 0
    np.testing.assert_allclose(crit[1:], skc_critic(rest, _skc_objectives(rest_dirs)), rtol=0, atol=TOL)

    # TOPSIS: the constant column changes nothing, whatever weight it is given.
    w = np.array([0.4, 0.2, 0.2, 0.2])
    with_const = mcdm.topsis(arr, w, dirs)
    np.testing.assert_allclose(with_const, mcdm.topsis(rest, w[1:], rest_dirs), rtol=0, atol=TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pym = PymcdmTopsis(vector_normalization)(arr, w, np.array(dirs))
    np.testing.assert_allclose(with_const, pym, rtol=0, atol=TOL)


# (matrix with NaN, the matrix the rule turns it into)
MISSING_CASES = [
    ([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]], [[1.0, 6.0], [3.0, 4.0], [2.0, 8.0]]),
    ([[np.nan, 2.0], [np.nan, 5.0]], [[0.0, 2.0], [0.0, 5.0]]),
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]),  # must not change
]


@pytest.mark.parametrize(("given", "expected"), MISSING_CASES)
def test_missing_values_are_mean_imputed(given: list[list[float]], expected: list[list[float]]) -> None:
    np.testing.assert_array_equal(mcdm.impute_missing(given), np.array(expected))


def test_all_constant_falls_back_to_equal_weights_and_ties() -> None:
    arr = [[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]
    for method in mcdm.METHODS:
        result = mcdm.score(["a", "b", "c"], ["x", "y"], arr, method=method)
        assert result.weights == [0.5, 0.5]
        assert result.scores == [0.5, 0.5, 0.5]
        assert result.ranks == [1, 1, 1]


def test_score_ranks_the_dominating_alternative_first() -> None:
    result = mcdm.score(["low", "high", "mid"], ["gdp", "debt"], [[1.0, 9.0], [5.0, 1.0], [3.0, 5.0]],
                        directions=[1, -1], method="critic")
    assert [row["place"] for row in result.rows()] == ["high", "mid", "low"]
    assert result.scores[1] == pytest.approx(1.0) and result.scores[0] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"matrix": [[1.0, 2.0]], "directions": [1, 0]}, "directions must be"),
        ({"matrix": [[1.0, 2.0]], "directions": [1]}, "1 directions for 2"),
        ({"matrix": [1.0, 2.0]}, "2-D"),
        ({"matrix": [[1.0, float("inf")]]}, "infinite"),
    ],
)
def test_bad_input_is_refused_with_a_reason(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mcdm.topsis(kwargs["matrix"], [0.5, 0.5], kwargs.get("directions"))


# Properties that hold for any matrix: weights are a distribution, scores lie in [0, 1],
# and rescaling a criterion (yuan → 10k yuan) changes nothing.
_matrices = st.integers(min_value=2, max_value=8).flatmap(
    lambda m: st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), min_size=n, max_size=n),
            min_size=m, max_size=m,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(_matrices, st.sampled_from(mcdm.METHODS), st.floats(min_value=1e-3, max_value=1e3))
def test_properties(matrix: list[list[float]], method: str, factor: float) -> None:
    arr = np.array(matrix)
    dirs = np.where(np.arange(arr.shape[1]) % 2 == 0, 1, -1)
    w = mcdm.weights_for(method, arr, dirs)
    assert w.min() >= 0 and abs(w.sum() - 1) < 1e-9
    scores = mcdm.topsis(arr, w, dirs)
    assert ((scores >= -1e-12) & (scores <= 1 + 1e-12)).all()
    scaled = arr.copy()
    scaled[:, 0] *= factor
    np.testing.assert_allclose(mcdm.topsis(scaled, mcdm.weights_for(method, scaled, dirs), dirs), scores,
                               rtol=0, atol=1e-7)
