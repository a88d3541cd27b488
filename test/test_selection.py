"""Model selection without target labels: the scorers against their
formulas, on toy problems whose answers are known, and AdaBN's statistics."""
import numpy as np
import pytest
import torch
from scipy.stats import entropy as scipy_entropy

from serda.config import load_config
from serda.methods import build_method
from serda.metrics import ccc, unweighted_recall
from serda.nets.bn_statistics import set_batchnorm_statistics
from serda.selection.density_ratio import density_ratio, gaussian_density_ratio
from serda.selection.scorers import (balanced_cross_entropy, dev_risk, neg_entropy, snd,
                                     weighted_ccc, weighted_ua)
from serda.train.trial_log import selected_epochs


def test_weighted_ua_by_hand_and_equal_weights_give_ua():
    y = np.array([0, 0, 0, 1, 1])
    pred = np.array([0, 1, 1, 1, 0])
    w = np.array([3.0, 1.0, 1.0, 1.0, 1.0])
    # class 0: 3 / 5 right by weight, class 1: 1 / 2
    assert weighted_ua(y, pred, w) == pytest.approx((3 / 5 + 1 / 2) / 2)
    assert weighted_ua(y, pred, np.ones(5)) == pytest.approx(unweighted_recall(y, pred))


def test_weighted_ccc_equals_ccc_of_repeated_rows():
    rng = np.random.default_rng(0)
    y, p = rng.normal(size=6), rng.normal(size=6)
    w = np.array([1, 2, 3, 1, 1, 2])
    assert weighted_ccc(y, p, w) == pytest.approx(ccc(np.repeat(y, w), np.repeat(p, w)))


def test_dev_risk_by_hand():
    losses, w = np.array([1.0, 2.0, 3.0]), np.array([0.5, 1.0, 1.5])
    # w l = 0.5, 2, 4.5 (mean 7/3); cov(w l, w) = ((0.5 - 7/3)(-0.5) + (4.5 - 7/3)(0.5)) / 2
    # = 1.0, var(w) = 0.25, eta = -4; mean(w) = 1, so R = 7/3 - 4 + 4 = 7/3
    assert dev_risk(losses, w) == pytest.approx(7 / 3)
    w2 = np.array([0.5, 0.5, 1.1])              # mean(w) = 0.7: the correction moves it
    wl = w2 * losses
    eta2 = -np.cov(wl, w2)[0, 1] / np.var(w2, ddof=1)
    assert dev_risk(losses, w2) == pytest.approx(wl.mean() + eta2 * 0.7 - eta2)
    assert dev_risk(losses, np.ones(3)) == pytest.approx(2.0)   # equal weights: the mean


def gaussian_shift(n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, (n, 1)), rng.normal(1.0, 1.0, (n, 1))


def test_density_ratio_recovers_the_true_ratio_of_two_gaussians():
    xs, xt = gaussian_shift(4000, 0)
    rows = np.linspace(-1.5, 2.0, 8)[:, None]
    true = np.exp(rows[:, 0] - 0.5)             # N(1,1) / N(0,1)
    np.testing.assert_allclose(density_ratio(xs, xt, rows), true, rtol=0.15)
    np.testing.assert_allclose(gaussian_density_ratio(xs, xt, rows, shrinkage=0.0), true,
                               rtol=0.15)


def test_iwv_and_dev_estimate_the_target_risk_of_a_known_problem():
    """Source N(0,1), target N(1,1), loss x^2: the target risk is 1 + 1 = 2,
    the source risk 1. Importance weighting on source rows alone recovers 2."""
    xs, xt = gaussian_shift(4000, 1)
    xv, _ = gaussian_shift(4000, 2)            # the source validation rows
    w = density_ratio(xs, xt, xv)
    losses = xv[:, 0] ** 2
    assert losses.mean() == pytest.approx(1.0, abs=0.1)
    assert np.mean(w * losses) == pytest.approx(2.0, abs=0.25)
    assert dev_risk(losses, w) == pytest.approx(2.0, abs=0.25)
    w_gauss = gaussian_density_ratio(xs, xt, xv, shrinkage=0.0)
    assert dev_risk(losses, w_gauss) == pytest.approx(2.0, abs=0.25)


def test_snd_by_hand():
    # two rows: each has one neighbour, probability 1, entropy 0
    assert snd(np.array([[1.0, 0.0], [0.0, 1.0]])) == pytest.approx(0.0)
    # three equal rows: each row's two neighbours are equally near: entropy ln 2
    assert snd(np.ones((3, 2))) == pytest.approx(np.log(2))


def test_neg_entropy_and_balanced_cross_entropy():
    p = np.array([[0.7, 0.3], [0.5, 0.5]])
    assert neg_entropy(p) == pytest.approx(-scipy_entropy(p, axis=1).mean())
    y = np.array([0, 0, 1])
    probs = np.array([[0.5, 0.5], [0.8, 0.2], [0.1, 0.9]])
    # class 0 has two rows (scale 3 / 4), class 1 one (scale 3 / 2)
    np.testing.assert_allclose(balanced_cross_entropy(probs, y),
                               [-np.log(0.5) * 0.75, -np.log(0.8) * 0.75, -np.log(0.9) * 1.5])


def test_selected_epochs_per_rule():
    history = [{"epoch": 0, "source_dev/ua": 0.6, "score/iwv": 0.5, "target_test/ua": 0.7},
               {"epoch": 1, "source_dev/ua": 0.7, "score/iwv": 0.4, "target_test/ua": 0.6},
               {"epoch": 2, "source_dev/ua": 0.7, "score/iwv": float("nan"),
                "target_test/ua": 0.8}]
    assert selected_epochs(history, False) == {"source_dev": 1, "iwv": 0, "oracle": 2}


def test_adabn_statistics_equal_the_target_sets():
    cfg = load_config(None, ["method=adabn", "task.type=classification", "model.*.hidden=8",
                             "model.encoder.dropout_in=0.3", "model.*.batchnorm=true"])
    method = build_method(cfg, (5,), 3)
    target = torch.randn(40, 5) * 3 + 2
    inputs = {}
    bns = {n: m for n, m in method.named_modules() if isinstance(m, torch.nn.BatchNorm1d)
           and n.split(".")[0] in ("encoder", "task_head")}
    assert bns
    hooks = [m.register_forward_hook(lambda mod, a, out, n=n: inputs.update({n: a[0]}))
             for n, m in bns.items()]
    method.train()
    set_batchnorm_statistics(method, target)
    for h in hooks:
        h.remove()
    assert method.training                      # the mode it had
    for n, m in bns.items():
        torch.testing.assert_close(m.running_mean, inputs[n].mean(0))
        torch.testing.assert_close(m.running_var, inputs[n].var(0, unbiased=True))
    # in eval mode the first BatchNorm maps the target rows to mean = its shift per unit
    # (later layers see inputs normalised with the unbiased, not the batch's, variance)
    method.eval()
    outs = {}
    hooks = [m.register_forward_hook(lambda mod, a, out, n=n: outs.update({n: (a[0], out)}))
             for n, m in bns.items()]
    method.predict(target)
    first = next(iter(bns))
    torch.testing.assert_close(outs[first][1].mean(0), bns[first].bias, atol=1e-4, rtol=1e-4)
