"""Entropy minimisation (Grandvalet & Bengio 2005, "Semi-supervised
Learning by Entropy Minimization"): the source task loss plus the mean
entropy of the target posteriors,

L = L_task(G_y(G_f(x_s)), y_s) + w 1/m sum_t H(softmax(G_y(G_f(x_t)))).

Settings: ``adapt.entropy_weight`` (w).
"""
from dataclasses import dataclass

from serda.losses.entropy import mean_entropy
from serda.methods import register
from serda.methods._shared_pass import SharedPass
from serda.settings import setting


@dataclass
class EntMinAdapt:
    entropy_weight: float = setting(0.1, at_least=0.0,
                                    help="w: weight of the target entropy 1/m sum H(p_t)")


@register("entmin")
class EntMin(SharedPass):
    Adapt = EntMinAdapt
    tasks = ("classification",)

    def adaptation(self, batch, z, out, ns):
        return {"entropy": self.cfg.adapt.entropy_weight * mean_entropy(out[ns:])}
