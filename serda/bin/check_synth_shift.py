"""Check that synthetic labels are learnable and the corpus shift is real.

python -m serda.bin.check_synth_shift --train dump/is13/mini_en_train \
    --test dump/is13/mini_en_test dump/is13/mini_de_test [--attribute arousal]

Fits ridge regression (closed form, features normalised per corpus with
the stored statistics) on --train and prints CCC, Pearson and RMSE on each
--test set. The first test set should be within-corpus, the others
cross-corpus: a real shift shows as a clearly lower CCC there.
"""
import argparse
import sys

import numpy as np

from serda.cli import run_cli
from serda.data.features import load_utterance_matrix
from serda.data.table import read_table
from serda.metrics import ccc, pearson, rmse


def labels(data_dir, utts, attribute):
    table = read_table(f"{data_dir}/utt2{attribute}")
    return np.array([float(table[u]) for u in utts])


def ridge_fit(x, y, alpha):
    """w, b minimising ||x w + b - y||^2 + alpha ||w||^2 (dual form, n < d)."""
    mx, my = x.mean(axis=0), y.mean()
    xc = x - mx
    k = xc @ xc.T
    a = np.linalg.solve(k + alpha * np.eye(len(y)), y - my)
    w = xc.T @ a
    return w, my - mx @ w


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True)
    p.add_argument("--test", nargs="+", required=True)
    p.add_argument("--attribute", default="arousal")
    p.add_argument("--norm", default="abdelwahab")
    p.add_argument("--alpha", type=float, default=1000.0)
    args = p.parse_args(argv)
    utts, x = load_utterance_matrix(args.train, args.norm)
    w, b = ridge_fit(x.astype(np.float64), labels(args.train, utts, args.attribute), args.alpha)
    print(f"ridge (alpha={args.alpha:g}) on {args.train} ({len(utts)} utts), "
          f"{args.attribute}, {args.norm} normalisation per corpus")
    print(f"{'test set':40s} {'CCC':>7s} {'PR':>7s} {'RMSE':>7s}")
    for test in args.test:
        tu, tx = load_utterance_matrix(test, args.norm)
        y, pred = labels(test, tu, args.attribute), tx @ w + b
        print(f"{test:40s} {ccc(y, pred):7.3f} {pearson(y, pred):7.3f} {rmse(y, pred):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
