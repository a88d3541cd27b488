"""Density ratio w(x) = p_target(x) / p_source(x), the weights of IWV and DEV.

:func:`density_ratio`: a source/target classifier (Bickel et al. 2007). A
logistic regression tells the n_s source rows (label 0) from the n_t
target rows (label 1); by Bayes' rule

    w(x) = (n_s / n_t) P(target | x) / P(source | x).

Inputs are standardised with the pooled mean and std first.

:func:`gaussian_density_ratio`: the same log-linear ratio in closed form,
each domain a Gaussian with a shared covariance (a linear discriminant):
log w(x) = a^T x + b, a = S^-1 (m_t - m_s), b = -(m_t^T S^-1 m_t - m_s^T S^-1 m_s) / 2,
S the pooled within-domain covariance shrunk towards its mean variance,
(1 - r) S + r tr(S)/d I. A solve instead of an optimisation: what DEV
refits on the model's embeddings every epoch.

Both clip the ratio to [1/CLIP, CLIP] so that one row cannot carry a
whole estimate.
"""
import numpy as np

CLIP = 20.0


def density_ratio(source_fit, target_fit, rows, c=1.0):
    """(len(rows),) ratios p_t / p_s at ``rows`` (R, d), the classifier
    fitted on ``source_fit`` (n_s, d) vs ``target_fit`` (n_t, d) with
    inverse L2 strength ``c``."""
    from sklearn.linear_model import LogisticRegression
    xs, xt = np.asarray(source_fit, np.float64), np.asarray(target_fit, np.float64)
    x = np.concatenate([xs, xt])
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    y = np.r_[np.zeros(len(xs)), np.ones(len(xt))]
    clf = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / std, y)
    p = clf.predict_proba((np.asarray(rows, np.float64) - mean) / std)[:, 1]
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.clip(len(xs) / len(xt) * p / (1 - p), 1.0 / CLIP, CLIP)


def gaussian_density_ratio(source_fit, target_fit, rows, shrinkage=0.1):
    """(len(rows),) ratios p_t / p_s at ``rows`` (R, d) under shared-covariance
    Gaussians fitted to ``source_fit`` (n_s, d) and ``target_fit`` (n_t, d)."""
    xs, xt = np.asarray(source_fit, np.float64), np.asarray(target_fit, np.float64)
    ms, mt = xs.mean(axis=0), xt.mean(axis=0)
    centred = np.concatenate([xs - ms, xt - mt])
    cov = centred.T @ centred / max(len(centred) - 2, 1)
    d = cov.shape[0]
    cov = (1 - shrinkage) * cov + shrinkage * np.trace(cov) / d * np.eye(d)
    a = np.linalg.solve(cov, mt - ms)
    b = -0.5 * (mt @ np.linalg.solve(cov, mt) - ms @ np.linalg.solve(cov, ms))
    log_w = np.asarray(rows, np.float64) @ a + b
    return np.exp(np.clip(log_w, -np.log(CLIP), np.log(CLIP)))
