"""Stage 4: train trials of one system.

python -m serda.bin.train --config exp/t/dann/config.yaml --trial 3
python -m serda.bin.train --config exp/t/dann/config.yaml --trials 1:20   # vectorised

Writes exp/t/dann/trial<k>/{model.pt,metrics.jsonl,summary.json} (and
last.pt, the checkpoint a rerun resumes from). Trial k uses seed
train.seed + k - 1. Finished trials are skipped. ``--trials a:b`` trains
trials a..b as one batched model (config train.vectorize, MLP methods).
"""
import argparse
import json
import sys
from pathlib import Path

import torch

from serda.cli import run_cli
from serda.config import load_config
from serda.methods import get_method
from serda.train.data import load_set
from serda.train.trained import add_trial_arguments, chosen_trials
from serda.train.trainer import Trainer
from serda.train.vectorized import VectorizedTrials


def build(cfg, in_dim, n_classes):
    out_dim = 1 if cfg.task.type == "regression" else n_classes
    return get_method(cfg.method)(cfg, in_dim, out_dim)


def load_training_data(cfg, device):
    d = cfg.data
    labelled_dir = d.source_train if cfg.train.train_on == "source" else d.target_train
    if not labelled_dir:
        raise ValueError(f"no data.{cfg.train.train_on}_train set in the config")
    labelled = load_set(labelled_dir, d.norm, cfg.task, device)
    dev = {}
    for name in ("source_dev", "target_dev"):
        if getattr(d, name):
            dev[name] = load_set(getattr(d, name), d.norm, cfg.task, device)
    if cfg.train.train_on == "target":  # its own dev set is the "source" dev
        dev = {"source_dev": dev["target_dev"]} if "target_dev" in dev else {}
    target = load_set(d.target_unlab, d.norm, None, device) if d.target_unlab else None
    return labelled, target, dev


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True)
    add_trial_arguments(p, "a:b, trained together (vectorised)")
    p.add_argument("--device", help="override train.device (cpu or cuda)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    cfg = load_config(args.config)
    device = args.device or cfg.train.device
    exp = Path(args.config).parent
    trials = chosen_trials(args)
    todo = [k for k in trials if not (exp / f"trial{k}" / "summary.json").is_file()]
    for k in sorted(set(trials) - set(todo)):
        print(f"train: {exp / f'trial{k}'} is complete, skipping")
    if not todo:
        return 0
    torch.set_num_threads(1 if len(trials) == 1 else torch.get_num_threads())
    torch.manual_seed(cfg.train.seed + todo[0] - 1)
    labelled, target, dev = load_training_data(cfg, device)
    n_classes = int(labelled.y.max()) + 1 if cfg.task.type == "classification" else 1

    def make():
        return build(cfg, labelled.x.shape[1], n_classes).to(device)

    seeds = [cfg.train.seed + k - 1 for k in todo]
    dirs = [exp / f"trial{k}" for k in todo]
    if len(todo) > 1:
        runner = VectorizedTrials(make, cfg, dirs, exp / f"vectorized_{todo[0]}-{todo[-1]}",
                                  labelled, target, dev, seeds, progress=not args.no_progress)
        summaries = runner.fit()
    else:
        summaries = [Trainer(make(), cfg, dirs[0], labelled, target, dev, seed=seeds[0],
                             progress=not args.no_progress).fit()]
    for out, summary in zip(dirs, summaries):
        summary.update(method=cfg.method, in_dim=labelled.x.shape[1], n_classes=n_classes,
                       train_set=labelled.name, n_train=labelled.n_utts,
                       vectorized=len(todo) > 1)
        (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        print(f"train: {out}: selected epoch {summary['selected_epoch']} by {summary['select']}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
