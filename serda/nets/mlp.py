"""Multi-layer perceptrons: the encoders and heads of the utterance-level systems.

``MLP(in_dim, cfg, out_dim)``: [dropout_in] then ``cfg.layers`` blocks of
Linear -> BatchNorm1d (optional) -> ReLU/SELU -> Dropout, then a Linear
output layer when ``out_dim`` is given. Input (batch, in_dim), output
(batch, out_dim or cfg.hidden). With ``cfg.layers == 0`` and an out_dim the
MLP is a single linear layer.
"""
import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "selu": nn.SELU}


class Dropout(nn.Module):
    """Inverted dropout, y = x * m / (1 - p) with m_i ~ Bernoulli(1 - p).

    Same function as nn.Dropout; the mask comes from ``torch.rand_like(x) <
    1 - p``, which on CPU generates about 2.5x faster than the Bernoulli
    sampling nn.Dropout uses (it dominated a full-size DANN step;
    test/perf/bench_dann_step.py).
    """

    def __init__(self, p):
        super().__init__()
        self.p = float(p)

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        return x * (torch.rand_like(x) < keep) * (1.0 / keep)

    def extra_repr(self):
        return f"p={self.p}"


@torch.no_grad()
def clamp_unit_norms_(weight, max_norm):
    """In place: rescale rows (units) of ``weight`` (..., out, in) whose L2
    norm exceeds ``max_norm`` to that norm (as torch.renorm does)."""
    norms = weight.norm(dim=-1, keepdim=True)
    weight.mul_(torch.where(norms > max_norm, max_norm / (norms + 1e-7), torch.ones_like(norms)))


class MLP(nn.Module):
    def __init__(self, in_dim, cfg, out_dim=None):
        super().__init__()
        if cfg.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation '{cfg.activation}'")
        layers = [Dropout(cfg.dropout_in)] if cfg.dropout_in > 0 else []
        dim = in_dim
        for _ in range(cfg.layers):
            layers.append(nn.Linear(dim, cfg.hidden))
            if cfg.batchnorm:
                layers.append(nn.BatchNorm1d(cfg.hidden))
            layers.append(ACTIVATIONS[cfg.activation]())
            if cfg.dropout > 0:
                layers.append(Dropout(cfg.dropout))
            dim = cfg.hidden
        if out_dim is not None:
            layers.append(nn.Linear(dim, out_dim))
            dim = out_dim
        self.net = nn.Sequential(*layers)
        self.out_dim = dim
        self.max_norm = cfg.max_norm

    def forward(self, x):
        return self.net(x)

    @torch.no_grad()
    def apply_max_norm(self):
        """Rescale each unit's incoming weights to L2 norm <= max_norm."""
        if self.max_norm <= 0:
            return
        for name in self.max_norm_weights():
            clamp_unit_norms_(self.get_parameter(name), self.max_norm)

    def max_norm_weights(self):
        """Names (relative to this MLP) of the weights under max-norm."""
        if self.max_norm <= 0:
            return []
        return [f"net.{i}.weight" for i, m in enumerate(self.net) if isinstance(m, nn.Linear)]

    def hidden_outputs(self, x):
        """Outputs of every hidden block (after activation), for analysis."""
        outs = []
        for module in self.net:
            x = module(x)
            if isinstance(module, tuple(ACTIVATIONS.values())):
                outs.append(x)
        return outs
