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
import json
import sys
from pathlib import Path

import numpy as np
import torch

from serda.cli import run_cli
from serda.config import load_config
from serda.data.table import write_lines
from serda.train.data import load_set
from serda.train.evaluate import predict_set, task_metrics
from serda.train.trained import add_trial_arguments, chosen_trials, load_trained


@torch.no_grad()
def set_domain_accuracy(method, data, key):
    """Share of the set's utterances the domain head assigns to the set's
    own domain (Abdelwahab & Busso Table III: target test samples detected
    as target); None without a domain head or for a set of neither domain.
    Rows of an utterance are averaged before the decision."""
    label = 0 if key.startswith("source") else 1 if key.startswith("target") else None
    if label is None:
        return None
    logits = method.domain_logits(data.x)
    if logits is None:
        return None
    sums = torch.zeros((data.n_utts, logits.shape[1]), dtype=logits.dtype, device=logits.device)
    sums.index_add_(0, data.group, logits.softmax(dim=1))
    return float((sums.argmax(dim=1) == label).float().mean())


def decode_trial(config, trial, sets, device):
    """Predictions and metrics of trial ``trial`` on ``sets`` ({key: SetTensors})."""
    cfg, summary, method = load_trained(config, trial, device)
    trial_dir = Path(config).parent / f"trial{trial}"
    for key, data in sets.items():
        pred = predict_set(method, data)
        out = trial_dir / f"decode_{data.name}"
        out.mkdir(exist_ok=True)
        values = pred if method.regression else pred.argmax(axis=1)
        write_lines(out / "pred", [f"{u} {v:.6g}" if method.regression else f"{u} {int(v)}"
                                   for u, v in zip(data.utts, values)])
        metrics = task_metrics(pred, data.y.cpu().numpy(), method.regression)
        metrics.update(set=key, data=str(getattr(cfg.data, key)), n=data.n_utts,
                       selected_epoch=summary["selected_epoch"], select=summary["select"])
        domain = set_domain_accuracy(method, data, key)
        if domain is not None:
            metrics["domain_acc"] = domain
        if not all(np.isfinite(v) for k, v in metrics.items() if isinstance(v, float)):
            raise ValueError(f"non-finite metric on {getattr(cfg.data, key)}: {metrics}")
        (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
        shown = ", ".join(f"{k} {metrics[k]:.3f}" for k in ("ccc", "pr", "rmse", "ua", "acc",
                                                              "domain_acc")
                          if k in metrics)
        print(f"decode: {out}: {shown}")


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
    sets = {}
    for key in args.sets:
        data_dir = getattr(cfg.data, key, None)
        if not data_dir:
            print(f"decode: no data.{key} in {args.config}, skipping it")
            continue
        sets[key] = load_set(data_dir, cfg.data.norm, cfg.task, device)
    for trial in chosen_trials(args):
        decode_trial(args.config, trial, sets, device)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
