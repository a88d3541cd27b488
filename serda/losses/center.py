"""Center loss (Wen et al., ECCV 2016) as Gao et al. (ICASSP 2022) use it.

Embeddings x (M, D) of a mini-batch with classes y (M,) and one centre per
class, c (K, D):

    Center(x, c) = 1/M sum_{i=1}^{M} ||x_i - c_{y_i}||^2          (Gao Eq. 4)

(Wen et al. write 1/2 sum_i; Gao et al. average over the batch, which
serda follows.) The gradient reaches x only; the centres are not trained by
the optimiser but moved once per mini-batch towards their class' members
(Wen et al. Eqs. 3-4, Gao Eq. 5):

    delta_c_j = sum_i [y_i = j] (c_j - x_i) / (1 + m_j),   m_j = sum_i [y_i = j]
    c_j <- c_j - alpha delta_c_j

with rate alpha (Wen et al. use 0.5). A class absent from the batch
(m_j = 0) keeps its centre.
"""
import torch


def center_loss(x, y, centers):
    """Mean over the M rows of ||x_i - c_{y_i}||^2; x (M, D), y (M,) int64,
    centers (K, D); a scalar tensor."""
    return ((x - centers[y]) ** 2).sum(dim=1).mean()


def center_step(x, y, centers, rate):
    """The centres after one mini-batch update (Wen Eq. 4): (K, D), from
    x (M, D) (detached), y (M,) and centers (K, D)."""
    classes = torch.arange(centers.shape[0], device=y.device)
    onehot = (y[:, None] == classes).to(x.dtype)              # (M, K) (one_hot cannot vmap)
    counts = onehot.sum(dim=0)                                # (K,) m_j
    pulled = counts[:, None] * centers - onehot.T @ x         # sum_i [y_i = j] (c_j - x_i)
    return centers - rate * pulled / (1.0 + counts)[:, None]


@torch.no_grad()
def update_centers_(centers, x, y, rate):
    """In place: ``centers`` <- :func:`center_step` (no gradient)."""
    centers.copy_(center_step(x.detach(), y, centers, rate))
