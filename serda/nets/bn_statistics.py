"""Target BatchNorm statistics (AdaBN, Li et al. 2016, "Revisiting Batch
Normalization For Practical Domain Adaptation", Alg. 1): for every
BatchNorm layer j, mu_j <- E[x_j] and sigma_j^2 <- Var[x_j] over the
target set's rows at that layer's input; the learnt scale and shift stay.
"""
import torch
from torch import nn

from serda.train.evaluate import CHUNK


@torch.no_grad()
def set_batchnorm_statistics(method, x, chunk=CHUNK):
    """Replace the running mean and (unbiased) variance of every BatchNorm
    layer on the prediction path of ``method`` (encoder, task head) by those
    of its inputs over the rows ``x`` (N >= 2, ...): exact for N <= ``chunk``,
    else the mean of the statistics of ceil(N / chunk) near-equal chunks
    (each of 2 rows or more, as BatchNorm needs). Dropout stays off."""
    layers = [m for part in ("encoder", "task_head") for m in getattr(method, part).modules()
              if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not layers:
        return
    was_training = method.training
    method.eval()
    saved = []
    for bn in layers:
        saved.append(bn.momentum)
        bn.reset_running_stats()
        bn.momentum = None   # cumulative average over the forwards below
        bn.train()
    try:
        for rows in torch.tensor_split(x, -(-x.shape[0] // chunk)):
            method.predict(rows)
    finally:
        for bn, momentum in zip(layers, saved):
            bn.momentum = momentum
        method.train(was_training)
