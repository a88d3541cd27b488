"""The faster paths of issue 18 compute what the plain ones do: the
16-bit dropout masks (statistics, per-trial streams under vmap), the
``uniform`` masks (serda's earlier masks, bit for bit), the wide-input
Linear's weight gradient, the foreach optimisers and clipping (bit for
bit), glibc's malloc settings."""
import sys

import pytest
import torch
from torch import nn
from torch.func import functional_call, grad, stack_module_state, vmap

from serda.config import load_config
from serda.methods import build_method
from serda.nets.blocks import Dropout, Linear, clamp_unit_norms_, keep_threshold, random_int16
from serda.train.allocator import reuse_freed_blocks
from serda.train.updates import clip_grad_norms_, make_optimizer


def test_keep_threshold_is_the_nearest_16_bit_probability():
    t, q = keep_threshold(0.8)
    assert t == round(0.8 * 65536) - 32768 == 19661
    assert q == 52429 / 65536 and abs(q - 0.8) <= 2 ** -17
    assert keep_threshold(0.5) == (0, 0.5)
    assert keep_threshold(0.3)[1] == 19661 / 65536


def test_random_int16_is_uniform_over_the_16_bit_range():
    torch.manual_seed(0)
    r = random_int16((1000, 1001), "cpu").long()
    assert r.shape == (1000, 1001) and int(r.min()) == -32768 and int(r.max()) == 32767
    lanes = r.flatten()[:1000000].view(-1, 4)       # the 4 int16 of each 64-bit draw
    for lane in lanes.T:
        counts = torch.bincount((lane + 32768) // 4096, minlength=16).float()   # 16 bins
        expected = lane.numel() / 16
        chi2 = float(((counts - expected) ** 2 / expected).sum())
        assert chi2 < 37.7                  # chi-square, 15 dof, p = 0.001


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_bits16_dropout_rate_scale_and_gradient(p):
    torch.manual_seed(1)
    drop = Dropout(p)
    x = torch.ones(400, 1000, requires_grad=True)
    y = drop(x)
    q = keep_threshold(1 - p)[1]
    kept = y != 0
    assert abs(float(kept.float().mean()) - q) < 5 * (q * (1 - q) / x.numel()) ** 0.5
    assert torch.equal(y[kept], torch.full_like(y[kept], 1 / q))
    y.sum().backward()
    assert torch.equal(x.grad, y.detach())
    torch.manual_seed(1)
    assert torch.equal(Dropout(p)(x), y)               # follows torch.manual_seed


def test_bits16_dropout_is_its_formula_bit_for_bit_alone_and_under_vmap():
    """y = x * ([r < t] / q): the 0/1 mask written by the comparison itself
    (one pass) alone, through a bool mask under vmap (no out= rule there)."""
    x = torch.randn(3, 64, 300)
    t, q = keep_threshold(0.8)
    torch.manual_seed(4)
    y = Dropout(0.2)(x[0])
    torch.manual_seed(4)
    r = random_int16(x[0].shape, "cpu")
    assert torch.equal(y, x[0] * ((r < t).float() * (1.0 / q)))
    y = vmap(Dropout(0.2), randomness="different")(x)
    kept = y != 0
    assert torch.equal(y[kept], x[kept] * (1.0 / q)) and 0.7 < float(kept.float().mean()) < 0.9


def test_uniform_masks_are_serda_earlier_masks_bit_for_bit():
    x = torch.randn(64, 300)
    torch.manual_seed(3)
    y = Dropout(0.2, masks="uniform")(x)
    torch.manual_seed(3)
    assert torch.equal(y, x * (torch.rand_like(x) < 0.8) * (1.0 / 0.8))


def test_build_method_sets_the_configured_masks():
    for masks in ("bits16", "uniform"):
        cfg = load_config(None, ["method=dann", f"train.dropout_masks={masks}"])
        method = build_method(cfg, (20,), 1)
        drops = [m for m in method.modules() if isinstance(m, Dropout)]
        assert drops and {m.masks for m in drops} == {masks}


def test_bits16_masks_differ_between_vmapped_trials():
    drop = Dropout(0.5)
    x = torch.ones(3, 50, 40)
    y = vmap(drop, randomness="different")(x)
    assert not torch.equal(y[0], y[1]) and not torch.equal(y[1], y[2])


def _pair(in_dim, out_dim):
    torch.manual_seed(5)
    fast = Linear(in_dim, out_dim)
    torch.manual_seed(5)
    plain = nn.Linear(in_dim, out_dim)
    assert torch.equal(fast.weight, plain.weight) and torch.equal(fast.bias, plain.bias)
    return fast, plain


@pytest.mark.parametrize("rows,in_dim,out_dim", [(96, 1500, 40), (512, 6373, 256), (7, 1024, 3)])
def test_wide_input_linear_gradients_equal_nn_linear_bit_for_bit(rows, in_dim, out_dim):
    fast, plain = _pair(in_dim, out_dim)
    x = torch.randn(rows, in_dim)
    g = torch.randn(rows, out_dim)
    xs = [x.clone().requires_grad_(), x.clone().requires_grad_()]
    for module, xi in zip((fast, plain), xs):
        y = module(xi)
        y.backward(g)
    assert torch.equal(fast(x), plain(x))
    assert torch.equal(fast.weight.grad, plain.weight.grad)
    assert torch.equal(fast.bias.grad, plain.bias.grad)
    assert torch.equal(xs[0].grad, xs[1].grad)


def test_wide_input_linear_under_vmap_grad_matches_each_member():
    torch.manual_seed(0)
    members = [Linear(1200, 10) for _ in range(3)]
    params, buffers = stack_module_state(members)
    x = torch.randn(3, 16, 1200)

    def loss(p, xi):
        return functional_call(members[0], (p, {}), (xi,)).pow(2).sum()
    grads = vmap(grad(loss))(params, x)
    for k, m in enumerate(members):
        m.zero_grad()
        m(x[k]).pow(2).sum().backward()
        torch.testing.assert_close(grads["weight"][k], m.weight.grad)
        torch.testing.assert_close(grads["bias"][k], m.bias.grad)


@pytest.mark.parametrize("name", ["adam", "adadelta", "sgd"])
def test_foreach_optimisers_equal_the_per_parameter_path(name):
    cfg = load_config(None, [f"optim.name={name}", "optim.weight_decay=1e-4"]).optim
    torch.manual_seed(0)
    start = [torch.randn(30, 20), torch.randn(30), torch.randn(1, 30)]
    grads = [[torch.randn_like(p) for p in start] for _ in range(5)]
    runs = []
    for foreach in (True, False):
        params = [p.clone().requires_grad_() for p in start]
        opt = make_optimizer(cfg, params)
        if not foreach:
            for group in opt.param_groups:
                group["foreach"] = False
        for g in grads:
            for p, gi in zip(params, g):
                p.grad = gi.clone()
            clip_grad_norms_(params, 1.0) if foreach else torch.nn.utils.clip_grad_norm_(
                params, 1.0, foreach=False)
            opt.step()
        runs.append(params)
    assert make_optimizer(cfg, [start[0].clone().requires_grad_()]).defaults["foreach"] is True
    for a, b in zip(*runs):
        assert torch.equal(a, b)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3, float("nan")])
def test_clipping_equals_torch_bit_for_bit_over_and_under_the_limit(scale):
    """Skipping the multiplication by exactly 1 changes no bit; a NaN norm
    spreads to every gradient as in torch."""
    torch.manual_seed(0)
    grads = [torch.randn(30, 20), torch.randn(30), torch.randn(2, 30)]
    grads[1][3] *= scale
    ours, ref = ([torch.zeros_like(g).requires_grad_() for g in grads] for _ in range(2))
    for p, q, g in zip(ours, ref, grads):
        p.grad, q.grad = g.clone(), g.clone()
    clip_grad_norms_(ours, 5.0)
    torch.nn.utils.clip_grad_norm_(ref, 5.0, foreach=False)
    for p, q in zip(ours, ref):
        assert torch.equal(p.grad.view(torch.int32), q.grad.view(torch.int32))


@pytest.mark.parametrize("scale", [1e-3, 1e3, float("nan")])
def test_stacked_clipping_is_each_trials_own(scale):
    torch.manual_seed(1)
    grads = [torch.randn(3, 30, 20), torch.randn(3, 30)]
    grads[0][1] *= scale                                  # trial 1 only
    stacked = [torch.zeros_like(g).requires_grad_() for g in grads]
    for p, g in zip(stacked, grads):
        p.grad = g.clone()
    clip_grad_norms_(stacked, 5.0, stacked=True)
    for k in range(3):
        alone = [g[k].clone().requires_grad_() for g in grads]
        for p, g in zip(alone, grads):
            p.grad = g[k].clone()
        torch.nn.utils.clip_grad_norm_(alone, 5.0, foreach=False)
        for p, q in zip(stacked, alone):
            torch.testing.assert_close(p.grad[k], q.grad, equal_nan=True)


def test_max_norm_under_the_limit_writes_nothing():
    torch.manual_seed(0)
    w = torch.randn(6, 4)
    before = w.clone()
    clamp_unit_norms_(w, 100.0)
    assert torch.equal(w, before)
    w[2] *= 100
    clamp_unit_norms_(w, 100.0)
    torch.testing.assert_close(w, torch.renorm(before * torch.tensor([1, 1, 100, 1, 1, 1.0])[:, None],
                                               2, 0, 100.0))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_reuse_freed_blocks_sets_glibc_thresholds_once():
    first = reuse_freed_blocks()
    assert reuse_freed_blocks() is first
