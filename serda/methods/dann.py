"""DANN: domain-adversarial training (Ganin et al. 2016; for emotion
attribute regression, Abdelwahab & Busso 2018).

L = L_task(G_y(G_f(x_s)), y_s) + w L_D(G_d(GRL_lambda(G_f([x_s; x_t]))), d)

with d = 0 for the B source rows and 1 for the B target rows. The GRL
makes one minimisation train G_d to tell the domains apart and G_f to
confuse it; lambda follows ``adapt.grl`` (set by the trainer in
``scheduled["lambda"]``).

Settings: ``model.domain_head`` (an MLP on the encoder output, 2 outputs),
``adapt.grl`` (the schedule of lambda), ``adapt.domain_weight`` (w).
"""
from dataclasses import dataclass

import torch

from serda.config import MLPConfig, ScheduleConfig
from serda.losses.domain import domain_accuracy, domain_cross_entropy
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
    domain_weight: float = setting(1.0, at_least=0.0)


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
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        ns = batch.xs.shape[0]
        domains = torch.cat([torch.zeros(ns, dtype=torch.long),
                             torch.ones(batch.xt.shape[0], dtype=torch.long)]).to(z.device)
        logits = self.domain_head(grad_reverse(z, self.scheduled["lambda"]))
        return {
            "task": self.task_loss(self._task(self.task_head, z[:ns]), batch.ys),
            "domain": self.cfg.adapt.domain_weight * domain_cross_entropy(logits, domains),
            "_domain_acc": domain_accuracy(logits, domains),
        }
