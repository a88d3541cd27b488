"""MRD: maximum regression discrepancy (after Saito et al.'s MCD, for
valence regression).

Encoder E, regressors R1 (``model.task_head``) and R2 (``model.task_head2``,
a different depth so the two differ). Each iteration:

1. ``source``:     E, R1, R2 minimise MSE(R1(E(x_s)), y_s) + MSE(R2(E(x_s)), y_s)
2. ``regressors``: R1, R2 minimise the same minus L_dis(x_t), E frozen,
   L_dis = mean |R1(E(x_t)) - R2(E(x_t))|
3. ``encoder``:    E minimises L_dis(x_t), repeated m = ``adapt.encoder_steps`` times.

Prediction: (R1(E(x)) + R2(E(x))) / 2.
Settings: ``model.task_head2`` (R2), ``adapt.encoder_steps`` (m).
"""
from dataclasses import dataclass

import torch

from serda.config import MLPConfig
from serda.losses.discrepancy import regressor_discrepancy
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.mlp import MLP
from serda.settings import section, setting


@dataclass
class MRDModel(TaskModel):
    task_head2: MLPConfig = section(lambda: MLPConfig(layers=3))


@dataclass
class MRDAdapt:
    encoder_steps: int = setting(3, at_least=1,
                                 help="m: encoder updates minimising the regressors' discrepancy "
                                      "per iteration")


@register("mrd")
class MRD(Method):
    Model = MRDModel
    Adapt = MRDAdapt
    parts = ("encoder", "task_head", "task_head2")
    uses_target = True

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        self.task_head2 = MLP(self.encoder.out_dim, cfg.model.task_head2, out_dim)

    def steps(self):
        return [
            Step("source", self.parts, self.source_losses),
            Step("regressors", ("task_head", "task_head2"), self.regressor_losses),
            Step("encoder", ("encoder",), self.encoder_losses,
                 repeat=self.cfg.adapt.encoder_steps),
        ]

    def predict(self, x):
        z = self.encoder(x)
        return 0.5 * (self._task(self.task_head, z) + self._task(self.task_head2, z))

    def _both(self, z):
        return self._task(self.task_head, z), self._task(self.task_head2, z)

    def source_losses(self, batch):
        f1, f2 = self._both(self.encoder(batch.xs))
        return {"task": self.task_loss(f1, batch.ys), "task2": self.task_loss(f2, batch.ys)}

    def regressor_losses(self, batch):
        with torch.no_grad():
            zs, zt = self.encoder(batch.xs), self.encoder(batch.xt)
        f1, f2 = self._both(zs)
        t1, t2 = self._both(zt)
        return {"task": self.task_loss(f1, batch.ys), "task2": self.task_loss(f2, batch.ys),
                "discrepancy": -regressor_discrepancy(t1, t2)}

    def encoder_losses(self, batch):
        t1, t2 = self._both(self.encoder(batch.xt))
        return {"discrepancy": regressor_discrepancy(t1, t2)}
