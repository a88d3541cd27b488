"""Per-corpus feature normalisation: statistics and their application.

Statistics are computed once per corpus (stage 3) on its training and
unlabelled portions, stored beside the data as ``norm_stats.npz``, and
applied when features are loaded, so one extraction serves every scheme.

Schemes (``x``: (n, d) features, statistics per dimension):

``abdelwahab``  (Abdelwahab & Busso 2018) mean m and std s over the values
                inside the [5 %, 95 %] quantile range of each feature;
                z = (x - m) / s, then z := 0 wherever |z| > 10.
``minmax``      2 (x - min) / (max - min) - 1, [-1, 1] on the fitting data.
``zscore``      (x - mean) / std.
``none``        x unchanged.

A feature that is constant on the fitting data (zero spread) maps to 0.
With very few fitting vectors the quantile range can hold fewer than two
values of a feature (two vectors: none lies inside the interpolated 5-95 %
range); its trimmed statistics then fall back to the plain mean and std
instead of becoming NaN and mapping every value to 0.
Standard deviations are population (ddof = 0).
"""
import numpy as np

SCHEMES = ("abdelwahab", "minmax", "zscore", "none")
OUTLIER_Z = 10.0
QUANTILES = (0.05, 0.95)


def fit_norm_stats(x):
    """Statistics of ``x`` (n, d) for every scheme, as a dict of (d,) arrays."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"need a non-empty (n, d) matrix, got shape {x.shape}")
    lo, hi = np.quantile(x, QUANTILES, axis=0)
    inside = (x >= lo) & (x <= hi)
    count = inside.sum(axis=0)
    few = count < 2                      # too few values inside: the plain statistics
    inside[:, few] = True
    count = inside.sum(axis=0)
    trim_mean = np.where(inside, x, 0.0).sum(axis=0) / count
    trim_var = np.where(inside, (x - trim_mean) ** 2, 0.0).sum(axis=0) / count
    return {
        "count": np.array(x.shape[0]),
        "mean": x.mean(axis=0),
        "std": x.std(axis=0),
        "min": x.min(axis=0),
        "max": x.max(axis=0),
        "q05": lo,
        "q95": hi,
        "trim_mean": trim_mean,
        "trim_std": np.sqrt(trim_var),
    }


def _scale(x, center, spread):
    """(x - center) / spread, with 0 where spread is 0."""
    ok = spread > 0
    safe = np.where(ok, spread, 1.0)
    return np.where(ok, (x - center) / safe, 0.0)


def apply_norm(x, stats, scheme):
    """Normalise ``x`` (n, d) with ``stats`` from :func:`fit_norm_stats`.

    Returns float32 (n, d).
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown normalisation '{scheme}' (known: {', '.join(SCHEMES)})")
    x = np.asarray(x, dtype=np.float64)
    if scheme == "none":
        y = x
    elif scheme == "abdelwahab":
        y = _scale(x, stats["trim_mean"], stats["trim_std"])
        y[np.abs(y) > OUTLIER_Z] = 0.0
    elif scheme == "minmax":
        y = 2.0 * _scale(x, stats["min"], stats["max"] - stats["min"]) - 1.0
        y[:, stats["max"] == stats["min"]] = 0.0
    else:
        y = _scale(x, stats["mean"], stats["std"])
    return y.astype(np.float32)
