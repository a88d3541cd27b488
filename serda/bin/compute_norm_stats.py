"""Stage 3: per-corpus normalisation statistics, stored beside the data.

python -m serda.bin.compute_norm_stats --fit <dir> [<dir> ...] --to <dir> [<dir> ...] \
        [--pooled <dir> ...]

Statistics are fitted on the --fit sets pooled (a corpus' train and
unlabelled sets) and written as norm_stats.npz to every --fit and --to set
(the corpus' other splits), where loading applies them. A --pooled set
(several corpora combined, with utt2corpus) that holds utterances of this
corpus gets them as norm_stats_by_corpus/<corpus>.npz, so its utterances
are normalised by their own corpus' statistics.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.features import compute_corpus_stats


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fit", nargs="+", required=True)
    p.add_argument("--to", nargs="*", default=[])
    p.add_argument("--pooled", nargs="*", default=[], help="multi-corpus sets")
    args = p.parse_args(argv)
    targets = list(dict.fromkeys(args.fit + args.to))
    n = compute_corpus_stats(args.fit, targets, args.pooled)
    print(f"compute_norm_stats: statistics of {n} vectors from {' '.join(args.fit)} "
          f"written to {len(targets)} set(s)")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
