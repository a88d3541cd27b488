"""Domain classification losses of DANN.

L_D = -1/N sum_i log softmax(h(z_i))[d_i], with z (N, D) encoder outputs
(behind the GRL), h the domain head giving logits (N, K) and d (N,) domain
indices (0 = source, 1 = target for two domains).

Abdelwahab & Busso (2018), Eq. 1, sum the two domains' means:

    E = 1/n sum_{i=1}^{n} L_y^i - lambda (1/n sum_{i=1}^{n} L_d^i + 1/m sum_{i=n+1}^{N} L_d^i)

(n source rows, m target rows); :func:`source_target_loss` computes the
bracket, or one mean over all n + m rows when asked (half of it for n = m).
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


def source_target_loss(logits, n_source, weighting="sum_of_means"):
    """Domain loss of ``logits`` (n + m, 2) whose first ``n_source`` rows are
    source (label 0) and the rest target (label 1): the source rows' mean
    cross-entropy plus the target rows' mean (``sum_of_means``, Eq. 1), or
    one mean over all rows (``mean``)."""
    domains = torch.cat([torch.zeros(n_source, dtype=torch.long),
                         torch.ones(logits.shape[0] - n_source, dtype=torch.long)]).to(logits.device)
    if weighting == "mean":
        return F.cross_entropy(logits, domains)
    return F.cross_entropy(logits[:n_source], domains[:n_source]) + \
        F.cross_entropy(logits[n_source:], domains[n_source:])
