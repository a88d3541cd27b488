"""Schedules of the GRL coefficient (lambda), evaluated once per epoch.

With e the epoch (0-based), E the number of epochs, p = e / (E - 1):

``constant``      lambda = max
``ganin``         lambda = max (2 / (1 + exp(-10 p)) - 1)          (Ganin et al. 2016)
``delayed_ramp``  0 for e < H, then max (e - H) / (E - 1 - H), reaching max
                  at the last epoch                                  (Abdelwahab & Busso 2018)
``switch_on``     0 for e < K, max from epoch K on                  (their Fig. 7b)
"""
import math

from serda.config import SCHEDULES


def schedule_value(cfg, epoch, epochs):
    """lambda at ``epoch`` of ``epochs`` for a :class:`ScheduleConfig`."""
    last = max(epochs - 1, 1)
    if cfg.schedule == "constant":
        return cfg.max
    if cfg.schedule == "ganin":
        return cfg.max * (2.0 / (1.0 + math.exp(-10.0 * epoch / last)) - 1.0)
    if cfg.schedule == "delayed_ramp":
        if epoch < cfg.hold_epochs:
            return 0.0
        span = last - cfg.hold_epochs
        return cfg.max if span <= 0 else cfg.max * (epoch - cfg.hold_epochs) / span
    if cfg.schedule == "switch_on":
        return cfg.max if epoch >= cfg.switch_epoch else 0.0
    raise ValueError(f"unknown schedule '{cfg.schedule}' (known: {', '.join(SCHEDULES)})")
