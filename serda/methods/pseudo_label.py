"""Confident pseudo-label self-training with class-balanced thresholds
(Zou et al. 2018, CBST, Sec. 4.2; serda.losses.pseudo_label).

As every epoch starts, the model labels the unlabelled target pool; each
predicted class keeps the share ``portion`` of its most confident rows
(weights 1, the others 0). The portion is 0 before ``adapt.start_epoch``
(the source model learns first), then ``portion_start``, growing by
``portion_step`` per epoch up to ``portion_max`` (CBST's schedule,
paraphrased: 20 % at first, 5 % more each round, at most 50 %).

L = L_task(G_y(G_f(x_s)), y_s) + w sum_t k_t CE(G_y(G_f(x_t)), yhat_t) / max(1, sum_t k_t).

Settings: ``adapt.pseudo_weight`` (w) and the portion's schedule.
"""
from dataclasses import dataclass

import torch.nn.functional as F

from serda.methods import register
from serda.methods._shared_pass import SharedPass
from serda.settings import setting


@dataclass
class PseudoLabelAdapt:
    pseudo_weight: float = setting(1.0, at_least=0.0, help="w: weight of the pseudo-label loss")
    start_epoch: int = setting(5, at_least=0, help="first epoch (0-based) with pseudo-labels")
    portion_start: float = setting(0.2, above=0.0, below=1.0001,
                                   help="share of each predicted class kept at start_epoch")
    portion_step: float = setting(0.05, at_least=0.0, help="added to the share every epoch")
    portion_max: float = setting(0.5, above=0.0, below=1.0001, help="the share's ceiling")


@register("pseudo_label")
class PseudoLabel(SharedPass):
    Adapt = PseudoLabelAdapt
    tasks = ("classification",)
    pseudo_labels = True

    def pseudo_portion(self, epoch):
        a = self.cfg.adapt
        if epoch < a.start_epoch:
            return 0.0
        return min(a.portion_max, a.portion_start + a.portion_step * (epoch - a.start_epoch))

    def adaptation(self, batch, z, out, ns):
        ce = F.cross_entropy(out[ns:], batch.pt, reduction="none")
        kept = batch.wt.sum().clamp(min=1.0)
        return {"pseudo": self.cfg.adapt.pseudo_weight * (batch.wt * ce).sum() / kept,
                "_pseudo_kept": batch.wt.mean()}
