"""Pool the test predictions of cross-validation folds into one score.

The train-on-target upper bound of the MRD paper is a speaker-independent
cross-validation on the target corpus: every fold's model predicts its
held-out speakers, and the predictions of all folds together cover the
corpus once. Metrics are computed over the pooled predictions (one CCC
over all N utterances, not the mean of per-fold CCCs), trial by trial, so
the pooled system has as many trials as each fold and is scored on the
same utterances as the systems trained on the source corpus.
"""
import json
from pathlib import Path

import numpy as np
import yaml

from serda import layout
from serda.atomic import write_atomic
from serda.config import config_to_dict, load_config
from serda.data.datadir import DataDir
from serda.data.table import read_table, write_lines
from serda.errors import InputError
from serda.train.data import read_labels
from serda.train.evaluate import task_metrics


def fold_predictions(system_dir, set_key):
    """(cfg, {trial: (utts, pred, y)}) of one fold system's decodes of ``set_key``."""
    cfg = load_config(layout.config_path(system_dir))
    data_dir = getattr(cfg.data, set_key)
    if not data_dir:
        raise InputError(layout.config_path(system_dir), f"no data.{set_key}")
    regression = cfg.task.type == "regression"
    out = {}
    for k, trial_dir in layout.trial_dirs(system_dir):
        pred_file = layout.decode_dir(trial_dir, Path(data_dir).name) / layout.PRED
        if not pred_file.is_file():
            continue
        table = read_table(pred_file)
        utts = sorted(table)
        values = np.array([float(table[u]) if regression else int(table[u]) for u in utts])
        out[k] = (utts, values, read_labels(data_dir, utts, cfg.task))
    if not out:
        raise InputError(system_dir, f"no trial has predictions for {set_key} (run stage 5)")
    return cfg, out


def _same_system(cfgs, fold_dirs):
    """Folds must differ only in their data sets."""
    def recipe(cfg):
        d = config_to_dict(cfg)
        d.pop("data")
        return d
    for cfg, fold in zip(cfgs[1:], fold_dirs[1:]):
        if recipe(cfg) != recipe(cfgs[0]):
            raise InputError(Path(fold) / "config.yaml",
                             f"differs from {fold_dirs[0]}/config.yaml beyond its data sets")


def pool_folds(fold_dirs, set_key, out_dir, data_dir=None):
    """Write ``out_dir/trial<k>/decode_<name>/{pred,metrics.json}`` pooling
    the folds' predictions of ``set_key``; ``data_dir`` (the whole corpus)
    must hold exactly the pooled utterances. Returns {trial: metrics}."""
    loaded = [fold_predictions(d, set_key) for d in fold_dirs]
    cfgs = [c for c, _ in loaded]
    _same_system(cfgs, fold_dirs)
    trials = sorted(loaded[0][1])
    for (_, preds), fold in zip(loaded, fold_dirs):
        if sorted(preds) != trials:
            raise InputError(fold, f"has predictions of trials {sorted(preds)}, "
                                   f"{fold_dirs[0]} of {trials}")
    regression = cfgs[0].task.type == "regression"
    expected = set(DataDir.load(data_dir).utts) if data_dir else None
    name = Path(data_dir).name if data_dir else "pooled"
    out_dir = Path(out_dir)
    results = {}
    for k in trials:
        owner, utts, pred, y = {}, [], [], []
        for (_, preds), fold in zip(loaded, fold_dirs):
            f_utts, f_pred, f_y = preds[k]
            for u in f_utts:
                if u in owner:
                    raise InputError(fold, f"utterance '{u}' is also tested in {owner[u]}")
                owner[u] = fold
            utts += f_utts
            pred.append(f_pred)
            y.append(f_y)
        if expected is not None and set(utts) != expected:
            raise InputError(data_dir, f"the folds test {len(set(utts) - expected)} utterance(s) "
                                       f"not in it and miss {len(expected - set(utts))} of its "
                                       f"{len(expected)}")
        pred, y = np.concatenate(pred), np.concatenate(y)
        scores = pred if regression else np.eye(int(max(pred.max(), y.max())) + 1)[pred]
        metrics = task_metrics(scores, y, regression)
        metrics.update(set=set_key, data=str(data_dir or name), n=len(utts),
                       folds=[str(f) for f in fold_dirs], select=cfgs[0].train.select)
        if not regression:
            from serda.train.decode import missing_classes_warning
            n_classes = int(layout.read_summary(fold_dirs[0], k)["n_classes"])
            warning = missing_classes_warning(cfgs[0], y, n_classes)
            if warning:
                metrics["warning"] = warning
        dec = layout.decode_dir(layout.trial_dir(out_dir, k), name)
        dec.mkdir(parents=True, exist_ok=True)
        order = np.argsort(np.array(utts, dtype=object).astype(str))
        write_lines(dec / layout.PRED, [f"{utts[i]} {pred[i]:.6g}" if regression
                                        else f"{utts[i]} {int(pred[i])}" for i in order])
        write_atomic(dec / layout.DECODE_METRICS,
                     lambda f: f.write(json.dumps(metrics, indent=1) + "\n"), "w")
        results[k] = metrics
    merged = config_to_dict(cfgs[0])
    merged["data"][set_key] = str(data_dir or name)
    header = (f"# pooled by serda.bin.pool_folds from {len(fold_dirs)} cross-validation folds: "
              f"{' '.join(str(f) for f in fold_dirs)}\n")
    write_atomic(layout.config_path(out_dir),
                 lambda f: f.write(header + yaml.safe_dump(merged, sort_keys=False)), "w")
    return results
