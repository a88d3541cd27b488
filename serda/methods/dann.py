"""DANN: domain-adversarial training (Ganin et al. 2016; for emotion
attribute regression, Abdelwahab & Busso 2018, Eq. 1).

L = L_task(G_y(G_f(x_s)), y_s)
    + w (1/n sum_s L_D(G_d(GRL_lambda(G_f(x_s))), 0) + 1/m sum_t L_D(G_d(GRL_lambda(G_f(x_t))), 1))

over the n source rows (domain 0) and m target rows (domain 1) of a batch:
the sum of the two domains' mean cross-entropies (``adapt.domain_loss:
sum_of_means``, Eq. 1), or one mean over all n + m rows (``mean``). The
GRL makes one minimisation train G_d to tell the domains apart and G_f to
confuse it; lambda follows ``adapt.grl`` (set by the trainer in
``scheduled["lambda"]`` before every batch).

Settings: ``model.domain_head`` (an MLP on the encoder output, 2 outputs),
``adapt.grl`` (the schedule of lambda), ``adapt.domain_weight`` (w),
``adapt.domain_loss``.
"""
from dataclasses import dataclass

import torch

from serda.config import MLPConfig, ScheduleConfig
from serda.losses.domain import domain_accuracy, source_target_loss
from serda.losses.grl import grad_reverse
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.mlp import MLP
from serda.settings import section, setting


@dataclass
class DANNModel(TaskModel):
    domain_head: MLPConfig = section(MLPConfig)


@dataclass
class DANNAdapt:
    grl: ScheduleConfig = section(ScheduleConfig)
    domain_weight: float = setting(1.0, at_least=0.0, help="w: weight of the domain loss")
    domain_loss: str = setting("sum_of_means", choices=("sum_of_means", "mean"),
                               help="sum_of_means: mean over source rows plus mean over target "
                                    "rows (Abdelwahab & Busso); mean: one mean over all rows")


@register("dann")
class DANN(Method):
    Model = DANNModel
    Adapt = DANNAdapt
    parts = ("encoder", "task_head", "domain_head")
    uses_target = True

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        self.domain_head = MLP(self.encoder.out_dim, cfg.model.domain_head, 2)

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def schedules(self):
        return {"lambda": self.cfg.adapt.grl}

    def domain_logits(self, x):
        return self.domain_head(self.encoder(x))

    def losses(self, batch):
        return self.adversarial(batch)[0]

    def adversarial(self, batch):
        """(the losses of Eq. 1, encoder outputs z (n + m, D) of [x_s; x_t], n)."""
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        ns = batch.xs.shape[0]
        domains = torch.cat([torch.zeros(ns, dtype=torch.long),
                             torch.ones(batch.xt.shape[0], dtype=torch.long)]).to(z.device)
        logits = self.domain_head(grad_reverse(z, self.scheduled["lambda"]))
        adapt = self.cfg.adapt
        return {
            "task": self.task_loss(self._task(self.task_head, z[:ns]), batch.ys),
            "domain": adapt.domain_weight * source_target_loss(logits, ns, adapt.domain_loss),
            "_domain_acc": domain_accuracy(logits, domains),
        }, z, ns
