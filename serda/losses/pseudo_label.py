"""Confident pseudo-labels with class-balanced thresholds (Zou et al. 2018,
"Unsupervised Domain Adaptation for Semantic Segmentation via
Class-Balanced Self-Training", ECCV, Sec. 4.2).

Each target row gets its arg-max class c_i and confidence p_i = max_c
p_ic. Per class c, the threshold k_c is the confidence ranked at the top
``portion`` of the rows predicted as c: a row is kept when p_i >= k_{c_i},
so every predicted class keeps the same share of its rows, and a dominant
class cannot take over the pseudo-labels. The portion grows during
training (CBST: 20 % at the start, +5 % per round, at most 50 %).
"""
import math

import torch


def class_balanced_pseudo_labels(probs, portion):
    """(labels (N,) int64, keep (N,) float 0/1) of target posteriors
    ``probs`` (N, C): each predicted class keeps its ceil(portion n_c) most
    confident rows (n_c rows predicted as c; ties kept; none at portion 0)."""
    conf, labels = probs.max(dim=1)
    keep = torch.zeros_like(conf)
    for c in range(probs.shape[1]):
        rows = labels == c
        n = int(rows.sum())
        if n == 0:
            continue
        k = math.ceil(portion * n)
        if k == 0:
            continue
        threshold = conf[rows].sort(descending=True).values[k - 1]
        keep[rows & (conf >= threshold)] = 1.0
    return labels, keep
