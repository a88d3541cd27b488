"""Stage 5: predict and score the sets of trained trials of one system.

python -m serda.bin.decode --config exp/t/dann/config.yaml --trial 3 \
        --sets target_test target_dev source_test
python -m serda.bin.decode --config exp/t/dann/config.yaml --trials 1:5 ...  # each set read once
python -m serda.bin.decode --config exp/t/cada/fold{1..5}/config.yaml --trials 1:20 \
        --sets target_test --pool-into exp/t/cada --pool-data dump/gemaps/emodb_all

For each set (a data.* key of the config) writes
trial3/decode_<data dir name>/pred ("<utt> <value>", the predicted value in
the task's label space, or the class index) and metrics.json (CCC, PR,
RMSE or UA, accuracy; computed over the whole set). --pool-into: the configs
are the folds of a cross-validated system; their target_test predictions
are then pooled into that system's own trials (serda.train.pool), scored
over --pool-data.
"""
import argparse
import sys

import torch

from serda.cli import run_cli
from serda import layout
from serda.config import load_config
from serda.train.pool import pool_folds
from serda.train.decode import decode_trial, load_decode_sets
from serda.train.trained import add_trial_arguments, chosen_trials


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, nargs="+",
                   help="resolved config(s): one system, or the folds of one")
    add_trial_arguments(p, "a:b, decoded one after the other in this process")
    p.add_argument("--sets", nargs="+", default=["target_test"])
    p.add_argument("--device")
    p.add_argument("--pool-into", help="pool the folds' target_test decodes into this system")
    p.add_argument("--pool-data", help="with --pool-into: the whole set the folds test")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    for config in args.config:
        cfg = load_config(config)
        device = args.device or cfg.train.device
        sets = load_decode_sets(cfg, args.sets, device)
        for trial in chosen_trials(args):
            decode_trial(config, trial, sets, device)
    if args.pool_into:
        folds = [layout.system_of(c) for c in args.config]
        for k, m in pool_folds(folds, "target_test", args.pool_into, args.pool_data).items():
            print(f"decode: pooled {len(folds)} folds into {args.pool_into}/trial{k}: "
                  + ", ".join(f"{key} {m[key]:.3f}" for key in ("ccc", "ua") if key in m))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
