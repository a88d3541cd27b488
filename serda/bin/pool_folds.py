"""Stage 5 for a cross-validated system: pool the folds' test predictions.

python -m serda.bin.pool_folds --folds exp/valence/target_cv/cv1 ... \
       --set target_test --data dump/is10/msp_improv_all --out exp/valence/target

Each fold system (trained and decoded by the driver with --target
<corpus>_cv<f>) predicted its own test fold; the pooled system gets one
trial<k>/decode_<name>/ per trial with the predictions of all folds and
metrics over the whole corpus, and a config.yaml, so serda.bin.report lists
it like any other system (serda.train.pool).
"""
import argparse
import sys

from serda.cli import run_cli
from serda.train.pool import pool_folds


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--folds", nargs="+", required=True, help="the fold systems' dirs")
    p.add_argument("--set", default="target_test", help="data.* key the folds decoded")
    p.add_argument("--data", help="the whole set: the folds must test each of its utterances once")
    p.add_argument("--out", required=True, help="the pooled system's dir")
    args = p.parse_args(argv)
    results = pool_folds(args.folds, args.set, args.out, args.data)
    for k, m in results.items():
        shown = ", ".join(f"{key} {m[key]:.3f}" for key in ("ccc", "pr", "rmse", "ua", "acc")
                          if key in m)
        print(f"pool_folds: {args.out}/trial{k}: {m['n']} utterances from "
              f"{len(args.folds)} folds: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
