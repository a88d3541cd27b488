"""The losses of the adaptation methods against independent references:
scipy, numpy written from the papers' equations, hand-computed values."""
import numpy as np
import pytest
import torch
from scipy.stats import entropy as scipy_entropy

from serda.losses.conditional import entropy_weights, multilinear, weighted_source_target_loss
from serda.losses.domain import source_target_loss
from serda.losses.entropy import mean_entropy, row_entropy
from serda.losses.mcc import mcc_loss
from serda.losses.mmd import ALPHAS, joint_mmd, mk_mmd
from serda.losses.pseudo_label import class_balanced_pseudo_labels


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_entropy_matches_scipy():
    logits = torch.randn(7, 4, dtype=torch.float64)
    p = softmax(logits.numpy())
    np.testing.assert_allclose(row_entropy(logits).numpy(), scipy_entropy(p, axis=1))
    assert float(mean_entropy(logits)) == pytest.approx(scipy_entropy(p, axis=1).mean())


def mcc_reference(logits, t):
    """Jin et al. 2020, Eqs. 1-8, in numpy, loops where the paper sums."""
    y = softmax(logits / t)
    b, c = y.shape
    h = -np.sum(y * np.log(y), axis=1)
    w = b * (1 + np.exp(-h)) / np.sum(1 + np.exp(-h))
    conf = np.zeros((c, c))
    for j in range(c):
        for k in range(c):
            conf[j, k] = sum(y[i, j] * w[i] * y[i, k] for i in range(b))
    norm = conf / conf.sum(axis=1, keepdims=True)
    return sum(abs(norm[j, k]) for j in range(c) for k in range(c) if j != k) / c


def test_mcc_matches_the_papers_equations():
    logits = torch.randn(9, 3, dtype=torch.float64) * 3
    assert float(mcc_loss(logits, 2.5)) == pytest.approx(mcc_reference(logits.numpy(), 2.5))


def test_mcc_by_hand():
    # equal posteriors (0.5, 0.5): every weight 1, C = B/4 everywhere, rows normalise to
    # 0.5, so each class is confused with the other by 0.5: L = (0.5 + 0.5) / 2
    assert float(mcc_loss(torch.zeros(4, 2))) == pytest.approx(0.5)
    # confident and right on distinct classes: almost no confusion
    assert float(mcc_loss(torch.tensor([[40.0, 0.0], [0.0, 40.0]]), 1.0)) < 1e-6


def mmd_reference(xs, xt, alphas, layers_t=None):
    """Biased MMD^2 with the Gaussian family, double loops."""
    x = np.concatenate([xs, xt])
    n = len(x)
    d2 = np.array([[np.sum((a - b) ** 2) for b in x] for a in x])
    s2 = d2.sum() / (n * n - n)
    k = sum(np.exp(-d2 / (2 * a * s2)) for a in alphas)
    ns = len(xs)
    return k, k[:ns, :ns].mean() + k[ns:, ns:].mean() - 2 * k[:ns, ns:].mean()


def test_mk_mmd_matches_a_double_loop_and_vanishes_on_equal_sets():
    g = torch.Generator().manual_seed(0)
    xs = torch.randn(6, 3, generator=g, dtype=torch.float64)
    xt = torch.randn(5, 3, generator=g, dtype=torch.float64) + 1.0
    _, ref = mmd_reference(xs.numpy(), xt.numpy(), ALPHAS)
    assert float(mk_mmd(xs, xt)) == pytest.approx(ref)
    assert abs(float(mk_mmd(xs, xs.clone()))) < 1e-12


def test_joint_mmd_is_the_mmd_of_the_product_kernel():
    g = torch.Generator().manual_seed(1)
    zs, zt = torch.randn(5, 4, generator=g, dtype=torch.float64), \
        torch.randn(4, 4, generator=g, dtype=torch.float64)
    ps, pt = torch.rand(5, 2, generator=g, dtype=torch.float64), \
        torch.rand(4, 2, generator=g, dtype=torch.float64)
    k1, _ = mmd_reference(zs.numpy(), zt.numpy(), ALPHAS)
    k2, _ = mmd_reference(ps.numpy(), pt.numpy(), (1.0,))
    k = k1 * k2
    ref = k[:5, :5].mean() + k[5:, 5:].mean() - 2 * k[:5, 5:].mean()
    assert float(joint_mmd([zs, ps], [zt, pt], [ALPHAS, (1.0,)])) == pytest.approx(ref)


def test_multilinear_map_is_the_flattened_outer_product():
    f, g = torch.randn(3, 4), torch.rand(3, 2)
    np.testing.assert_allclose(multilinear(f, g).numpy(),
                               np.einsum("nd,nc->ndc", f.numpy(), g.numpy()).reshape(3, 8),
                               rtol=1e-6)


def test_entropy_weights_by_hand_and_uniform_weights_give_dann_loss():
    logits = torch.tensor([[0.0, 0.0], [10.0, -10.0], [0.0, 0.0]])
    w = entropy_weights(logits, 2)
    # source: 1 + exp(-ln 2) = 1.5 and ~1 + exp(0) = 2 -> 1.5/3.5, 2/3.5; target alone: 1
    np.testing.assert_allclose(w.numpy(), [1.5 / 3.5, 2.0 / 3.5, 1.0], rtol=1e-4)
    d = torch.randn(5, 2)
    uniform = torch.tensor([1 / 3] * 3 + [1 / 2] * 2)
    torch.testing.assert_close(weighted_source_target_loss(d, 3, uniform),
                               source_target_loss(d, 3, "sum_of_means"))


def test_class_balanced_pseudo_labels_keep_the_same_share_of_each_class():
    probs = torch.tensor([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.6, 0.4],
                          [0.45, 0.55], [0.2, 0.8]])
    labels, keep = class_balanced_pseudo_labels(probs, 0.5)
    assert labels.tolist() == [0, 0, 0, 0, 1, 1]
    # class 0: 4 rows, the top 2 kept; class 1: 2 rows, the top 1 kept (not a global threshold)
    assert keep.tolist() == [1, 1, 0, 0, 0, 1]
    assert class_balanced_pseudo_labels(probs, 1.0)[1].tolist() == [1] * 6
    assert class_balanced_pseudo_labels(probs, 0.0)[1].tolist() == [0] * 6
