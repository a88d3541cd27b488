"""Load a data directory's features (feats.scp) into memory.

Utterance-level features load into one contiguous float32 matrix (n, d) in
sorted utterance order, so training batches are index slices of it.
Normalisation statistics come from ``norm_stats.npz`` in the same data dir.
"""
from pathlib import Path

import kaldiio
import numpy as np
import yaml

from serda.data.normalize import apply_norm, fit_norm_stats
from serda.data.table import c_sorted, read_table
from serda.errors import InputError

STATS_FILE = "norm_stats.npz"
INFO_FILE = "norm_stats.yaml"


def read_features(data_dir):
    """(utts, list of arrays) from ``<data_dir>/feats.scp`` in sorted order."""
    scp = Path(data_dir) / "feats.scp"
    if not scp.is_file():
        raise InputError(scp, "missing: run feature extraction (stage 2) first")
    table = read_table(scp)
    utts = c_sorted(table)
    feats = []
    for utt in utts:
        try:
            feats.append(np.asarray(kaldiio.load_mat(table[utt])))
        except Exception as err:  # kaldiio raises bare Exceptions on bad arks
            raise InputError(scp, f"cannot read features of '{utt}' from "
                             f"{table[utt]}: {err}") from None
    return utts, feats


def stack_utterance_features(data_dir, feats):
    """Stack 1-D vectors into (n, d); InputError on a non-vector or bad dim."""
    if not feats:
        raise InputError(Path(data_dir) / "feats.scp", "no features")
    dims = {f.shape for f in feats}
    if len(dims) != 1 or len(next(iter(dims))) != 1:
        raise InputError(Path(data_dir) / "feats.scp",
                         f"expected utterance-level vectors of one size, found shapes {sorted(dims)[:3]}")
    return np.ascontiguousarray(np.stack(feats), dtype=np.float32)


def load_norm_stats(data_dir):
    path = Path(data_dir) / STATS_FILE
    if not path.is_file():
        raise InputError(path, "missing: run the normalisation stage (stage 3) first")
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def load_utterance_matrix(data_dir, norm="none"):
    """(utts, X) with X (n, d) float32, normalised with scheme ``norm``."""
    utts, feats = read_features(data_dir)
    x = stack_utterance_features(data_dir, feats)
    if norm != "none":
        x = apply_norm(x, load_norm_stats(data_dir), norm)
    if not np.all(np.isfinite(x)):
        raise InputError(Path(data_dir) / "feats.scp", "non-finite values after normalisation")
    return utts, x


def compute_corpus_stats(fit_dirs, write_dirs):
    """Fit statistics on ``fit_dirs`` pooled; store them in every ``write_dirs``.

    Frame-level features are pooled over all frames. Returns the number of
    vectors (utterances or frames) the statistics come from.
    """
    pooled = []
    for d in fit_dirs:
        _, feats = read_features(d)
        pooled.extend(f.reshape(1, -1) if f.ndim == 1 else f for f in feats)
    if len({f.shape[1] for f in pooled}) != 1:
        raise InputError(fit_dirs[0], "feature dimensions differ between the fitting sets")
    stats = fit_norm_stats(np.concatenate(pooled, axis=0))
    info = {"fitted_on": [str(d) for d in fit_dirs], "vectors": int(stats["count"]),
            "dim": int(stats["mean"].shape[0]),
            "schemes": "abdelwahab (trim_mean/trim_std), minmax (min/max), zscore (mean/std)"}
    for d in write_dirs:
        d = Path(d)
        tmp = d / (STATS_FILE + ".tmp.npz")
        np.savez(tmp, **stats)
        tmp.replace(d / STATS_FILE)
        (d / INFO_FILE).write_text(yaml.safe_dump(info, sort_keys=False), encoding="utf-8")
    return int(stats["count"])
