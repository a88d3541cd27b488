"""Trial statistics against scipy."""
import numpy as np
import pytest
from scipy import stats

from serda.data.labels import binarize, scale_to_pm3
from serda.stats import mean_std, paired_greater, welch_greater


def test_welch_and_paired_match_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.5, 0.1, 20), rng.normal(0.45, 0.2, 15)
    ref = stats.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue
    assert welch_greater(a, b) == pytest.approx(ref, rel=1e-10)
    c = b[:15] + rng.normal(0.02, 0.01, 15)
    ref = stats.ttest_rel(c, b, alternative="greater").pvalue
    assert paired_greater(c, b) == pytest.approx(ref, rel=1e-10)


def test_mean_std_uses_sample_std():
    assert mean_std([1.0, 2.0, 3.0]) == (2.0, 1.0)
    assert mean_std([4.0]) == (4.0, 0.0)


def test_label_maps_by_hand():
    np.testing.assert_allclose(scale_to_pm3([1, 3, 5], [1, 5]), [-3, 0, 3])
    np.testing.assert_allclose(scale_to_pm3([1, 4, 7], [1, 7]), [-3, 0, 3])
    np.testing.assert_array_equal(binarize([1, 2.5, 2.6, 5], threshold=2.5), [0, 0, 1, 1])
    np.testing.assert_array_equal(binarize([2.5], threshold=2.5, high_side="ge"), [1])
