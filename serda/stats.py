"""Aggregation over trials and significance tests.

One-tailed t-tests of H1: mean(a) > mean(b) (scores where higher is
better; pass negated RMSE for error measures).
"""
import math

import numpy as np
from scipy import stats as sps


def mean_std(values):
    """(mean, sample std with ddof=1; 0 for a single value)."""
    v = np.asarray(values, dtype=np.float64)
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


def welch_greater(a, b):
    """p-value of Welch's unequal-variance t-test, H1: mean(a) > mean(b).

    t = (ma - mb) / sqrt(va/na + vb/nb), degrees of freedom by the
    Welch-Satterthwaite equation; p = P(T_df > t).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    diff = a.mean() - b.mean()
    if se == 0:
        return 0.0 if diff > 0 else 1.0
    t = diff / se
    df = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1))
    return float(sps.t.sf(t, df))


def paired_greater(a, b):
    """p-value of the paired t-test, H1: mean(a - b) > 0 (trial k vs k)."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    se = d.std(ddof=1) / math.sqrt(d.size)
    if se == 0:
        return 0.0 if d.mean() > 0 else 1.0
    return float(sps.t.sf(d.mean() / se, d.size - 1))
