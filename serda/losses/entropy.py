"""Prediction entropy (Grandvalet & Bengio 2005, entropy minimisation).

H(p_i) = -sum_c p_ic log p_ic with p_i = softmax(logits_i) over C classes;
:func:`mean_entropy` is 1/N sum_i H(p_i) for logits (N, C).
"""
import torch.nn.functional as F


def row_entropy(logits):
    """(N,) entropies H(softmax(logits_i)) in nats of logits (N, C)."""
    log_p = F.log_softmax(logits, dim=1)
    return -(log_p.exp() * log_p).sum(dim=1)


def mean_entropy(logits):
    """1/N sum_i H(softmax(logits_i)) of logits (N, C)."""
    return row_entropy(logits).mean()
