"""DAN: deep adaptation network (Long et al. 2015, ICML, Eq. 5) on the
encoder output:

L = L_task(G_y(G_f(x_s)), y_s) + lambda MK-MMD^2(G_f(x_s), G_f(x_t)),

a sum of Gaussian kernels around the batch's mean squared distance
(serda.losses.mmd). Settings: ``adapt.mmd_weight`` (lambda).
"""
from dataclasses import dataclass

from serda.losses.mmd import mk_mmd
from serda.methods import register
from serda.methods._shared_pass import SharedPass
from serda.settings import setting


@dataclass
class DANAdapt:
    mmd_weight: float = setting(1.0, at_least=0.0, help="lambda: weight of the MK-MMD^2")


@register("dan")
class DAN(SharedPass):
    Adapt = DANAdapt

    def adaptation(self, batch, z, out, ns):
        return {"mmd": self.cfg.adapt.mmd_weight * mk_mmd(z[:ns], z[ns:])}
