"""Schedules of a coefficient (the GRL's lambda), updated every iteration.

With e the epoch (0-based), E the number of epochs, N iterations per epoch
and H = ``hold_epochs``: epochs 0 .. H-1 hold the coefficient at 0; then
the ramp runs over the remaining (E - H) N iterations, with progress
p = (iterations of the ramp done) / ((E - H) N), from 0 at the first
iteration of epoch H to 1 - 1/((E - H) N) at the last one:

``constant``   lambda = max (no hold)
``linear``     0 for e < H, then max p
``ganin``      0 for e < H, then max (2 / (1 + exp(-10 p)) - 1)     (Ganin et al. 2016;
               Abdelwahab & Busso 2018: "lambda is initialized equal to zero for
               the first ten training epochs. Then, we slowly increase its value
               until reaching lambda = 1 by the end of the training")
``switch_on``  0 for e < K, max from epoch K on (K = ``switch_epoch``; their Fig. 7b)
"""
import math

from serda.config import SCHEDULES


def ramp_progress(epoch, iteration, iterations, epochs, hold):
    """p in [0, 1) of the ramp after ``hold`` epochs, or None during the hold."""
    if epoch < hold:
        return None
    total = max((epochs - hold) * iterations, 1)
    return ((epoch - hold) * iterations + iteration) / total


def schedule_value(cfg, epoch, epochs, iteration=0, iterations=1):
    """The coefficient at ``iteration`` (of ``iterations`` per epoch) of
    ``epoch`` (of ``epochs``) for a :class:`serda.config.ScheduleConfig`."""
    if cfg.schedule == "constant":
        return cfg.max
    if cfg.schedule == "switch_on":
        return cfg.max if epoch >= cfg.switch_epoch else 0.0
    if cfg.schedule in ("linear", "ganin"):
        p = ramp_progress(epoch, iteration, iterations, epochs, cfg.hold_epochs)
        if p is None:
            return 0.0
        if cfg.schedule == "linear":
            return cfg.max * p
        return cfg.max * (2.0 / (1.0 + math.exp(-10.0 * p)) - 1.0)
    raise ValueError(f"unknown schedule '{cfg.schedule}' (known: {', '.join(SCHEDULES)})")
