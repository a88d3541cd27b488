"""DANN + MCC: DANN's domain-adversarial loss plus MCC's class confusion on
the target posteriors (Jin et al. 2020, Sec. 4.3, Table 2: MCC added to
DANN and CDAN improves both):

L = L_DANN + mu L_MCC(G_y(G_f(x_t)))  (serda.methods.dann, serda.losses.mcc).

Settings: DANN's, plus ``adapt.mcc_weight`` (mu) and ``adapt.temperature`` (T).
"""
from dataclasses import dataclass

from serda.losses.mcc import mcc_loss
from serda.methods import register
from serda.methods.dann import DANN, DANNAdapt
from serda.methods.mcc import MCCAdapt


@dataclass
class DANNMCCAdapt(MCCAdapt, DANNAdapt):
    """DANN's settings, then MCC's."""


@register("dann_mcc")
class DANNMCC(DANN):
    Adapt = DANNMCCAdapt
    tasks = ("classification",)

    def losses(self, batch):
        out, z, ns = self.adversarial(batch)
        a = self.cfg.adapt
        out["mcc"] = a.mcc_weight * mcc_loss(self.task_head(z[ns:]), a.temperature)
        return out
