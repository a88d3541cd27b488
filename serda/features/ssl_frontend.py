"""Batched hidden states of an SSL model: padding that does not leak.

A front end turns a batch of waveforms of different lengths into the
model's hidden states, ``(H + 1)`` tensors of (B, T_max, D) (the CNN / mel
output first), and says how many frames of each row are valid.

Waveform families (wav2vec 2.0, HuBERT, WavLM, data2vec-audio): each
utterance is normalised to zero mean and unit variance over its own samples,
``(x - mean) / sqrt(var + 1e-7)``, when the checkpoint's
``preprocessor_config.json`` says ``do_normalize`` (the default), then
zero-padded; the attention mask keeps padded frames out of attention and
zeroes them before the positional convolution. Base-size checkpoints
(``feat_extract_norm: group``) normalise the first convolution's output per
channel over time (GroupNorm with one group per channel), which would
include the padding: :class:`MaskedChannelNorm` computes those statistics
over each row's valid frames only; data2vec-audio's positional embedding is
a stack of convolutions, whose outputs past the valid frames
:class:`ZeroPadded` zeroes before the next one reads them. So a batched
utterance gets the hidden states it gets alone.

Whisper: the encoder takes 30 s of log-mel (the library's
WhisperFeatureExtractor, which pads every input to 30 s, so a row never
depends on the others); frame t covers samples [320 t, 320 (t + 1)).
"""
import math
import warnings

import numpy as np
import torch
from torch import nn

from serda.features.ssl_model import read_json

NORM_EPS = 1e-7

# WavLM's attention passes a bool padding mask beside a float bias: torch warns
# on every batch, the result is right (batched = alone, test_ssl_features.py)
warnings.filterwarnings("ignore", message="Support for mismatched key_padding_mask")


class MaskedChannelNorm(nn.Module):
    """GroupNorm(C, C) over the first ``lengths[b]`` frames of each row.

    x (B, C, T) -> (B, C, T); y = (x - mu) / sqrt(var + eps) * w + b with mu,
    var per (row, channel) over its valid frames (each row's valid part
    through the wrapped GroupNorm; padded frames 0). With ``lengths`` None,
    or no row padded, it is the wrapped GroupNorm."""

    def __init__(self, norm):
        super().__init__()
        self.norm = norm
        self.lengths = None

    def forward(self, x):
        if self.lengths is None or bool((self.lengths >= x.shape[-1]).all()):
            return self.norm(x)
        y = torch.zeros_like(x)     # each row through the library's own GroupNorm, unpadded
        for b, n in enumerate(self.lengths.tolist()):
            y[b, :, :n] = self.norm(x[b:b + 1, :, :n])[0]
        return y


class ZeroPadded(nn.Module):
    """A layer of data2vec-audio's positional convolution stack with its
    output zeroed past each row's ``lengths[b]`` frames: the next layer's
    kernel then sees zeros there, as it does at the end of an unpadded
    utterance. x (B, C, T) -> (B, C, T)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.lengths = None

    def forward(self, x):
        y = self.layer(x)
        if self.lengths is None:
            return y
        valid = torch.arange(y.shape[-1], device=y.device)[None, :] < self.lengths.to(y.device)[:, None]
        return y * valid[:, None, :].to(y.dtype)


def conv_frames(n, kernels, strides):
    """Output frames of a convolution stack for ``n`` input samples (0 if too short)."""
    for k, s in zip(kernels, strides):
        if n < k:
            return 0
        n = (n - k) // s + 1
    return n


class WaveformFrontEnd:
    """wav2vec 2.0 / HuBERT / WavLM / data2vec-audio: raw waveform in."""

    def __init__(self, model, ckpt):
        pre = read_json(ckpt / "preprocessor_config.json", required=False)
        self.model = model
        self.do_normalize = bool(pre.get("do_normalize", True))
        self.sample_rate = int(pre.get("sampling_rate", 16000))
        self.kernels = list(model.config.conv_kernel)
        self.strides = list(model.config.conv_stride)
        self.frame_samples = int(np.prod(self.strides))
        self.masked = []   # (module, lengths of what): where padding would leak
        if getattr(model.config, "feat_extract_norm", None) == "group":
            first = model.feature_extractor.conv_layers[0]
            first.layer_norm = MaskedChannelNorm(first.layer_norm)
            self.masked.append((first.layer_norm, "first_conv"))
        pos_layers = getattr(getattr(model.encoder, "pos_conv_embed", None), "layers", None)
        if pos_layers is not None:  # data2vec-audio: a stack of positional convolutions
            for i, layer in enumerate(pos_layers):
                pos_layers[i] = ZeroPadded(layer)
                self.masked.append((pos_layers[i], "frames"))

    def prepare(self, x):
        x = np.asarray(x, dtype=np.float32)
        if not self.do_normalize:
            return x
        mean = x.mean(dtype=np.float64)
        var = x.var(dtype=np.float64)
        return ((x - mean) / math.sqrt(var + NORM_EPS)).astype(np.float32)

    def frames(self, n):
        return conv_frames(n, self.kernels, self.strides)

    def min_samples(self):
        n = 1
        while self.frames(n) < 1:
            n += 1
        return n

    def hidden_states(self, pieces, device, dtype):
        """(hidden states, valid frames per row) of ``pieces`` (1-D float32 arrays)."""
        lengths = torch.tensor([len(p) for p in pieces])
        x = torch.zeros(len(pieces), int(lengths.max()))
        for b, p in enumerate(pieces):
            x[b, :len(p)] = torch.from_numpy(p)
        mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).long()
        frames = [self.frames(int(n)) for n in lengths]
        valid = {"first_conv": torch.tensor([conv_frames(int(n), self.kernels[:1],
                                                         self.strides[:1]) for n in lengths]),
                 "frames": torch.tensor(frames)}
        for module, what in self.masked:
            module.lengths = valid[what]
        padded = bool((lengths < x.shape[1]).any())   # no padding: no mask to apply
        try:
            out = self.model(x.to(device, dtype), output_hidden_states=True,
                             attention_mask=mask.to(device) if padded else None)
        finally:
            for module, _ in self.masked:
                module.lengths = None
        return out.hidden_states, frames


class WhisperFrontEnd:
    """The Whisper encoder: log-mel of 30 s windows in, 50 frames a second out."""

    frame_samples = 320
    max_seconds = 30.0

    def __init__(self, model, ckpt):
        from transformers import WhisperFeatureExtractor
        if (ckpt / "preprocessor_config.json").is_file():
            self.mel = WhisperFeatureExtractor.from_pretrained(str(ckpt), local_files_only=True)
        else:
            self.mel = WhisperFeatureExtractor(feature_size=model.config.num_mel_bins)
        self.model = model
        self.sample_rate = int(self.mel.sampling_rate)

    def prepare(self, x):
        return np.asarray(x, dtype=np.float32)

    def frames(self, n):
        return math.ceil(n / self.frame_samples)

    def min_samples(self):
        return 1

    def hidden_states(self, pieces, device, dtype):
        mel = self.mel(list(pieces), sampling_rate=self.sample_rate, return_tensors="pt",
                       padding="max_length").input_features
        out = self.model(mel.to(device, dtype), output_hidden_states=True)
        return out.hidden_states, [self.frames(len(p)) for p in pieces]


def front_end(model, ckpt, family):
    return (WhisperFrontEnd if family == "whisper" else WaveformFrontEnd)(model, ckpt)
