"""Minimum class confusion (Jin et al. 2020, "Minimum Class Confusion for
Versatile Domain Adaptation", ECCV, Eqs. 1-8).

For target logits Z (B, C): Y = softmax(Z / T) (temperature scaling, Eq. 1);
uncertainty reweighting W = diag(w), w_i = B (1 + exp(-H(Y_i))) /
sum_j (1 + exp(-H(Y_j))) (Eqs. 3-4); class correlation C = Y^T W Y (C, C)
(Eq. 5); category normalisation C~_jj' = C_jj' / sum_j'' C_jj'' (Eq. 7);

    L_MCC = 1/C sum_j sum_{j' != j} |C~_jj'|                          (Eq. 8)
"""
import torch

from serda.losses.entropy import row_entropy


def class_confusion(logits, temperature=2.5):
    """(C, C) row-normalised class confusion C~ of target logits (B, C)."""
    probs = torch.softmax(logits / temperature, dim=1)
    h = row_entropy(logits / temperature)
    w = 1.0 + torch.exp(-h)
    w = logits.shape[0] * w / w.sum()
    conf = probs.T @ (w.unsqueeze(1) * probs)
    return conf / conf.sum(dim=1, keepdim=True)


def mcc_loss(logits, temperature=2.5):
    """L_MCC of target logits (B, C): the mean over classes of the confusion
    of each class with the others (Eq. 8)."""
    conf = class_confusion(logits, temperature)
    n = conf.shape[0]
    return (conf.sum() - torch.diagonal(conf).sum()) / n
