"""Stage-2 feature ``ssl``: hidden states of a self-supervised speech model.

Options (``--feat-opts "model=<dir or id> layers=all pooling=mean ..."``):

``model``      checkpoint directory or model id in the local Hugging Face
               cache (serda.features.ssl_model; never downloaded)
``layers``     ``all`` (every hidden state, the CNN / mel output as layer 0),
               ``last``, or layer numbers ``6`` / ``0,6,12``
``pooling``    ``mean``: one (L, D) matrix per utterance, the mean over its
               frames of each chosen layer; ``mean_std``: (L, 2D), mean and
               population standard deviation side by side; ``none``: the
               (T, D) frame sequence of the chosen layer, or of the mean of
               the chosen layers (frame-level, ``utt2num_frames``)
``chunk_s``    audio longer than this is cut into windows of ``chunk_s``
``overlap_s``  seconds overlapping (default 4: data2vec-audio's stack of
               positional convolutions sees about 1.8 s to each side); each
               frame is taken from the window
               where it lies furthest from an edge (half the overlap on
               each side), so memory is bounded by one window, not by the
               file (pooled sums accumulate window by window)
``batch_s``    seconds of padded audio per forward pass: windows are sorted
               by length and batched, padding masked (serda.features.ssl_frontend);
               0 = one window per pass. Default: 0 on CPU, where batching
               only costs (test/perf/bench_ssl.py: 1.7x the time at 120 s on
               2 cores), 120 on a GPU
``device``     ``cpu``, ``cuda`` or ``cuda:N``; ``dtype`` ``float32``,
               ``float16`` or ``bfloat16`` (the half types on a GPU)

Audio is read at the model's sample rate (``preprocessor_config.json``,
16 kHz by default). Frames are 20 ms (320 samples at 16 kHz): a window
starts on a frame boundary, so the frames of a chunked utterance are the
frames of the whole one.
"""
import numpy as np
import torch

from serda.errors import SerdaError
from serda.features.ssl_frontend import front_end
from serda.features.ssl_model import checkpoint_dir, family_of, load_encoder, weights_sha256

POOLINGS = ("mean", "mean_std", "none")
DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def parse_layers(layers, n_states):
    """Indices into the (n_states) hidden states chosen by ``layers``."""
    text = str(layers).strip()
    if text == "all":
        return list(range(n_states))
    if text == "last":
        return [n_states - 1]
    try:
        chosen = [int(w) for w in text.split(",")]
    except ValueError:
        raise SerdaError(f"ssl: layers='{layers}' is not all, last or comma-separated layer "
                         "numbers") from None
    bad = [i for i in chosen if not 0 <= i < n_states]
    if bad or len(set(chosen)) != len(chosen):
        raise SerdaError(f"ssl: layers='{layers}': the model has hidden states 0-{n_states - 1}, "
                         "each chosen once")
    return chosen


def check_options(pooling, chunk_s, overlap_s, batch_s, device, dtype):
    if pooling not in POOLINGS:
        raise SerdaError(f"ssl: pooling='{pooling}' is not one of {', '.join(POOLINGS)}")
    for name, value in (("chunk_s", chunk_s), ("overlap_s", overlap_s), ("batch_s", batch_s)):
        if name == "batch_s" and value is None:
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 \
                or (value == 0 and name != "batch_s"):
            raise SerdaError(f"ssl: {name}={value!r} is not a positive number of seconds")
    if overlap_s < 0.1 or overlap_s > chunk_s / 2:
        raise SerdaError(f"ssl: overlap_s={overlap_s} must lie in [0.1, chunk_s / 2 = "
                         f"{chunk_s / 2:g}]")
    if dtype not in DTYPES:
        raise SerdaError(f"ssl: dtype='{dtype}' is not one of {', '.join(DTYPES)}")
    if not str(device).startswith(("cpu", "cuda")):
        raise SerdaError(f"ssl: device='{device}' is not cpu, cuda or cuda:N")
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise SerdaError(f"ssl: device='{device}' but torch sees no CUDA GPU here")
    if dtype == "float16" and not str(device).startswith("cuda"):
        raise SerdaError("ssl: dtype=float16 needs device=cuda (use float32 or bfloat16 on CPU)")


class Piece:
    """One window of one utterance: samples [start, end), and the global
    frames [keep_from, keep_to) it contributes."""
    __slots__ = ("utt", "start", "end", "keep_from", "keep_to")

    def __init__(self, utt, start, end, keep_from, keep_to):
        self.utt, self.start, self.end = utt, start, end
        self.keep_from, self.keep_to = keep_from, keep_to


class SSLFeatures:
    """``compute(x, sr)`` / ``compute_many([x])``: (L, D), (L, 2D) or (T, D) per utterance."""

    name = "ssl"
    read_ahead = 64   # utterances whose windows are sorted and batched together

    def __init__(self, model="", layers="all", pooling="mean", chunk_s=30.0, overlap_s=4.0,
                 batch_s=None, device="cpu", dtype="float32"):
        check_options(pooling, chunk_s, overlap_s, batch_s, device, dtype)
        self.ckpt = checkpoint_dir(model)
        self.model_name = str(model)
        self.family = family_of(self.ckpt)
        self.encoder = load_encoder(self.ckpt, self.family)
        self.front = front_end(self.encoder, self.ckpt, self.family)
        self.sample_rate = self.front.sample_rate
        if self.family == "whisper" and chunk_s > self.front.max_seconds:
            raise SerdaError(f"ssl: chunk_s={chunk_s} is longer than the Whisper encoder's "
                             f"{self.front.max_seconds:g} s window")
        self.n_states = self.encoder.config.num_hidden_layers + 1 \
            if self.family != "whisper" else self.encoder.config.encoder_layers + 1
        self.layers = parse_layers(layers, self.n_states)
        self.pooling = pooling
        self.frame_level = pooling == "none"
        step = self.front.frame_samples
        self.window = max(step, int(round(chunk_s * self.sample_rate / step)) * step)
        self.overlap = max(2 * step, int(round(overlap_s * self.sample_rate / step)) * step)
        if batch_s is None:
            batch_s = 120.0 if str(device).startswith("cuda") else 0.0
        self.budget = batch_s * self.sample_rate
        self.device, self.dtype = torch.device(device), DTYPES[dtype]
        self.encoder.to(self.device, self.dtype)
        self.options = dict(model=self.model_name, layers=layers, pooling=pooling, chunk_s=chunk_s,
                            overlap_s=overlap_s, batch_s=batch_s, device=device, dtype=dtype)

    @property
    def dim(self):
        width = self.encoder.config.hidden_size if self.family != "whisper" \
            else self.encoder.config.d_model
        return width * (2 if self.pooling == "mean_std" else 1)

    def provenance(self):
        """What identifies these features: family, weights hash, layers, library versions."""
        import transformers
        return {"family": self.family, "checkpoint": str(self.ckpt.resolve()),
                "weights_sha256": weights_sha256(self.ckpt), "layers": self.layers,
                "hidden_states": self.n_states, "sample_rate": self.sample_rate,
                "transformers": transformers.__version__, "torch": torch.__version__.split("+")[0]}

    def pieces(self, utt, n):
        """The windows of utterance ``utt`` of ``n`` samples (one when it fits)."""
        step, total = self.front.frame_samples, self.front.frames(n)
        if n <= self.window:
            return [Piece(utt, 0, n, 0, total)]
        hop, half = self.window - self.overlap, (self.overlap // step) // 2
        # the last window starts before n - overlap: it ends at n, longer than the overlap
        starts = list(range(0, n - self.overlap, hop))
        keep = [0] + [s // step + half for s in starts[1:]] + [total]
        return [Piece(utt, s, min(s + self.window, n), keep[k], keep[k + 1])
                for k, s in enumerate(starts)]

    def batches(self, pieces):
        """``pieces`` longest first, in groups whose padded length fits ``batch_s``."""
        order = sorted(pieces, key=lambda p: p.end - p.start, reverse=True)
        group = []
        for piece in order:
            if group and (len(group) + 1) * (group[0].end - group[0].start) > self.budget:
                yield group
                group = []
            group.append(piece)
        if group:
            yield group

    def compute(self, x, sr):
        return self.compute_many([x], sr)[0]

    @torch.inference_mode()
    def compute_many(self, xs, sr=None):
        """Features of every waveform of ``xs`` (at the model's rate)."""
        if sr is not None and sr != self.sample_rate:
            raise SerdaError(f"ssl: audio at {sr} Hz, the model takes {self.sample_rate} Hz")
        signals = [self.front.prepare(x) for x in xs]
        totals = [self.front.frames(len(x)) for x in signals]
        sums = [None] * len(xs)
        pieces = [p for i, x in enumerate(signals) if totals[i] > 0
                  for p in self.pieces(i, len(x))]
        for group in self.batches(pieces):
            states, valid = self.front.hidden_states([signals[p.utt][p.start:p.end] for p in group],
                                                     self.device, self.dtype)
            chosen = torch.stack([states[i] for i in self.layers], 1).float()   # (B, L, T, D)
            for b, piece in enumerate(group):
                offset = piece.start // self.front.frame_samples
                lo, hi = piece.keep_from - offset, min(piece.keep_to - offset, valid[b])
                sums[piece.utt] = self.add(sums[piece.utt], chosen[b, :, lo:hi], totals[piece.utt],
                                           piece.keep_from)
        return [self.result(s, n) for s, n in zip(sums, totals)]

    def add(self, acc, frames, total, at):
        """Accumulate (L, t, D) ``frames`` (global frames from ``at``) into ``acc``."""
        if self.pooling == "none":
            if acc is None:
                acc = np.zeros((total, frames.shape[-1]), dtype=np.float32)
            acc[at:at + frames.shape[1]] = frames.mean(0).cpu().numpy()
            return acc
        f = frames.double()
        part = (f.sum(1), (f * f).sum(1))
        return part if acc is None else (acc[0] + part[0], acc[1] + part[1])

    def result(self, acc, total):
        """The utterance's features; an empty matrix when it has no frame."""
        if acc is None:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.pooling == "none":
            return acc
        mean = acc[0] / total
        if self.pooling == "mean":
            return mean.numpy().astype(np.float32)
        std = torch.sqrt(torch.clamp(acc[1] / total - mean * mean, min=0.0))
        return torch.cat([mean, std], -1).numpy().astype(np.float32)
