"""Metrics against scipy and hand-computed values."""
import numpy as np
import pytest
from scipy import stats

from serda.metrics import accuracy, ccc, pearson, rmse, unweighted_recall


def test_ccc_hand_values():
    # t = (1,2,3), p = (2,3,4): cov = 2/3, var t = var p = 2/3, mean diff 1
    assert ccc([1, 2, 3], [2, 3, 4]) == pytest.approx((4 / 3) / (4 / 3 + 1))
    assert ccc([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert ccc([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    # p = 2 t: cov = 4/3, var p = 8/3, means 2 and 4
    assert ccc([1, 2, 3], [2, 4, 6]) == pytest.approx((8 / 3) / (2 / 3 + 8 / 3 + 4))


def test_ccc_matches_definition_with_population_moments():
    rng = np.random.default_rng(1)
    t = rng.normal(size=500)
    p = 0.5 * t + rng.normal(scale=0.7, size=500) + 0.3
    rho = stats.pearsonr(t, p)[0]
    ref = 2 * rho * t.std() * p.std() / (t.var() + p.var() + (t.mean() - p.mean()) ** 2)
    assert ccc(t, p) == pytest.approx(ref, rel=1e-10)


def test_pearson_and_rmse_against_scipy():
    rng = np.random.default_rng(2)
    t, p = rng.normal(size=100), rng.normal(size=100)
    assert pearson(t, p) == pytest.approx(stats.pearsonr(t, p)[0], rel=1e-10)
    assert rmse([0, 0, 0, 0], [1, -1, 1, -1]) == 1.0
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0


def test_accuracy_and_unweighted_recall_hand_values():
    t = ["a", "a", "a", "a", "b", "b"]
    p = ["a", "a", "a", "b", "a", "b"]
    assert accuracy(t, p) == pytest.approx(4 / 6)
    assert unweighted_recall(t, p) == pytest.approx((3 / 4 + 1 / 2) / 2)
    with pytest.raises(ValueError):
        ccc([1, 2], [1])
