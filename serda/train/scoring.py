"""The unsupervised selection scores of a trial, every epoch
(``train.scorers``; the formulas in serda.selection.scorers).

Inputs are per utterance: an utterance of several rows (frames, chunks)
gets the mean of its rows' class posteriors (or values, for regression) and
of its rows' embeddings (the encoder output). IWV's density ratio is
fitted once per trial, on input features (source train vs the unlabelled
target pool, evaluated on source dev: a logistic regression); DEV's is
refitted every epoch on the model's embeddings of the same sets (the
closed-form shared-covariance Gaussian ratio: a solve, not an
optimisation, 40 epochs x trials of them per system).
"""
import torch

from serda.selection import UNSUPERVISED
from serda.selection.density_ratio import density_ratio, gaussian_density_ratio
from serda.selection.scorers import (balanced_cross_entropy, dev_risk, neg_entropy, snd,
                                     weighted_ccc, weighted_ua)
from serda.train.evaluate import chunked, group_mean


def per_utterance(rows, data):
    """(n_utts, ...) means of ``rows`` (R, ...) over each utterance's rows."""
    if rows.shape[0] == data.n_utts:
        return rows
    return group_mean(rows, data.group, data.n_utts)


@torch.no_grad()
def outputs(method, data):
    """(per-utterance posteriors (N, C) or values (N,), embeddings (N, D))
    of ``method`` (in eval mode) on the set ``data``."""
    z = chunked(method.encoder, data.x)
    out = method._task(method.task_head, z)
    if not method.regression:
        out = out.softmax(dim=1)
    return (per_utterance(out, data).double().cpu().numpy(),
            per_utterance(z.flatten(1), data).double().cpu().numpy())


def input_rows(data):
    """(n_utts, d) mean input row of each utterance, flattened."""
    return per_utterance(data.x.flatten(1), data).double().cpu().numpy()


class Scoring:
    """The scores ``names`` (of serda.selection.UNSUPERVISED) of the trials
    whose training data are ``datas`` (serda.train.data.TrainingData)."""

    def __init__(self, names, datas, regression):
        self.names = tuple(n for n in UNSUPERVISED if n in names)
        self.regression = regression
        if regression:
            self.names = tuple(n for n in self.names if n != "entropy")
        self.iw = [None] * len(datas)
        if "iwv" in self.names:
            self.iw = [density_ratio(input_rows(d.labelled), input_rows(d.unlab),
                                     input_rows(d.dev["source_dev"])) for d in datas]

    def scores(self, method, data, k):
        """{"score/<name>": value} of trial ``k`` (its model ``method``)."""
        if not self.names:
            return {}
        dev = data.dev["source_dev"]
        y = dev.y_utt.cpu().numpy()
        dev_out, dev_z = outputs(method, dev)
        target_out, target_z = outputs(method, data.unlab)
        out = {}
        if "iwv" in self.names:
            out["score/iwv"] = (weighted_ccc(y, dev_out, self.iw[k]) if self.regression else
                                weighted_ua(y, dev_out.argmax(axis=1), self.iw[k]))
        if "dev" in self.names:
            _, train_z = outputs(method, data.labelled)
            w = gaussian_density_ratio(train_z, target_z, dev_z)
            losses = (dev_out - y) ** 2 if self.regression else \
                balanced_cross_entropy(dev_out, y)
            out["score/dev"] = -dev_risk(losses, w)
        if "snd" in self.names:
            out["score/snd"] = snd(target_z if self.regression else target_out)
        if "entropy" in self.names:
            out["score/entropy"] = neg_entropy(target_out)
        return out
