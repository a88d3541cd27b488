"""The scores of one model that model selection maximises, none of which
reads a target label.

- IWV (importance-weighted validation, Sugiyama et al. 2007): the source
  dev metric with each utterance weighted by w(x) = p_t(x) / p_s(x) of its
  input features (serda.selection.density_ratio): class-weighted UA
  sum_c [sum_{i in c} w_i 1(yhat_i = c) / sum_{i in c} w_i] / C for
  classification, the weighted CCC (weighted means, variances and
  covariance) for regression.
- DEV (deep embedded validation, You et al. 2019, Eq. 5-6): per source dev
  utterance loss l_i (class-balanced cross-entropy; squared error for
  regression), weights w_i from the model's embeddings, L_i = w_i l_i,
  eta = -Cov(L, w) / Var(w) (the control variate) and
  R_DEV = mean(L) + eta mean(w) - eta; the score is -R_DEV.
- SND (soft neighbourhood density, Saito et al. 2021, Eqs. 1-3): target
  outputs (class posteriors; embeddings for regression) L2-normalised,
  similarities S_ij = <f_i, f_j> (i != j), P_ij = softmax_j(S_ij / tau),
  tau = 0.05; SND = -1/N sum_i sum_j P_ij log P_ij.
- entropy: -1/N sum_i H(p_i) of the target posteriors (classification).
"""
import numpy as np

SND_TEMPERATURE = 0.05
SND_MAX_ROWS = 1000


def weighted_ua(y, pred, w):
    """Class-weighted UA (%-free, 0..1) of classes ``y`` (N,) and decisions
    ``pred`` (N,) with row weights ``w`` (N,), over the classes in ``y``."""
    y, pred, w = np.asarray(y), np.asarray(pred), np.asarray(w, np.float64)
    recalls = [np.sum(w[y == c] * (pred[y == c] == c)) / np.sum(w[y == c])
               for c in np.unique(y)]
    return float(np.mean(recalls))


def weighted_ccc(y, pred, w):
    """Lin's CCC 2 s_xy / (s_x^2 + s_y^2 + (m_x - m_y)^2) with weighted
    means, variances and covariance (weights ``w`` normalised to sum 1)."""
    y, pred = np.asarray(y, np.float64), np.asarray(pred, np.float64)
    w = np.asarray(w, np.float64) / np.sum(w)
    my, mp = np.sum(w * y), np.sum(w * pred)
    vy, vp = np.sum(w * (y - my) ** 2), np.sum(w * (pred - mp) ** 2)
    cov = np.sum(w * (y - my) * (pred - mp))
    return float(2 * cov / (vy + vp + (my - mp) ** 2))


def dev_risk(losses, w):
    """R_DEV of per-row ``losses`` (N,) and density ratios ``w`` (N,):
    mean(w l) + eta mean(w) - eta, eta = -Cov(w l, w) / Var(w) (sample
    covariance and variance; eta = 0 when all weights are equal)."""
    losses, w = np.asarray(losses, np.float64), np.asarray(w, np.float64)
    weighted = w * losses
    var = np.var(w, ddof=1)
    eta = 0.0 if var == 0 else -np.cov(weighted, w, ddof=1)[0, 1] / var
    return float(weighted.mean() + eta * w.mean() - eta)


def balanced_cross_entropy(probs, y):
    """(N,) per-row -log p_i[y_i], each scaled by N / (C n_{y_i}) so that
    every class weighs the same in the mean."""
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    scale = dict(zip(classes, len(y) / (len(classes) * counts)))
    p = np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)
    return -np.log(p) * np.array([scale[c] for c in y])


def snd(outputs, temperature=SND_TEMPERATURE, max_rows=SND_MAX_ROWS, seed=0):
    """Soft neighbourhood density of target outputs (N, K): the mean entropy
    of each row's softmax over its similarities to the other rows. More
    than ``max_rows`` rows: a fixed random subset of that many."""
    f = np.asarray(outputs, np.float64)
    if len(f) > max_rows:
        f = f[np.random.default_rng(seed).choice(len(f), max_rows, replace=False)]
    f = f / np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-12)
    s = f @ f.T / temperature
    np.fill_diagonal(s, -np.inf)
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    logp = np.log(np.where(p > 0, p, 1.0))
    return float(-np.mean(np.sum(p * logp, axis=1)))


def neg_entropy(probs):
    """-1/N sum_i H(p_i) of posteriors (N, C)."""
    p = np.clip(np.asarray(probs, np.float64), 1e-12, 1.0)
    return float(np.mean(np.sum(p * np.log(p), axis=1)))
