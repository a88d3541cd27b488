"""``cnn_blstm``: 2-D convolutions over a spectrogram segment, then one
bidirectional LSTM over time (Satt et al., Interspeech 2017; the feature
extractor of Gao et al., ICASSP 2022: "we use deep CNN and a BLSTM layer
for feature extraction, whose parameters are similar to that used by Satt
et al.").

Input (N, T, F): one segment of T frames x F frequency bins (Gao et al.:
32 x 129). Viewed as one-channel images (N, 1, T, F), ``len(channels)``
blocks of

    Conv2d(C_{b-1} -> C_b, kernel k x k, padding k // 2)
    -> BatchNorm2d (``batchnorm``) -> ReLU -> MaxPool2d((p_t, p_f))

give (N, C_B, T', F') with T' = T // p_t^B and F' = F // p_f^B (each pool
floors). The time axis stays a sequence: (N, T', C_B F') -> dropout ->
BLSTM (``lstm`` units per direction) -> (N, T', 2 lstm) -> ``pool`` over
time (``mean`` of the outputs, or ``last``: the forward direction's last
output and the backward direction's first, concatenated) -> (N, 2 lstm),
the embedding the emotion classifier, the center loss and the domain heads
read. Dropout acts on the BLSTM's input, not on the embedding: a center loss
on dropped-out embeddings would penalise the dropout noise itself, which
only shrinking every embedding reduces.

Defaults: the sizes serda chose in Satt et al.'s style (their layer table
is not reproduced here; see the recipe conf for what comes from where).
"""
from dataclasses import dataclass

import torch
from torch import nn

from serda.nets import encoder_names, register_encoder
from serda.nets.blocks import Dropout
from serda.settings import list_setting, setting


@dataclass
class CNNBLSTMConfig:
    type: str = setting("cnn_blstm", choices=encoder_names,
                        help="encoder: a network of serda/nets/")
    channels: list = list_setting([32, 64, 64], at_least=1, unique=False,
                                  help="output channels of each convolution block (one block per "
                                       "item)")
    kernel: int = setting(3, at_least=1, help="kernel size of every 2-D convolution")
    pool_time: int = setting(1, at_least=1, help="max-pool size over time of every block")
    pool_freq: int = setting(2, at_least=1, help="max-pool size over frequency of every block")
    batchnorm: bool = setting(True, help="BatchNorm after every convolution")
    lstm: int = setting(128, at_least=1, help="BLSTM units per direction")
    pool: str = setting("mean", choices=("mean", "last"),
                        help="the BLSTM outputs pooled by their mean over time, or the last step")
    dropout: float = setting(0.3, at_least=0.0, below=1.0, help="dropout rate on the embedding")


@register_encoder("cnn_blstm")
class CNNBLSTM(nn.Module):
    Settings = CNNBLSTMConfig
    input_rank = 2

    def __init__(self, input_shape, cfg):
        super().__init__()
        frames, bins = input_shape
        if not cfg.channels:
            raise ValueError("cnn_blstm: model.encoder.channels lists no convolution block")
        blocks, previous = [], 1
        for c in cfg.channels:
            layer = [nn.Conv2d(previous, c, cfg.kernel, padding=cfg.kernel // 2)]
            if cfg.batchnorm:
                layer.append(nn.BatchNorm2d(c))
            layer += [nn.ReLU(), nn.MaxPool2d((cfg.pool_time, cfg.pool_freq))]
            blocks.append(nn.Sequential(*layer))
            previous = c
            frames, bins = frames // cfg.pool_time, bins // cfg.pool_freq
            if frames < 1 or bins < 1:
                raise ValueError(f"cnn_blstm: {len(cfg.channels)} blocks pooling "
                                 f"{cfg.pool_time} x {cfg.pool_freq} leave nothing of the "
                                 f"{input_shape[0]} x {input_shape[1]} input")
        self.blocks = nn.ModuleList(blocks)
        self.lstm = nn.LSTM(previous * bins, cfg.lstm, batch_first=True, bidirectional=True)
        self.dropout = Dropout(cfg.dropout) if cfg.dropout > 0 else nn.Identity()
        self.pool = cfg.pool
        self.units = cfg.lstm
        self.out_dim = 2 * cfg.lstm

    def conv_sequence(self, x):
        """(N, T, F) -> (N, T', C_B F'): the CNN output as a sequence."""
        h = x.unsqueeze(1)
        for block in self.blocks:
            h = block(h)
        n, c, t, f = h.shape
        return h.permute(0, 2, 1, 3).reshape(n, t, c * f)

    def _pooled(self, out):
        """(N, T', 2 H) BLSTM outputs -> (N, 2 H)."""
        if self.pool == "mean":
            return out.mean(dim=1)
        return torch.cat([out[:, -1, :self.units], out[:, 0, self.units:]], dim=1)

    def forward(self, x):
        out, _ = self.lstm(self.dropout(self.conv_sequence(x)))
        return self._pooled(out)

    def hidden_outputs(self, x):
        """[CNN output averaged over time (N, C_B F'), the embedding (N, 2 H)]."""
        seq = self.conv_sequence(x)
        out, _ = self.lstm(self.dropout(seq))
        return [seq.mean(dim=1), self._pooled(out)]

    def constrained_weights(self):
        return {}
