"""What happens to gradients and parameters in every update, for one model
or for stacked trials: the optimisers, gradient clipping, weight
constraints, the BatchNorm statistics of the parts a step does not update.

Stacked trials (serda.train.stacked) hold each parameter with a leading
trial dimension; clipping then uses each trial's own total norm, and the
optimisers (Adam, Adadelta, SGD) and the max-norm constraint are
elementwise or per unit, so every trial is updated as if it were alone.
"""
import contextlib

import torch
from torch import nn

from serda.nets.blocks import any_set, clamp_unit_norms_


def make_optimizer(cfg, params):
    """The optimiser of ``optim`` settings ``cfg`` over ``params``, on torch's
    foreach path (one call per operation over all parameters instead of one
    per parameter: the same numbers bit for bit, 1.4x faster on a full-size
    DANN step's Adam; test/perf/bench_train_step.py)."""
    kw = {"lr": cfg.lr, "weight_decay": cfg.weight_decay, "foreach": True}
    if cfg.name == "adam":
        return torch.optim.Adam(params, **kw)
    if cfg.name == "adadelta":
        return torch.optim.Adadelta(params, **kw)
    return torch.optim.SGD(params, momentum=0.9, **kw)


def make_optimizers(cfg, steps, parts, params_of):
    """({key: optimiser}, {step name: [keys]}) for the update ``steps``:
    one optimiser per step (``cfg.state`` per_step), or one per part of
    ``parts`` shared by the steps that update it (per_part).
    ``params_of(parts)``: the parameters of those parts."""
    if cfg.state == "per_part":
        optimizers = {p: make_optimizer(cfg, params_of((p,))) for p in parts}
        return optimizers, {s.name: list(s.parts) for s in steps}
    return ({s.name: make_optimizer(cfg, params_of(s.parts)) for s in steps},
            {s.name: [s.name] for s in steps})


@contextlib.contextmanager
def running_stats_kept(method, step, keep):
    """While a step runs: with ``keep``, the BatchNorm layers of the parts
    the step does not update leave their running statistics as they are
    (momentum 0; they still normalise with the batch's statistics)."""
    saved = []
    if keep:
        for part in method.parts:
            if part in step.parts:
                continue
            for m in getattr(method, part).modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    saved.append((m, m.momentum))
                    m.momentum = 0.0
    try:
        yield
    finally:
        for m, momentum in saved:
            m.momentum = momentum


@torch.no_grad()
def clip_grad_norms_(params, max_norm, stacked=False):
    """Scale the gradients of ``params`` in place so that their total L2
    norm ||g|| = sqrt(sum_p sum_i g_p,i^2) is at most ``max_norm``:
    g <- g * min(1, max_norm / (||g|| + 1e-6)), as
    torch.nn.utils.clip_grad_norm_; with ``stacked`` the norm and the
    factor are per trial (the leading dimension). 0 = off. When no factor
    is below 1 nothing is written (torch multiplies by 1.0, which changes no
    bit: one pass over every gradient less in most updates)."""
    grads = [p.grad for p in params if p.grad is not None]
    if max_norm <= 0 or not grads:
        return
    if not stacked:   # torch's clip_grad_norm_, without its multiplication by exactly 1
        total = torch.nn.utils.get_total_norm(grads, foreach=True)
        if any_set(~(max_norm / (total + 1e-6) >= 1.0)):
            torch.nn.utils.clip_grads_with_norm_(params, max_norm, total, foreach=True)
        return
    norms = torch.sqrt(sum(g.pow(2).flatten(1).sum(1) for g in grads))
    factor = max_norm / (norms + 1e-6)
    if not any_set(~(factor >= 1.0)):   # no trial over the limit (a NaN norm counts as over)
        return
    scale = torch.clamp(factor, max=1.0)
    for g in grads:
        g.mul_(scale.view(-1, *([1] * (g.dim() - 1))))


def epoch_lr(cfg, epoch):
    """The learning rate of ``epoch`` (0-based) under ``optim`` settings
    ``cfg``: max(lr * lr_decay^epoch, lr_min)."""
    return max(cfg.lr * cfg.lr_decay ** epoch, cfg.lr_min)


def set_lr(optimizers, lr):
    for optimizer in optimizers:
        for group in optimizer.param_groups:
            group["lr"] = lr


@torch.no_grad()
def add_penalty_grads_(params, l1, l2, stacked=False):
    """In place: g += l1 sign(w) + 2 l2 w, the gradient of l1 sum|w| + l2 sum
    w^2, for every weight matrix or kernel of ``params`` (2 or more
    dimensions per trial; biases, BatchNorm and vectors are not penalised)."""
    if not (l1 or l2):
        return
    for p in params:
        if p.grad is None or p.dim() - int(stacked) < 2:
            continue
        if l1:
            p.grad.add_(torch.sign(p), alpha=l1)
        if l2:
            p.grad.add_(p, alpha=2.0 * l2)


def finish_update(optimizers, params, optim, constrained, stacked=False):
    """Add the weight penalties of ``optim`` settings to the gradients of
    ``params``, clip them (``optim.clip_norm``), step the ``optimizers``, then
    apply the max-norm constraints ``constrained`` [(weight, max norm)]."""
    add_penalty_grads_(params, optim.l1, optim.l2, stacked)
    clip_grad_norms_(params, optim.clip_norm, stacked)
    for optimizer in optimizers:
        optimizer.step()
    for weight, limit in constrained:
        clamp_unit_norms_(weight, limit)
