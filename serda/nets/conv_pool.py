"""``conv_pool``: a small frame-level encoder, 1-D convolutions over time then
pooling over time.

Input (N, T, F): T frames of F-dim features (e.g. 26 log-Mel energies, a
fixed ``input.frames`` or a segment). ``layers`` blocks of
Conv1d(F or C -> C, kernel k, stride s, padding k // 2) -> BatchNorm1d
(optional) -> ReLU/SELU -> Dropout, on (N, C, T_l) with
T_l = floor((T_{l-1} + 2 (k // 2) - k) / s) + 1; then pooling over time:
``mean`` h = 1/T_L sum_t h_t (N, C), ``max`` (N, C), or ``mean_max`` both
concatenated (N, 2C). Output (N, out_dim).

It is the general-purpose frame-level encoder that proves the path from
filterbank features to every method; the paper encoders (CNN-BLSTM,
conv-attention) live in files of their own.
"""
from dataclasses import dataclass

import torch
from torch import nn

from serda.nets import encoder_names, register_encoder
from serda.nets.blocks import ACTIVATIONS, Dropout
from serda.settings import setting

POOLS = ("mean", "max", "mean_max")


@dataclass
class ConvPoolConfig:
    type: str = setting("conv_pool", choices=encoder_names,
                        help="encoder: a network of serda/nets/")
    layers: int = setting(2, at_least=1, help="1-D convolutions over time")
    channels: int = setting(64, at_least=1, help="output channels of every convolution")
    kernel: int = setting(5, at_least=1, help="kernel size (frames)")
    stride: int = setting(1, at_least=1, help="stride (frames) of every convolution")
    dropout: float = setting(0.2, at_least=0.0, below=1.0,
                             help="dropout rate after every convolution")
    batchnorm: bool = setting(True, help="BatchNorm after every convolution")
    activation: str = setting("relu", choices=("relu", "selu"),
                              help="activation after every convolution")
    pool: str = setting("mean", choices=POOLS, help="pooling over time into one vector per row")


@register_encoder("conv_pool")
class ConvPool(nn.Module):
    Settings = ConvPoolConfig
    input_rank = 2

    def __init__(self, input_shape, cfg):
        super().__init__()
        frames, dim = input_shape
        blocks = []
        for _ in range(cfg.layers):
            layer = [nn.Conv1d(dim, cfg.channels, cfg.kernel, stride=cfg.stride,
                               padding=cfg.kernel // 2)]
            if cfg.batchnorm:
                layer.append(nn.BatchNorm1d(cfg.channels))
            layer.append(ACTIVATIONS[cfg.activation]())
            if cfg.dropout > 0:
                layer.append(Dropout(cfg.dropout))
            blocks.append(nn.Sequential(*layer))
            dim = cfg.channels
            frames = (frames + 2 * (cfg.kernel // 2) - cfg.kernel) // cfg.stride + 1
            if frames < 1:
                raise ValueError(f"conv_pool: {cfg.layers} layers of stride {cfg.stride} leave "
                                 f"no frame of the {input_shape[0]} input frames")
        self.blocks = nn.ModuleList(blocks)
        self.pool = cfg.pool
        self.out_dim = cfg.channels * (2 if cfg.pool == "mean_max" else 1)

    def _pooled(self, h):
        """(N, C, T) -> (N, C) or (N, 2C)."""
        if self.pool == "mean":
            return h.mean(dim=2)
        if self.pool == "max":
            return h.amax(dim=2)
        return torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)

    def forward(self, x):
        h = x.transpose(1, 2)
        for block in self.blocks:
            h = block(h)
        return self._pooled(h)

    def hidden_outputs(self, x):
        """Each block's output pooled over time; the last is the encoder output."""
        outs, h = [], x.transpose(1, 2)
        for block in self.blocks:
            h = block(h)
            outs.append(self._pooled(h))
        return outs

    def constrained_weights(self):
        return {}
