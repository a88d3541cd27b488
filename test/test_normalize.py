"""The three normalisation schemes against direct numpy computations."""
import numpy as np
import pytest

from serda.data.normalize import apply_norm, fit_norm_stats


@pytest.fixture
def feats():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 5)) * [1, 10, 0.1, 3, 1] + [0, 5, -2, 100, 0]
    x[:3, 0] = [80.0, -90.0, 70.0]   # outliers in feature 0
    x[:, 4] = 7.0                    # a constant feature
    return x


def test_abdelwahab_trimmed_statistics_and_outlier_clamp(feats):
    stats = fit_norm_stats(feats)
    z = apply_norm(feats, stats, "abdelwahab")
    for j in range(4):
        col = feats[:, j]
        lo, hi = np.percentile(col, 5), np.percentile(col, 95)
        inside = col[(col >= lo) & (col <= hi)]
        ref = (col - inside.mean()) / inside.std()
        ref[np.abs(ref) > 10] = 0.0
        np.testing.assert_allclose(z[:, j], ref, rtol=1e-5, atol=1e-6)
    assert np.all(z[:3, 0] == 0.0)        # |z| > 10 set to 0
    assert np.all(z[:, 4] == 0.0)         # constant feature -> 0
    assert z.dtype == np.float32


def test_minmax_maps_fitting_data_to_unit_interval(feats):
    stats = fit_norm_stats(feats)
    y = apply_norm(feats, stats, "minmax")
    ref = 2 * (feats[:, :4] - feats[:, :4].min(0)) / np.ptp(feats[:, :4], axis=0) - 1
    np.testing.assert_allclose(y[:, :4], ref, rtol=1e-5, atol=1e-6)
    assert y[:, :4].min() == -1.0 and y[:, :4].max() == 1.0
    assert np.all(y[:, 4] == 0.0)


def test_zscore(feats):
    stats = fit_norm_stats(feats)
    y = apply_norm(feats[:10], stats, "zscore")
    ref = (feats[:10, :4] - feats[:, :4].mean(0)) / feats[:, :4].std(0)
    np.testing.assert_allclose(y[:, :4], ref, rtol=1e-5, atol=1e-6)
    assert np.all(y[:, 4] == 0.0)


def test_unknown_scheme_and_empty_input(feats):
    with pytest.raises(ValueError, match="unknown normalisation"):
        apply_norm(feats, fit_norm_stats(feats), "l2")
    with pytest.raises(ValueError):
        fit_norm_stats(np.zeros((0, 3)))
