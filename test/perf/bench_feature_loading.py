"""Loading 20,000 x 6,373 IS13 vectors from feats.scp/ark vs np.load.

Writes the same random float32 matrix once as a Kaldi ark + scp (with
kaldiio.WriteHelper, as stage 2 does) and once as .npy, reads each once to
warm the page cache, then times (medians of 5, same process):

- np.load of the .npy (the reference);
- serda's loading (serda.data.features.read_utterance_matrix: the vectors
  read straight from the ark into one (n, d) float32 matrix; what training
  and decoding run);
- serda's general path (read_features: views into one mmap per ark, then
  stacked; what frame-level features and unusual arks take);
- the same with the non-finite check of load_utterance_matrix;
- kaldiio.load_mat one utterance at a time (serda's loading before).
"""
import argparse
import tempfile
import time
from pathlib import Path

import kaldiio
import numpy as np

from serda.data.features import (load_utterance_matrix, read_features, read_utterance_matrix,
                                 stack_utterance_features)
from serda.data.table import c_sorted, read_table


def median_time(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--dim", type=int, default=6373)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.rows, args.dim), dtype=np.float32)
    utts = [f"spk{i % 97:03d}_utt{i:06d}" for i in range(args.rows)]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        with kaldiio.WriteHelper(f"ark,scp:{d}/feats.ark,{d}/feats.scp") as writer:
            for u, row in zip(utts, x):
                writer(u, row)
        np.save(d / "feats.npy", x)
        order = np.argsort(np.array(utts, dtype=object))    # both give the sorted order
        np.load(d / "feats.npy")
        serda = read_utterance_matrix(d)[1]
        assert np.array_equal(serda, x[order])
        assert np.array_equal(stack_utterance_features(d, read_features(d)[1]), x[order])

        def per_utterance():
            table = read_table(d / "feats.scp")
            return np.stack([kaldiio.load_mat(table[u]) for u in c_sorted(table)])
        t_npy = median_time(lambda: np.load(d / "feats.npy"))
        t_serda = median_time(lambda: read_utterance_matrix(d))
        t_views = median_time(lambda: stack_utterance_features(d, read_features(d)[1]))
        t_checked = median_time(lambda: load_utterance_matrix(d))
        t_kaldiio = median_time(per_utterance, repeat=3)
    mb = x.nbytes / 2 ** 20
    print(f"{args.rows} x {args.dim} float32 ({mb:.0f} MiB), page cache warm")
    print(f"  np.load(.npy):                      {t_npy:6.3f} s")
    print(f"  serda read_utterance_matrix:        {t_serda:6.3f} s   ratio to np.load {t_serda / t_npy:.2f}")
    print(f"  serda general path (views + stack): {t_views:6.3f} s   ratio {t_views / t_npy:.2f}")
    print(f"  + non-finite check (training path): {t_checked:6.3f} s   ratio {t_checked / t_npy:.2f}")
    print(f"  kaldiio.load_mat per utterance:     {t_kaldiio:6.3f} s   ratio {t_kaldiio / t_npy:.2f}")


if __name__ == "__main__":
    main()
