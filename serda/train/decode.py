"""Stage 5: predictions and metrics of trained trials on whole sets.

For each set (a ``data.*`` key of the config) a trial writes
``trial<k>/decode_<data dir name>/pred`` ("<utt> <value>": the predicted
value in the task's label space, or the class index) and ``metrics.json``
(CCC, PR, RMSE or UA, accuracy over the whole set; the domain head's
share of the set assigned to its own domain when the method has one).
"""
import json

import numpy as np
import torch

from serda import layout
from serda.atomic import write_atomic
from serda.data.table import write_lines
from serda.errors import SerdaError
from serda.train.data import load_set
from serda.train.evaluate import chunked, group_mean, predict_set, task_metrics
from serda.train.trained import load_trained


@torch.no_grad()
def set_domain_accuracy(method, data, key):
    """Share of the set's utterances the domain head assigns to the set's
    own domain (Abdelwahab & Busso Table III: target test samples detected
    as target); None without a domain head or for a set of neither domain.
    Rows of an utterance are averaged (posteriors), then decided."""
    label = 0 if key.startswith("source") else 1 if key.startswith("target") else None
    if label is None:
        return None
    logits = chunked(method.domain_logits, data.x)
    if logits is None:
        return None
    posteriors = group_mean(logits.softmax(dim=1), data.group, data.n_utts)
    return float((posteriors.argmax(dim=1) == label).float().mean())


def load_decode_sets(cfg, keys, device="cpu", log=print):
    """{key: SetTensors} of the config's ``data.<key>`` sets that are set."""
    sets = {}
    for key in keys:
        data_dir = getattr(cfg.data, key, None)
        if data_dir is None:
            raise SerdaError(f"no data set '{key}' (known: source_/target_ train, dev, test)")
        if not data_dir:
            log(f"decode: no data.{key} in the config, skipping it")
            continue
        sets[key] = load_set(data_dir, cfg, True, device)
    return sets


def missing_classes_warning(cfg, y, n_classes):
    """A sentence when the reference labels ``y`` (class indices) lack some
    of the task's ``n_classes`` classes (a target corpus with one class of
    a binary task scores UA from the classes present only), else None."""
    from serda.infer import label_names
    present = set(np.asarray(y).astype(int).tolist())
    if len(present) >= n_classes:
        return None
    names = label_names(cfg, n_classes)
    missing = [names[k] for k in range(n_classes) if k not in present]
    return (f"only {len(present)} of the task's {n_classes} classes occur in this set "
            f"(none of: {', '.join(missing)}): UA is the recall of the class(es) present only")


def decode_trial(config, trial, sets, device="cpu", log=print):
    """Write the predictions and metrics of trial ``trial`` on ``sets``."""
    cfg, summary, method = load_trained(config, trial, device)
    trial_dir = layout.trial_dir(layout.system_of(config), trial)
    for key, data in sets.items():
        pred = predict_set(method, data, cfg.input.aggregate)
        out = layout.decode_dir(trial_dir, data.name)
        out.mkdir(exist_ok=True)
        values = pred if method.regression else pred.argmax(axis=1)
        write_lines(out / layout.PRED, [f"{u} {v:.6g}" if method.regression else f"{u} {int(v)}"
                                        for u, v in zip(data.utts, values)])
        y = data.y_utt.cpu().numpy()
        metrics = task_metrics(pred, y, method.regression)
        warning = None if method.regression else \
            missing_classes_warning(cfg, y, int(summary["n_classes"]))
        if warning:
            metrics["warning"] = warning
            log(f"decode: WARNING: {getattr(cfg.data, key)}: {warning}")
        metrics.update(set=key, data=str(getattr(cfg.data, key)), n=data.n_utts,
                       selected_epoch=summary["selected_epoch"], select=summary["select"])
        domain = set_domain_accuracy(method, data, key)
        if domain is not None:
            metrics["domain_acc"] = domain
        if not all(np.isfinite(v) for k, v in metrics.items() if isinstance(v, float)):
            raise SerdaError(f"non-finite metric on {getattr(cfg.data, key)}: {metrics}")
        write_atomic(out / layout.DECODE_METRICS,
                     lambda f: f.write(json.dumps(metrics, indent=1) + "\n"), "w")
        shown = ", ".join(f"{k} {metrics[k]:.3f}" for k in ("ccc", "pr", "rmse", "ua", "acc",
                                                              "domain_acc")
                          if k in metrics)
        log(f"decode: {out}: {shown}")
