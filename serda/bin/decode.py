"""Stage 5: predict and score the sets of trained trials of one system.

python -m serda.bin.decode --config exp/t/dann/config.yaml --trial 3 \
        --sets target_test target_dev source_test
python -m serda.bin.decode --config exp/t/dann/config.yaml --trials 1:5 ...  # each set read once

For each set (a data.* key of the config) writes
trial3/decode_<data dir name>/pred ("<utt> <value>", the predicted value in
the task's label space, or the class index) and metrics.json (CCC, PR,
RMSE or UA, accuracy; computed over the whole set).
"""
import argparse
import sys

import torch

from serda.cli import run_cli
from serda.config import load_config
from serda.train.decode import decode_trial, load_decode_sets
from serda.train.trained import add_trial_arguments, chosen_trials


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True)
    add_trial_arguments(p, "a:b, decoded one after the other in this process")
    p.add_argument("--sets", nargs="+", default=["target_test"])
    p.add_argument("--device")
    args = p.parse_args(argv)
    cfg = load_config(args.config)
    device = args.device or cfg.train.device
    torch.set_num_threads(1)
    sets = load_decode_sets(cfg, args.sets, device)
    for trial in chosen_trials(args):
        decode_trial(args.config, trial, sets, device)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
