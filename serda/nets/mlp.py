"""Multi-layer perceptrons: the heads of every method, and the ``mlp`` encoder.

``MLP(in_dim, cfg, out_dim)``: [dropout_in] then ``cfg.layers`` blocks of
Linear -> BatchNorm1d (optional) -> ReLU/SELU -> Dropout, then a Linear
output layer when ``out_dim`` is given. Input (batch, in_dim), output
(batch, out_dim or cfg.hidden). With ``cfg.layers == 0`` and an out_dim the
MLP is a single linear layer. ``cfg.max_norm`` > 0 keeps the L2 norm of
each unit's incoming weights at most that (applied after every update).

The ``mlp`` encoder (input contract: utterance-level vectors (N, D)) is the
same block without an output layer; its defaults are the shared layer of
Abdelwahab & Busso (2018): 1 x 256, dropout 0.2 on the input and 0.5 after
it, BatchNorm, ReLU, max-norm 4.
"""
from dataclasses import dataclass

import torch
from torch import nn

from serda.config import MLPConfig
from serda.nets import encoder_names, register_encoder
from serda.nets.blocks import ACTIVATIONS, Dropout, Linear, clamp_unit_norms_
from serda.settings import setting

__all__ = ["MLP", "MLPEncoder", "Dropout", "clamp_unit_norms_"]


class MLP(nn.Module):
    def __init__(self, in_dim, cfg, out_dim=None):
        super().__init__()
        layers = [Dropout(cfg.dropout_in)] if cfg.dropout_in > 0 else []
        dim = in_dim
        for _ in range(cfg.layers):
            layers.append(Linear(dim, cfg.hidden))
            if cfg.batchnorm:
                layers.append(nn.BatchNorm1d(cfg.hidden))
            layers.append(ACTIVATIONS[cfg.activation]())
            if cfg.dropout > 0:
                layers.append(Dropout(cfg.dropout))
            dim = cfg.hidden
        if out_dim is not None:
            layers.append(Linear(dim, out_dim))
            dim = out_dim
        self.net = nn.Sequential(*layers)
        self.out_dim = dim
        self.max_norm = cfg.max_norm

    def forward(self, x):
        return self.net(x)

    def constrained_weights(self):
        """{weight name (relative to this MLP): max norm} under max-norm."""
        if self.max_norm <= 0:
            return {}
        return {f"net.{i}.weight": self.max_norm for i, m in enumerate(self.net)
                if isinstance(m, nn.Linear)}

    @torch.no_grad()
    def apply_max_norm(self):
        """Rescale each unit's incoming weights to L2 norm <= max_norm."""
        for name, max_norm in self.constrained_weights().items():
            clamp_unit_norms_(self.get_parameter(name), max_norm)

    def hidden_outputs(self, x):
        """Outputs of every hidden block (after activation), for analysis."""
        outs = []
        for module in self.net:
            x = module(x)
            if isinstance(module, tuple(ACTIVATIONS.values())):
                outs.append(x)
        return outs


@dataclass
class MLPEncoderConfig(MLPConfig):
    type: str = setting("mlp", choices=encoder_names, help="encoder: a network of serda/nets/")
    layers: int = setting(1, at_least=0, help="hidden layers of the encoder")
    dropout_in: float = setting(0.2, at_least=0.0, below=1.0,
                                help="dropout rate on the input features")
    max_norm: float = setting(4.0, at_least=0.0,
                              help="max L2 norm of each unit's incoming weights after every "
                                   "update; 0 = off")
    layer_weights: bool = setting(True, help="per-layer features (ssl, (L, D) per utterance): a "
                                             "learnt softmax-weighted sum of the layers; false: "
                                             "the layers concatenated (L x D inputs)")


@register_encoder("mlp")
class MLPEncoder(MLP):
    """The ``mlp`` encoder: (N, D) -> (N, hidden) (or (N, D) with 0 layers).

    Per-layer rows (N, L, D) (ssl features pooled per layer) are first
    combined as in SUPERB (Yang et al. 2021): h = sum_l softmax(w)_l x_l,
    w (L,) learnt and starting equal (w = 0), so (N, L, D) -> (N, D); with
    ``layer_weights: false`` they are concatenated, (N, L x D).
    """
    Settings = MLPEncoderConfig
    input_rank = 1
    takes_layer_stacks = True

    def __init__(self, input_shape, cfg):
        stacked = len(input_shape) == 2
        weighted = stacked and cfg.layer_weights
        super().__init__(input_shape[-1] if weighted else int(torch.Size(input_shape).numel()),
                         cfg)
        self.stacked = stacked
        if weighted:
            self.layer_weights = nn.Parameter(torch.zeros(input_shape[0]))

    def combine_layers(self, x):
        """(N, L, D) -> (N, D) (weighted sum) or (N, L x D); (N, D) unchanged."""
        if not self.stacked:
            return x
        if hasattr(self, "layer_weights"):
            return torch.einsum("l,nld->nd", torch.softmax(self.layer_weights, 0), x)
        return x.flatten(1)

    def forward(self, x):
        return self.net(self.combine_layers(x))

    def hidden_outputs(self, x):
        return super().hidden_outputs(self.combine_layers(x))
