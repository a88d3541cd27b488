"""Domain classification loss of DANN.

L_D = -1/N sum_i log softmax(h(z_i))[d_i], with z (N, D) encoder outputs
(behind the GRL), h the domain head giving logits (N, K) and d (N,) domain
indices (0 = source, 1 = target for two domains).
"""
import torch
import torch.nn.functional as F


def domain_cross_entropy(logits, domains):
    """Mean cross-entropy of ``logits`` (N, K) against ``domains`` (N,) int64."""
    return F.cross_entropy(logits, domains)


@torch.no_grad()
def domain_accuracy(logits, domains):
    """Fraction of rows whose arg-max domain is right (a float tensor)."""
    return (logits.argmax(dim=1) == domains).float().mean()
