"""Stage 4: train trials of one system.

python -m serda.bin.train --config exp/t/dann/config.yaml --trial 3
python -m serda.bin.train --config exp/t/dann/config.yaml --trials 1:20   # vectorised
python -m serda.bin.train --config exp/t/cada/fold{1,2,3,4,5}/config.yaml --trials 1:20

Writes exp/t/dann/trial<k>/{model.pt,metrics.jsonl,summary.json} (and
last.pt, the checkpoint a rerun resumes from). Trial k uses seed
train.seed + k - 1. Finished trials are skipped. ``--trials a:b`` trains
trials a..b as one batched model (config train.vectorize); several configs
(the folds of a cross-validated system) are stacked with them when each fold
trains on as many rows (serda.train.run).
"""
import argparse
import sys

from serda.cli import run_cli
from serda.train.run import train_system
from serda.train.trained import add_trial_arguments, chosen_trials


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True, nargs="+",
                   help="resolved config(s): one system, or the folds of one")
    add_trial_arguments(p, "a:b, trained together (vectorised)")
    p.add_argument("--device", help="override train.device (cpu or cuda)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    train_system(args.config, chosen_trials(args), args.device, not args.no_progress)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
