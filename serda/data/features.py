"""Load a data directory's features (feats.scp) into memory.

Utterance-level features load into one contiguous float32 matrix (n, d) in
sorted utterance order ((n, L, D) for features pooled per layer, ``ssl``;
their statistics are per layer and dimension), so training batches are index slices of it.
Normalisation statistics come from ``norm_stats.npz`` in the same data dir;
a set pooling several corpora (utils/combine_data.py of feature dirs, e.g.
IEMOCAP + MSP-IMPROV as one source) instead holds one file per corpus in
``norm_stats_by_corpus/<corpus>.npz`` and each utterance is normalised with
the statistics of its corpus (``utt2corpus``), exactly as it would be in its
own corpus' sets.
"""
from pathlib import Path

import numpy as np
import yaml

from serda.data.ark import load_entries, load_vector_matrix
from serda.data.datadir import read_attributes
from serda.data.normalize import apply_norm, fit_norm_stats
from serda.data.table import c_sorted, read_table
from serda.errors import InputError

STATS_FILE = "norm_stats.npz"
INFO_FILE = "norm_stats.yaml"
BY_CORPUS_DIR = "norm_stats_by_corpus"


def sorted_entries(data_dir):
    """(feats.scp path, utterances in sorted order, their scp entries)."""
    scp = Path(data_dir) / "feats.scp"
    if not scp.is_file():
        raise InputError(scp, "missing: run feature extraction (stage 2) first")
    table = read_table(scp)
    utts = c_sorted(table)
    return scp, utts, [table[u] for u in utts]


def read_features(data_dir, scp_entries=None):
    """(utts, list of arrays) from ``<data_dir>/feats.scp`` in sorted order
    (``scp_entries``: :func:`sorted_entries` when already read)."""
    scp, utts, entries = scp_entries or sorted_entries(data_dir)
    try:
        return utts, load_entries(entries)
    except Exception:  # kaldiio raises bare Exceptions on bad arks: find the utterance
        pass
    for utt, entry in zip(utts, entries):
        try:
            load_entries([entry])
        except Exception as err:
            raise InputError(scp, f"cannot read features of '{utt}' from {entry}: {err}") from None
    raise InputError(scp, "cannot read the features")


def stack_utterance_features(data_dir, feats):
    """Stack utterance-level features of one shape into (n, ...): vectors
    (d,) into (n, d), per-layer matrices (L, D) (ssl pooled per layer) into
    (n, L, D); InputError when the shapes differ."""
    if not feats:
        raise InputError(Path(data_dir) / "feats.scp", "no features")
    shapes = {f.shape for f in feats}
    if len(shapes) != 1 or len(next(iter(shapes))) not in (1, 2):
        raise InputError(Path(data_dir) / "feats.scp",
                         "expected utterance-level vectors (or per-layer matrices) of one "
                         f"shape, found shapes {sorted(shapes)[:3]}")
    return np.ascontiguousarray(np.stack(feats), dtype=np.float32)


def load_norm_stats(data_dir, corpus=None):
    """Statistics of ``data_dir`` (or of ``corpus`` inside a pooled set)."""
    path = Path(data_dir) / (STATS_FILE if corpus is None else f"{BY_CORPUS_DIR}/{corpus}.npz")
    if not path.is_file():
        raise InputError(path, "missing: run the normalisation stage (stage 3) first")
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def is_pooled(data_dir):
    """True when ``data_dir`` holds per-corpus statistics (a pooled set)."""
    return (Path(data_dir) / BY_CORPUS_DIR).is_dir()


def normalise(data_dir, utts, x, norm):
    """``x`` (n, d) normalised with scheme ``norm``; ``utts`` (n,) names the
    utterance of each row (a frame-level matrix repeats an utterance over
    its frames): one set of statistics, or each row with its utterance's
    corpus' statistics in a pooled set."""
    if not is_pooled(data_dir):
        return apply_norm(x, load_norm_stats(data_dir), norm)
    utt2corpus = read_table(Path(data_dir) / "utt2corpus")
    missing = sorted(set(utts) - set(utt2corpus))
    if missing:
        raise InputError(Path(data_dir) / "utt2corpus", f"no corpus for '{missing[0]}'"
                         + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
    corpora = np.array([utt2corpus[u] for u in utts])
    out = np.empty(x.shape, dtype=np.float32)
    for corpus in sorted(set(corpora)):
        rows = corpora == corpus
        out[rows] = apply_norm(x[rows], load_norm_stats(data_dir, corpus), norm)
    return out


def _check_finite(data_dir, utts, x, when):
    """InputError naming the utterances (first few, count) and dims of
    non-finite values of ``x`` (rows named by ``utts``).

    First one pass of row sums: a NaN or an infinity makes its row's sum
    non-finite, so finite sums clear the whole matrix (0.6 of the time of
    np.isfinite over it); only otherwise (a bad value, or finite values
    whose sum overflows) is every element tested."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(x.sum(axis=1)).all():
            return
    bad = ~np.isfinite(x)
    if not bad.any():
        return
    names = list(dict.fromkeys(utts[i] for i in np.flatnonzero(bad.any(axis=1))))
    dims = np.flatnonzero(bad.any(axis=0))
    raise InputError(Path(data_dir) / "feats.scp",
                     f"non-finite values {when} in {len(names)} utterance(s) "
                     f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''}), "
                     f"dim(s) {', '.join(map(str, dims[:10]))}{', ...' if len(dims) > 10 else ''}")


def read_utterance_matrix(data_dir):
    """(utts, X): the utterance-level vectors of ``data_dir`` as one (n, d)
    float32 matrix in sorted order; read straight from the arks when they
    are binary vectors of one dim (serda.data.ark.load_vector_matrix)."""
    scp, utts, entries = sorted_entries(data_dir)
    x = load_vector_matrix(entries) if utts else None
    if x is not None:
        return utts, x.astype(np.float32, copy=False)
    utts, feats = read_features(data_dir, (scp, utts, entries))
    return utts, stack_utterance_features(data_dir, feats)


def load_utterance_matrix(data_dir, norm="none"):
    """(utts, X) with X (n, d) float32 ((n, L, D) for per-layer features),
    normalised with scheme ``norm`` (per dimension, per layer)."""
    utts, x = read_utterance_matrix(data_dir)
    shape = x.shape
    x = x.reshape(len(x), -1)
    _check_finite(data_dir, utts, x, "in the features")
    if norm != "none":
        x = normalise(data_dir, utts, x, norm)
        _check_finite(data_dir, utts, x, "after normalisation")
    return utts, x.reshape(shape)


def load_frame_matrices(data_dir, norm="none"):
    """(utts, [X_u]) with X_u (T_u, F) float32 per utterance, every frame
    normalised with scheme ``norm`` (per feature dimension, with the
    corpus' statistics over frames)."""
    utts, feats = read_features(data_dir)
    if not feats or any(f.ndim != 2 for f in feats) or len({f.shape[1] for f in feats}) != 1:
        raise InputError(Path(data_dir) / "feats.scp",
                         "expected frame-level matrices (frames, dim) of one dim, found shapes "
                         f"{sorted({f.shape for f in feats})[:3]}")
    lengths = np.array([f.shape[0] for f in feats])
    x = np.concatenate(feats, axis=0).astype(np.float32, copy=False)
    row_utts = np.repeat(np.array(utts, dtype=object), lengths)
    _check_finite(data_dir, row_utts, x, "in the features")
    if norm != "none":
        x = normalise(data_dir, row_utts, x, norm)
        _check_finite(data_dir, row_utts, x, "after normalisation")
    return utts, np.split(x, np.cumsum(lengths)[:-1])


def is_frame_level(data_dir):
    """True when ``data_dir``'s features are frame-level (utt2num_frames)."""
    return (Path(data_dir) / "utt2num_frames").is_file()


def corpus_of(data_dirs):
    """The one corpus name of ``data_dirs`` (attributes.yaml ``corpus``)."""
    names = set()
    for d in data_dirs:
        names.update(str(read_attributes(d).get("corpus", "")).split("+"))
    if len(names) != 1 or "" in names:
        raise InputError(data_dirs[0], f"statistics must be fitted on one corpus; the fit sets "
                                       f"name {sorted(names) or 'none'} in attributes.yaml")
    return names.pop()


def compute_corpus_stats(fit_dirs, write_dirs, pooled_dirs=()):
    """Fit statistics on ``fit_dirs`` pooled; store them in every ``write_dirs``,
    and as ``norm_stats_by_corpus/<corpus>.npz`` in each of ``pooled_dirs``
    that holds utterances of the fit sets' corpus.

    Frame-level features are pooled over all frames. Returns the number of
    vectors (utterances or frames) the statistics come from.
    """
    pooled = []
    for d in fit_dirs:
        utts, feats = read_features(d)
        frames = is_frame_level(d)   # else one row per utterance (per-layer matrices flattened)
        rows = [f if frames else f.reshape(1, -1) for f in feats]
        if len({f.shape[1] for f in pooled + rows}) != 1:
            raise InputError(d, "feature dimensions differ between the fitting sets")
        # one NaN would spoil the statistics of a whole corpus: refuse it, named
        _check_finite(d, np.repeat(np.array(utts, dtype=object), [len(f) for f in rows]),
                      np.concatenate(rows, axis=0), "in the features")
        pooled.extend(rows)
    stats = fit_norm_stats(np.concatenate(pooled, axis=0))
    info = {"fitted_on": [str(d) for d in fit_dirs], "vectors": int(stats["count"]),
            "dim": int(stats["mean"].shape[0]),
            "schemes": "abdelwahab (trim_mean/trim_std), minmax (min/max), zscore (mean/std)"}
    places = [(Path(d) / STATS_FILE, Path(d) / INFO_FILE) for d in write_dirs]
    if pooled_dirs:
        corpus = corpus_of(fit_dirs)
        for d in pooled_dirs:
            if corpus in set(read_table(Path(d) / "utt2corpus").values()):
                places.append((Path(d) / BY_CORPUS_DIR / f"{corpus}.npz",
                               Path(d) / BY_CORPUS_DIR / f"{corpus}.yaml"))
    for stats_file, info_file in places:
        stats_file.parent.mkdir(exist_ok=True)
        tmp = stats_file.with_name(stats_file.name + ".tmp.npz")
        np.savez(tmp, **stats)
        tmp.replace(stats_file)
        info_file.write_text(yaml.safe_dump(info, sort_keys=False), encoding="utf-8")
    return int(stats["count"])
