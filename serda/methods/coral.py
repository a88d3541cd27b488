"""Deep CORAL (Sun & Saenko 2016) on the encoder outputs.

L = L_task(G_y(G_f(x_s)), y_s) + w ||C_S - C_T||_F^2 / (4 d^2),
C_S, C_T the covariances of G_f(x_s) and G_f(x_t) (see serda.losses.coral).
Settings: ``adapt.coral_weight`` (w).
"""
from dataclasses import dataclass

import torch

from serda.losses.coral import coral_loss
from serda.methods import register
from serda.methods.base import Method, Step
from serda.settings import setting


@dataclass
class CoralAdapt:
    coral_weight: float = setting(1.0, at_least=0.0,
                                  help="w: weight of the CORAL loss ||C_S - C_T||_F^2 / (4 d^2)")


@register("coral")
class Coral(Method):
    Adapt = CoralAdapt
    uses_target = True

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def losses(self, batch):
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        ns = batch.xs.shape[0]
        return {
            "task": self.task_loss(self._task(self.task_head, z[:ns]), batch.ys),
            "coral": self.cfg.adapt.coral_weight * coral_loss(z[:ns], z[ns:]),
        }
