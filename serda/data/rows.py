"""Training rows from a feature dir, as ``input.layout`` asks.

A set becomes ``x`` (R, ...) float32, one contiguous array whose rows
training batches slice, and ``group`` (R,) the index of each row's
utterance (sorted utterance order):

``utterance``  utterance-level vectors (openSMILE functionals): R = N rows
               of (D,), group = 0..N-1.
``fixed``      frame-level features (T_u, F) cut or padded to T frames:
               R = N rows of (T, F). Longer utterances keep their centre
               frames [s, s + T) with s = (T_u - T) // 2; shorter ones are
               followed by T - T_u frames of the pad value: 0 (``zero``) or
               the utterance's own minimum of each dimension (``min``, Cai
               et al.: "padded with the minimum value of each dimension").
``segments``   windows of T frames starting every H frames (H = ``hop``, 0
               means H = T: no overlap): frames [j H, j H + T) for
               j = 0 .. floor((T_u - T) / H), so 1 + floor((T_u - T) / H)
               rows per utterance; the frames after the last full window
               (fewer than H) are not used. An utterance shorter than T
               gives one row, padded as in ``fixed``. Every row carries its
               utterance's label; decisions average the rows of an utterance.

Memory: R x T x F x 4 bytes, e.g. 10,000 utterances x 750 frames x 26
log-Mel bins = 0.78 GB.
"""
from dataclasses import dataclass

import numpy as np

from serda.data.features import is_frame_level, load_frame_matrices, load_utterance_matrix
from serda.errors import InputError


@dataclass
class Rows:
    utts: list            # (N,) utterance ids, sorted
    x: np.ndarray         # (R, ...) float32
    group: np.ndarray     # (R,) int64 index into utts


def padded(frames, length, pad):
    """``frames`` (T_u, F) padded at the end to ``length`` frames with 0 or
    the per-dimension minimum over the utterance; (length, F)."""
    extra = length - frames.shape[0]
    if extra <= 0:
        return frames
    value = frames.min(axis=0, keepdims=True) if pad == "min" else \
        np.zeros((1, frames.shape[1]), dtype=frames.dtype)
    return np.concatenate([frames, np.repeat(value, extra, axis=0)], axis=0)


def fixed_length(matrices, length, pad):
    """(N, length, F): each (T_u, F) centre-cropped or padded to ``length``."""
    out = np.empty((len(matrices), length, matrices[0].shape[1]), dtype=np.float32)
    for i, m in enumerate(matrices):
        start = max(0, (m.shape[0] - length) // 2)
        out[i] = padded(m[start:start + length], length, pad)
    return out


def segment_starts(n_frames, length, hop):
    """First frames of the windows of an utterance of ``n_frames`` frames."""
    hop = hop or length
    if n_frames <= length:
        return [0]
    return list(range(0, n_frames - length + 1, hop))


def segmented(matrices, length, hop, pad):
    """((R, length, F), group (R,)): the windows of every utterance."""
    starts = [segment_starts(m.shape[0], length, hop) for m in matrices]
    group = np.repeat(np.arange(len(matrices)), [len(s) for s in starts])
    out = np.empty((len(group), length, matrices[0].shape[1]), dtype=np.float32)
    r = 0
    for m, s in zip(matrices, starts):
        for start in s:
            out[r] = padded(m[start:start + length], length, pad)
            r += 1
    return out, group


def load_rows(data_dir, norm, layout):
    """:class:`Rows` of ``data_dir`` normalised with ``norm``, cut as the
    :class:`serda.config.InputConfig` ``layout`` says."""
    frame_level = is_frame_level(data_dir)
    if layout.layout == "utterance":
        if frame_level:
            raise InputError(data_dir, "has frame-level features (utt2num_frames): set "
                                       "input.layout to fixed or segments and use a frame-level "
                                       "encoder (model.encoder.type, e.g. conv_pool)")
        utts, x = load_utterance_matrix(data_dir, norm)
        return Rows(utts, x, np.arange(len(utts)))
    if not frame_level:
        raise InputError(data_dir, f"input.layout {layout.layout} needs frame-level features "
                                   "(fbank, spectrogram); these are utterance-level vectors")
    utts, matrices = load_frame_matrices(data_dir, norm)
    x, group = frame_rows(matrices, layout)
    return Rows(utts, x, group)


def frame_rows(matrices, layout):
    """(x, group) of normalised frame matrices [(T_u, F)] cut as ``layout``
    (fixed or segments) says."""
    if layout.layout == "fixed":
        return fixed_length(matrices, layout.frames, layout.pad), np.arange(len(matrices))
    return segmented(matrices, layout.frames, layout.hop, layout.pad)
