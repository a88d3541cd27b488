"""CDAN and CDAN+E: conditional domain-adversarial training (Long et al.
2018, NeurIPS, Eqs. 6-7).

The domain head sees the multilinear map T(f, g) of the encoder output f
and the (detached) class posteriors g behind a GRL
(serda.losses.conditional):

L = L_task(G_y(G_f(x_s)), y_s)
    + w (sum_s v_s L_D(D(GRL_lambda(T(f_s, g_s))), 0) + sum_t v_t L_D(D(GRL_lambda(T(f_t, g_t))), 1)),

v = 1/n and 1/m per domain (CDAN), or with ``adapt.entropy_conditioning``
(CDAN+E) v_i proportional to 1 + exp(-H(g_i)), summing to 1 within each
domain. T is the full outer product (D x C inputs) when D C <=
``adapt.max_multilinear``, else the randomized map to
``adapt.random_dim`` inputs (Eq. 5). Settings as DANN's, plus those.
"""
import math
from dataclasses import dataclass

import torch

from serda.config import MLPConfig, ScheduleConfig
from serda.losses.conditional import entropy_weights, multilinear, weighted_source_target_loss
from serda.losses.domain import domain_accuracy
from serda.losses.grl import grad_reverse
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.mlp import MLP
from serda.settings import section, setting


@dataclass
class CDANModel(TaskModel):
    domain_head: MLPConfig = section(MLPConfig)


@dataclass
class CDANAdapt:
    grl: ScheduleConfig = section(ScheduleConfig)
    domain_weight: float = setting(1.0, at_least=0.0, help="w: weight of the domain loss")
    entropy_conditioning: bool = setting(False, help="CDAN+E: weight rows by 1 + exp(-H(g))")
    max_multilinear: int = setting(4096, at_least=1,
                                   help="largest D x C fed to the domain head as is; above it "
                                        "the randomized multilinear map")
    random_dim: int = setting(1024, at_least=1, help="inputs of the randomized multilinear map")


@register("cdan")
class CDAN(Method):
    Model = CDANModel
    Adapt = CDANAdapt
    parts = ("encoder", "task_head", "domain_head")
    tasks = ("classification",)
    uses_target = True

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        d, a = self.encoder.out_dim, cfg.adapt
        self.randomized = d * out_dim > a.max_multilinear
        width = a.random_dim if self.randomized else d * out_dim
        if self.randomized:   # fixed, per trial (buffers follow its seed)
            self.register_buffer("random_f", torch.randn(a.random_dim, d))
            self.register_buffer("random_g", torch.randn(a.random_dim, out_dim))
        self.domain_head = MLP(width, cfg.model.domain_head, 2)

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def schedules(self):
        return {"lambda": self.cfg.adapt.grl}

    def conditioned(self, z, logits):
        """T(f, g) (N, D C) or (N, random_dim) of features z and logits."""
        g = logits.detach().softmax(dim=1)
        if not self.randomized:
            return multilinear(z, g)
        return (z @ self.random_f.T) * (g @ self.random_g.T) / math.sqrt(self.random_f.shape[0])

    def domain_logits(self, x):
        z = self.encoder(x)
        return self.domain_head(self.conditioned(z, self.task_head(z)))

    def losses(self, batch):
        ns = batch.xs.shape[0]
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        logits = self.task_head(z)
        h = self.conditioned(grad_reverse(z, self.scheduled["lambda"]), logits)
        d_logits = self.domain_head(h)
        n = z.shape[0]
        if self.cfg.adapt.entropy_conditioning:
            w = entropy_weights(logits, ns)
        else:
            w = torch.cat([torch.full((ns,), 1.0 / ns), torch.full((n - ns,), 1.0 / (n - ns))]
                          ).to(z.device)
        domains = torch.cat([torch.zeros(ns, dtype=torch.long),
                             torch.ones(n - ns, dtype=torch.long)]).to(z.device)
        return {
            "task": self.task_loss(logits[:ns], batch.ys),
            "domain": self.cfg.adapt.domain_weight * weighted_source_target_loss(d_logits, ns, w),
            "_domain_acc": domain_accuracy(d_logits, domains),
        }
