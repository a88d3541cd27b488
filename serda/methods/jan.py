"""JAN: joint adaptation network (Long et al. 2017, ICML, Eq. 10) on the
joint distribution of the encoder output and the task output:

L = L_task(G_y(G_f(x_s)), y_s) + lambda JMMD^2({z_s, g_s}, {z_t, g_t}),

z = G_f(x), g = softmax(G_y(z)) (the prediction itself for regression);
the joint kernel is the product of a Gaussian family on z (DAN's) and one
Gaussian on g at the batch's mean squared distance (serda.losses.mmd).
Settings: ``adapt.jmmd_weight`` (lambda).
"""
from dataclasses import dataclass

from serda.losses.mmd import ALPHAS, joint_mmd
from serda.methods import register
from serda.methods._shared_pass import SharedPass
from serda.settings import setting


@dataclass
class JANAdapt:
    jmmd_weight: float = setting(1.0, at_least=0.0, help="lambda: weight of the JMMD^2")


@register("jan")
class JAN(SharedPass):
    Adapt = JANAdapt

    def adaptation(self, batch, z, out, ns):
        g = out.unsqueeze(1) if self.regression else out.softmax(dim=1)
        return {"jmmd": self.cfg.adapt.jmmd_weight * joint_mmd(
            [z[:ns], g[:ns]], [z[ns:], g[ns:]], [ALPHAS, (1.0,)])}
