"""Evaluation metrics, computed over a whole test set (never per batch).

All functions take 1-D array-likes ``y_true`` and ``y_pred`` of equal length.
"""
import numpy as np


def _pair(y_true, y_pred):
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} values, y_pred {p.size}")
    if t.size == 0:
        raise ValueError("empty input")
    return t, p


def ccc(y_true, y_pred):
    """Concordance correlation coefficient (Lin 1989).

    CCC = 2 rho s_t s_p / (s_t^2 + s_p^2 + (m_t - m_p)^2)
        = 2 cov(t, p) / (var t + var p + (m_t - m_p)^2),
    with population (biased, 1/n) variances and covariance.
    """
    t, p = _pair(y_true, y_pred)
    mt, mp = t.mean(), p.mean()
    cov = np.mean((t - mt) * (p - mp))
    denom = t.var() + p.var() + (mt - mp) ** 2
    return float(2.0 * cov / denom) if denom > 0 else 0.0


def pearson(y_true, y_pred):
    """Pearson correlation; 0 when either side is constant."""
    t, p = _pair(y_true, y_pred)
    st, sp = t.std(), p.std()
    if st == 0 or sp == 0:
        return 0.0
    return float(np.mean((t - t.mean()) * (p - p.mean())) / (st * sp))


def rmse(y_true, y_pred):
    """Root mean squared error."""
    t, p = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((t - p) ** 2)))


def accuracy(y_true, y_pred):
    """Fraction of exact matches (labels of any hashable type)."""
    t = np.asarray(y_true).reshape(-1)
    p = np.asarray(y_pred).reshape(-1)
    if t.shape != p.shape or t.size == 0:
        raise ValueError("y_true and y_pred must be non-empty and of equal length")
    return float(np.mean(t == p))


def unweighted_recall(y_true, y_pred):
    """UA / UAR: mean over the classes present in ``y_true`` of their recall."""
    t = np.asarray(y_true).reshape(-1)
    p = np.asarray(y_pred).reshape(-1)
    if t.shape != p.shape or t.size == 0:
        raise ValueError("y_true and y_pred must be non-empty and of equal length")
    return float(np.mean([np.mean(p[t == c] == c) for c in np.unique(t)]))
