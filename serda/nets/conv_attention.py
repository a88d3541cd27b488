"""``conv_attention``: one 1-D convolution over time, a max-pool with a large
stride, a global attention vector appended to the pooled sequence, flattened
(Cai et al., Interspeech 2021, Sec. 2.1, after Neumann & Vu 2018).

Input (N, T, F): T frames of F log-Mel energies (Cai et al.: 750 x 26).

    h   = ReLU(Conv1d(F -> C, kernel k, stride s))      (N, C, T1),
          T1 = floor((T - k) / s) + 1                    (750, 10, 3: 247)
    f^  = MaxPool1d(size p, stride p)(h)                 (N, C, T2),
          T2 = floor((T1 - p) / p) + 1                   (p = 30: 8)
    s_i = softmax_i(v . f^_i)                            (Eq. 1), v (C,) trainable
    a   = sum_i s_i f^_i                                 (Eq. 2), (N, C)
    out = flatten([f^_1 .. f^_T2, a])                    (N, C (T2 + 1)) = (N, 1800)

The BatchNorm that follows in the paper and the dropout on the encoder output
belong to the method (``xling_dann``: where BatchNorm normalises which rows
is what its Table 3 varies). ``attention_weights(x)`` gives s (N, T2).
"""
from dataclasses import dataclass

import torch
from torch import nn

from serda.nets import encoder_names, register_encoder
from serda.settings import setting


@dataclass
class ConvAttentionConfig:
    type: str = setting("conv_attention", choices=encoder_names,
                        help="encoder: a network of serda/nets/")
    filters: int = setting(200, at_least=1, help="filters of the convolution")
    kernel: int = setting(10, at_least=1, help="kernel size (frames) of the convolution")
    stride: int = setting(3, at_least=1, help="stride (frames) of the convolution")
    pool: int = setting(30, at_least=1, help="max-pool size (frames) after the convolution")


@register_encoder("conv_attention")
class ConvAttention(nn.Module):
    Settings = ConvAttentionConfig
    input_rank = 2

    def __init__(self, input_shape, cfg):
        super().__init__()
        frames, dim = input_shape
        t1 = (frames - cfg.kernel) // cfg.stride + 1
        t2 = (t1 - cfg.pool) // cfg.pool + 1 if t1 >= cfg.pool else 0
        if t1 < 1 or t2 < 1:
            raise ValueError(f"conv_attention: {frames} frames leave nothing after a kernel of "
                             f"{cfg.kernel} (stride {cfg.stride}) and a pool of {cfg.pool}")
        self.conv = nn.Conv1d(dim, cfg.filters, cfg.kernel, stride=cfg.stride)
        self.pool = nn.MaxPool1d(cfg.pool, cfg.pool)
        self.query = nn.Parameter(torch.randn(cfg.filters) / cfg.filters ** 0.5)
        self.steps = t2
        self.out_dim = cfg.filters * (t2 + 1)

    def pooled(self, x):
        """(N, T, F) -> f^ (N, T2, C)."""
        return self.pool(torch.relu(self.conv(x.transpose(1, 2)))).transpose(1, 2)

    def attention_weights(self, x):
        """s (N, T2): the attention over the pooled steps (Eq. 1)."""
        return (self.pooled(x) @ self.query).softmax(dim=1)

    def forward(self, x):
        f = self.pooled(x)                                    # (N, T2, C)
        s = (f @ self.query).softmax(dim=1)                   # (N, T2)
        a = (s.unsqueeze(2) * f).sum(dim=1, keepdim=True)     # (N, 1, C)
        return torch.cat([f, a], dim=1).flatten(1)            # (N, (T2 + 1) C)

    def hidden_outputs(self, x):
        """[the flattened output] (one layer)."""
        return [self.forward(x)]

    def constrained_weights(self):
        return {}
