"""MCC: minimum class confusion (Jin et al. 2020, ECCV, Eq. 9):

L = L_task(G_y(G_f(x_s)), y_s) + mu L_MCC(G_y(G_f(x_t))),

L_MCC the class confusion of the temperature-scaled, entropy-weighted
target posteriors (serda.losses.mcc). Settings: ``adapt.mcc_weight`` (mu),
``adapt.temperature`` (T).
"""
from dataclasses import dataclass

from serda.losses.mcc import mcc_loss
from serda.methods import register
from serda.methods._shared_pass import SharedPass
from serda.settings import setting


@dataclass
class MCCAdapt:
    mcc_weight: float = setting(1.0, at_least=0.0, help="mu: weight of the MCC loss")
    temperature: float = setting(2.5, above=0.0, help="T: the posteriors' temperature")


@register("mcc")
class MCC(SharedPass):
    Adapt = MCCAdapt
    tasks = ("classification",)

    def adaptation(self, batch, z, out, ns):
        a = self.cfg.adapt
        return {"mcc": a.mcc_weight * mcc_loss(out[ns:], a.temperature)}
