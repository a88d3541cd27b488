"""MLP blocks: dropout, max-norm, shapes."""
import torch

from serda.config import MLPConfig
from serda.nets.blocks import keep_threshold
from serda.nets.mlp import MLP, Dropout, clamp_unit_norms_


def test_dropout_statistics_gradient_and_eval_identity():
    torch.manual_seed(0)
    drop = Dropout(0.2)
    x = torch.ones(200, 500, requires_grad=True)
    y = drop(x)
    zeros = float((y == 0).float().mean())
    assert abs(zeros - 0.2) < 0.005
    assert torch.allclose(y[y != 0], torch.tensor(1 / keep_threshold(0.8)[1]))
    y.sum().backward()
    torch.testing.assert_close(x.grad, y.detach())      # d(x*m/k)/dx = m/k
    drop.eval()
    assert torch.equal(drop(x), x)


def test_clamp_unit_norms_matches_torch_renorm():
    torch.manual_seed(0)
    w = torch.randn(6, 4) * 3
    ref = torch.renorm(w, 2, 0, 2.0)
    clamp_unit_norms_(w, 2.0)
    torch.testing.assert_close(w, ref)
    stacked = torch.randn(3, 6, 4) * 3                  # (trials, out, in)
    refs = [torch.renorm(s, 2, 0, 2.0) for s in stacked]
    clamp_unit_norms_(stacked, 2.0)
    torch.testing.assert_close(stacked, torch.stack(refs))


def test_mlp_shapes_and_hidden_outputs():
    mlp = MLP(10, MLPConfig(layers=3, hidden=7, dropout_in=0.1), out_dim=2)
    x = torch.randn(5, 10)
    assert mlp(x).shape == (5, 2)
    assert [h.shape for h in mlp.hidden_outputs(x)] == [(5, 7)] * 3
    assert MLP(10, MLPConfig(layers=0), out_dim=1)(x).shape == (5, 1)
