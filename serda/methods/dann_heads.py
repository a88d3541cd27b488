"""DANN with one domain head per data-dir attribute and an optional center
loss (Gao, Okada, Wang, Liu & Dang, ICASSP 2022, Eqs. 1-6).

The encoder G (e.g. ``cnn_blstm``) gives embeddings z (rows, D). The
emotion classifier (the task head) reads the labelled rows' z directly;
every domain head h_a (one per attribute a of ``adapt.domain_heads``: spk,
gender, lang, corpus or any utt2<a> table) reads z through one gradient
reversal layer of coefficient gamma (``adapt.grl``; Gao et al. set
gamma = -0.3, i.e. a GRL coefficient 0.3):

    L   = L_E + w L_D                                             (Eq. 1)
    L_D = sum_a CE(h_a(GRL_gamma(z)), a)                          (Eq. 2)
    L_E = lambda CE(task_head(z_s), y_s) + (1 - lambda) Center(z_s, c)   (Eq. 6)

with lambda = ``adapt.softmax_weight`` (1: softmax only, "S"; Gao et al.'s
S+C: 0.5) and Center the mean squared distance of each labelled row's
embedding to its class centre (serda.losses.center, Eq. 4); the centres
(K, D), a buffer, move towards their classes' rows once per mini-batch at
rate ``adapt.center_rate`` (Wen et al.'s update, Eq. 5). The GRL makes one
minimisation train every head to tell its attribute apart and the encoder
to confuse them all. Which rows the heads see is ``adapt.domain_rows``:
``labelled_and_target`` (the labelled rows and as many unlabelled target
rows per batch: cross-corpus training, where the target corpora bring the
other corpora and languages) or ``labelled`` (multi-corpus training, whose
labelled rows already span every corpus). With no heads and lambda = 1 it
is the CNN-BLSTM baseline.

Loss names: ``task`` (lambda CE), ``center`` ((1 - lambda) Center),
``domain_<a>`` (w CE of head a); monitored: ``_acc_<a>`` (head a's accuracy).
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from serda.config import MLPConfig, ScheduleConfig
from serda.losses.center import center_loss, update_centers_
from serda.losses.domain import domain_accuracy
from serda.losses.grl import grad_reverse
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.mlp import MLP
from serda.settings import list_setting, section, setting


def _gao_grl():
    return ScheduleConfig(schedule="constant", max=0.3)


@dataclass
class HeadsModel(TaskModel):
    domain_head: MLPConfig = section(MLPConfig)   # the shape of every domain head


@dataclass
class HeadsAdapt:
    domain_heads: list = list_setting([],
                                      help="one adversarial domain head per attribute (spk, "
                                           "gender, lang, corpus or any utt2<name>)")
    domain_rows: str = setting("labelled_and_target", choices=("labelled_and_target", "labelled"),
                               help="rows the domain heads see: labelled_and_target "
                                    "(cross-corpus) or labelled (multi-corpus)")
    grl: ScheduleConfig = section(_gao_grl)       # gamma: constant 0.3 (Gao et al.)
    domain_weight: float = setting(1.0, at_least=0.0,
                                   help="w: weight of the summed domain losses (Eq. 1)")
    softmax_weight: float = setting(1.0, at_least=0.0,
                                    help="lambda of Eq. 6: 1 = softmax only, 0.5 = softmax + "
                                         "center loss")
    center_rate: float = setting(0.5, above=0.0,
                                 help="alpha: rate at which class centres move towards their rows "
                                      "(Eq. 5)")


@register("dann_heads")
class DANNHeads(Method):
    Model = HeadsModel
    Adapt = HeadsAdapt
    parts = ("encoder", "task_head", "domain_head")
    tasks = ("classification",)

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        if not 0.0 <= cfg.adapt.softmax_weight <= 1.0:
            raise ValueError(f"adapt.softmax_weight (lambda of Eq. 6) must be in [0, 1], "
                             f"not {cfg.adapt.softmax_weight}")
        self.domain_head = nn.ModuleDict({
            a: MLP(self.encoder.out_dim, cfg.model.domain_head, self.domain_sizes[a])
            for a in cfg.adapt.domain_heads})
        self.register_buffer("centers", torch.zeros(out_dim, self.encoder.out_dim))

    @classmethod
    def reads_target(cls, cfg):
        return bool(cfg.adapt.domain_heads) and cfg.adapt.domain_rows == "labelled_and_target"

    @classmethod
    def domain_attributes(cls, cfg):
        return tuple(cfg.adapt.domain_heads)

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def schedules(self):
        return {"lambda": self.cfg.adapt.grl} if self.cfg.adapt.domain_heads else {}

    def losses(self, batch):
        adapt = self.cfg.adapt
        with_target = batch.xt is not None and self.domain_head
        z = self.encoder(torch.cat([batch.xs, batch.xt]) if with_target else batch.xs)
        zs = z[:batch.xs.shape[0]]
        lam = adapt.softmax_weight
        out = {"task": lam * self.task_loss(self.task_head(zs), batch.ys)}
        if lam < 1.0:
            out["center"] = (1.0 - lam) * center_loss(zs, batch.ys, self.centers)
            update_centers_(self.centers, zs, batch.ys, adapt.center_rate)
        if self.domain_head:
            reversed_z = grad_reverse(z, self.scheduled["lambda"])
            for a, head in self.domain_head.items():
                codes = torch.cat([batch.ds[a], batch.dt[a]]) if with_target else batch.ds[a]
                logits = head(reversed_z)
                out[f"domain_{a}"] = adapt.domain_weight * F.cross_entropy(logits, codes)
                out[f"_acc_{a}"] = domain_accuracy(logits, codes)
        return out

    def embed(self, x):
        """The embeddings (N, D) the classifier, the center loss and the heads read."""
        return self.encoder(x)
