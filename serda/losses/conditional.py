"""CDAN's conditioning of the domain discriminator (Long et al. 2018,
"Conditional Adversarial Domain Adaptation", NeurIPS).

Multilinear map (Eq. 4): T(f, g) = f (x) g, the outer product of features
f (N, d) and class posteriors g (N, C), flattened to (N, d C); with d C
above ``max_dim`` the randomized map (Eq. 5) T(f, g) = (R_f f) * (R_g g) /
sqrt(out), R_f (out, d) and R_g (out, C) fixed Gaussian matrices.
Entropy conditioning (CDAN+E, Eq. 7): each row weighted by
w(H(g)) = 1 + exp(-H(g)), normalised within its domain.
"""
import torch

from serda.losses.entropy import row_entropy


def multilinear(f, g):
    """(N, d C) flattened outer products f_i g_i^T of f (N, d) and g (N, C)."""
    return (f.unsqueeze(2) * g.unsqueeze(1)).flatten(1)


def entropy_weights(logits, n_source):
    """(N,) CDAN+E weights 1 + exp(-H(g_i)) of logits (N, C), divided by their
    sum over the first ``n_source`` rows (source) and over the rest
    (target): each domain's weights sum to 1. No gradient."""
    w = 1.0 + torch.exp(-row_entropy(logits.detach()))
    ws, wt = w[:n_source], w[n_source:]
    return torch.cat([ws / ws.sum(), wt / wt.sum()])


def weighted_source_target_loss(logits, n_source, weights):
    """Domain cross-entropy of ``logits`` (N, 2) (first ``n_source`` rows
    source = 0, the rest target = 1), each domain's rows weighted by
    ``weights`` (N,) that sum to 1 within each domain: the analogue of
    serda.losses.domain.source_target_loss's sum of the two means."""
    log_p = torch.log_softmax(logits, dim=1)
    return -(weights[:n_source] * log_p[:n_source, 0]).sum() \
        - (weights[n_source:] * log_p[n_source:, 1]).sum()
