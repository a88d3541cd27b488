"""Stage 4: train one trial of one system.

python -m serda.bin.train --config exp/t/dann/config.yaml --trial 3

Writes exp/t/dann/trial3/{model.pt,last.pt,metrics.jsonl,summary.json}.
Trial k uses seed train.seed + k - 1. A finished trial is skipped; an
interrupted one resumes from last.pt.
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
from serda.train.trainer import Trainer


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
    p.add_argument("--trial", type=int, required=True)
    p.add_argument("--device", help="override train.device (cpu or cuda)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    cfg = load_config(args.config)
    device = args.device or cfg.train.device
    out = Path(args.config).parent / f"trial{args.trial}"
    if (out / "summary.json").is_file():
        print(f"train: {out} is complete, skipping")
        return 0
    torch.set_num_threads(1)
    seed = cfg.train.seed + args.trial - 1
    torch.manual_seed(seed)
    labelled, target, dev = load_training_data(cfg, device)
    n_classes = int(labelled.y.max()) + 1 if cfg.task.type == "classification" else 1
    method = build(cfg, labelled.x.shape[1], n_classes).to(device)
    trainer = Trainer(method, cfg, out, labelled, target, dev, seed=seed,
                      progress=not args.no_progress)
    summary = trainer.fit()
    summary.update(method=cfg.method, in_dim=labelled.x.shape[1], n_classes=n_classes,
                   train_set=labelled.name, n_train=labelled.n_utts)
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"train: {out}: selected epoch {summary['selected_epoch']} by {summary['select']}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
