"""Predictions and metrics of a method on a whole set (eval mode, no grad)."""
from contextlib import contextmanager

import numpy as np
import torch

from serda.metrics import accuracy, ccc, pearson, rmse, unweighted_recall

CHUNK = 4096


def chunked(fn, x):
    """``fn`` on chunks of CHUNK rows of ``x`` (eval mode: rows are
    independent), the outputs concatenated: a tensor, a list of tensors
    (one per layer), or None when ``fn`` gives None."""
    outs = [fn(x[i:i + CHUNK]) for i in range(0, x.shape[0], CHUNK)]
    if outs[0] is None:
        return None
    if isinstance(outs[0], (list, tuple)):
        return [torch.cat(parts) for parts in zip(*outs)]
    return torch.cat(outs)


def group_mean(values, group, n):
    """(n, ...) means of the rows of ``values`` (R, ...) per ``group`` (R,)."""
    sums = torch.zeros((n,) + values.shape[1:], dtype=values.dtype, device=values.device)
    sums.index_add_(0, group, values)
    counts = torch.bincount(group, minlength=n).to(values.dtype)
    return sums / counts.view(-1, *([1] * (values.dim() - 1)))


@contextmanager
def eval_mode(method):
    """``method`` in eval mode for the block, back in train mode after it
    when it was in train mode (switching walks every module: done once for
    all the trials of a stacked engine, not per set and trial)."""
    was_training = method.training
    if was_training:
        method.eval()
    try:
        yield
    finally:
        if was_training:
            method.train()


@torch.no_grad()
def predict_set(method, data, aggregate="posterior"):
    """Per-utterance outputs: (n_utts,) values or (n_utts, classes) scores.

    An utterance with several rows (``data.group``) gets the mean of its
    rows' outputs; for classification the mean of their class posteriors
    (softmax) with ``aggregate="posterior"``, else of their logits. With one
    row per utterance classification returns the logits themselves.
    """
    with eval_mode(method):
        out = chunked(method.predict, data.x)
    if out.shape[0] == data.n_utts:  # one row per utterance (group is the identity)
        return out.cpu().numpy()
    if not method.regression and aggregate == "posterior":
        out = out.softmax(dim=1)
    return group_mean(out, data.group, data.n_utts).cpu().numpy()


def task_metrics(pred, y, regression):
    """{'ccc','pr','rmse'} for regression, {'ua','acc'} for classification."""
    y = np.asarray(y)
    if regression:
        return {"ccc": ccc(y, pred), "pr": pearson(y, pred), "rmse": rmse(y, pred)}
    labels = np.asarray(pred).argmax(axis=1)
    return {"ua": unweighted_recall(y, labels), "acc": accuracy(y, labels)}


def selection_score(metrics, regression):
    """The number model selection maximises: CCC or UA."""
    return metrics["ccc"] if regression else metrics["ua"]


@torch.no_grad()
def domain_accuracy_on(method, source, target):
    """Accuracy of the domain head on source (label 0) + target (label 1)
    rows; None for methods without a domain head."""
    with eval_mode(method):
        logits_s = chunked(method.domain_logits, source.x)
        if logits_s is None:
            return None
        logits_t = chunked(method.domain_logits, target.x)
    right = (logits_s.argmax(1) == 0).sum() + (logits_t.argmax(1) == 1).sum()
    return float(right) / (logits_s.shape[0] + logits_t.shape[0])


def evaluate_method(method, dev, aggregate="posterior"):
    """Dev metrics of ``method`` on the labelled sets ``dev`` ({name: set}),
    plus the domain accuracy on source_dev + target_dev when it has a
    domain head; keys like "source_dev/ccc" and "dev/domain_acc"."""
    out = {}
    for name, data in dev.items():
        metrics = task_metrics(predict_set(method, data, aggregate), data.y_utt.cpu().numpy(),
                               method.regression)
        out.update({f"{name}/{k}": v for k, v in metrics.items()})
    if "source_dev" in dev and "target_dev" in dev:
        acc = domain_accuracy_on(method, dev["source_dev"], dev["target_dev"])
        if acc is not None:
            out["dev/domain_acc"] = acc
    return out
