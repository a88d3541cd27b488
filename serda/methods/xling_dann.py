"""Cross-lingual DANN with a language classifier and a choice of where
BatchNorm normalises (Cai, Wu, Zhong, Su, Dai & Meng, Interspeech 2021).

The encoder G_f (``conv_attention``) gives z (rows, D); a BatchNorm layer,
then dropout (``adapt.dropout``, the paper's 0.7 "for the output of
encoder"), give the representation f that feeds the emotion classifier G_e
(source rows only) and, behind a GRL of scale beta (``adapt.grl``), the
language classifier G_l (source and target rows; source = 0, target = 1):

    L   = alpha L_e + (1 - alpha) L_l                               (Eq. 7)
    L_e = -1/n sum_{D_s} y^T log G_e(f)                             (Eq. 5)
    L_l = -1/(n + m) sum_{D_s u D_t} y_l^T log G_l(R(f))            (Eq. 6)

so that G_e descends alpha dL_e, G_l descends (1 - alpha) dL_l and G_f
descends alpha dL_e - (1 - alpha) beta dL_l (Eqs. 8-10). ``adapt.alpha``
is alpha. Where BatchNorm sits (``adapt.bn``, the paper's Tables 2-3), for a
batch of B source rows and B target rows:

``bn1``  one BN over the whole mixed batch (2B rows); G_e reads its source
         half, G_l all of it;
``bn2``  the same BN layer twice: over the source half for G_e (its running
         statistics are the source rows'), over the whole batch for G_l
         (batch statistics, its running averages untouched);
``bn3``  separate BN layers for the source and the target half (each its own
         statistics and affine); G_e reads the source one, G_l both;
``bn4``  single-domain batches in turn: a source batch (G_e and G_l on it),
         then a target batch (G_l on it), each through the one BN layer;
``none`` no BatchNorm (Table 2).

At test time every row goes through the BN layer that normalised G_e's
training rows, with its running statistics. ``adapt.adversarial: false``
drops G_l (and the target rows): the paper's *base* and, trained on the
target corpus, *mono*. Loss names: ``emotion`` (alpha L_e), ``language``
((1 - alpha) L_l); monitored ``_lang_uar`` (G_l's unweighted recall over
source and target rows).
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from serda.config import MLPConfig, ScheduleConfig
from serda.losses.domain import source_target_loss
from serda.losses.grl import grad_reverse
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.blocks import Dropout
from serda.nets.mlp import MLP
from serda.settings import section, setting

PLACEMENTS = ("bn1", "bn2", "bn3", "bn4", "none")


def _single_layer():
    return MLPConfig(layers=0, dropout=0.0, batchnorm=False)


@dataclass
class XlingModel(TaskModel):
    task_head: MLPConfig = section(_single_layer)      # G_e: one dense softmax layer
    domain_head: MLPConfig = section(_single_layer)    # G_l: one dense softmax layer


@dataclass
class XlingAdapt:
    adversarial: bool = setting(True,
                                help="train the language classifier behind the GRL (false: the "
                                     "emotion loss alone)")
    bn: str = setting("bn1", choices=PLACEMENTS,
                      help="where BatchNorm normalises the source and target rows (Cai et al. "
                           "Tables 2-3)")
    alpha: float = setting(0.5, above=0.0, below=1.0,
                           help="alpha of Eq. 7: L = alpha L_e + (1 - alpha) L_l")
    grl: ScheduleConfig = section(ScheduleConfig)      # beta (constant 1.0 unless set)
    dropout: float = setting(0.7, at_least=0.0, below=1.0,
                             help="dropout rate on the encoder's output")


def language_uar(logits, n_source):
    """Mean of the language classifier's recall on the source rows (class 0)
    and on the target rows (class 1)."""
    pred = logits.argmax(dim=1)
    return 0.5 * ((pred[:n_source] == 0).float().mean() + (pred[n_source:] == 1).float().mean())


@register("xling_dann")
class XlingDANN(Method):
    Model = XlingModel
    Adapt = XlingAdapt
    parts = ("encoder", "norm", "task_head", "domain_head")
    tasks = ("classification",)

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        a, d = cfg.adapt, self.encoder.out_dim
        names = {"bn3": ("source", "target"), "none": ()}.get(a.bn, ("source",))
        self.norm = nn.ModuleDict({n: nn.BatchNorm1d(d) for n in names})
        self.dropout = Dropout(a.dropout) if a.dropout > 0 else nn.Identity()
        self.domain_head = MLP(d, cfg.model.domain_head, 2) if a.adversarial else nn.Identity()

    @classmethod
    def reads_target(cls, cfg):
        return cfg.adapt.adversarial

    def schedules(self):
        return {"lambda": self.cfg.adapt.grl} if self.cfg.adapt.adversarial else {}

    def steps(self):
        if not self.cfg.adapt.adversarial:
            return [Step("main", ("encoder", "norm", "task_head"), self.source_losses)]
        if self.cfg.adapt.bn == "bn4":
            return [Step("source", self.parts, self.source_losses),
                    Step("target", ("encoder", "norm", "domain_head"), self.target_losses)]
        return [Step("main", self.parts, self.mixed_losses)]

    # ------------------------------------------------------------ pieces
    def normalised(self, z, which="source"):
        """BatchNorm of z with the layer ``which`` (identity without BN)."""
        return self.norm[which](z) if which in self.norm else z

    def _whole_batch_norm(self, z):
        """bn2's language path: the source layer's affine on the batch's own
        statistics, running averages untouched."""
        bn = self.norm["source"]
        return F.batch_norm(z, None, None, bn.weight, bn.bias, True, 0.0, bn.eps)

    def _emotion(self, f_source, ys):
        return self.cfg.adapt.alpha * self.task_loss(self.task_head(self.dropout(f_source)), ys)

    def _language(self, f, n_source):
        logits = self.domain_head(self.dropout(grad_reverse(f, self.scheduled["lambda"])))
        # Eq. 6: one mean over the n + m rows, source = 0, target = 1
        loss = source_target_loss(logits, n_source, "mean")
        return (1.0 - self.cfg.adapt.alpha) * loss, logits

    # ------------------------------------------------------------ losses
    def source_losses(self, batch):
        """base / mono (no G_l), or bn4's source batch (G_e and G_l on it)."""
        f = self.normalised(self.encoder(batch.xs))
        out = {"emotion": self._emotion(f, batch.ys)}
        if self.cfg.adapt.adversarial:
            out["language"], logits = self._language(f, f.shape[0])
            out["_lang_acc"] = (logits.argmax(1) == 0).float().mean()
        return out

    def target_losses(self, batch):
        """bn4's target batch: G_l alone on it (language 1)."""
        f = self.normalised(self.encoder(batch.xt))
        loss, logits = self._language(f, 0)
        return {"language": loss, "_lang_acc": (logits.argmax(1) == 1).float().mean()}

    def mixed_losses(self, batch):
        """bn1, bn2, bn3, none: one batch of B source and B target rows."""
        n = batch.xs.shape[0]
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        bn = self.cfg.adapt.bn
        if bn == "bn1":
            f = self.normalised(z)
            f_emotion = f[:n]
        elif bn == "bn2":
            f_emotion = self.normalised(z[:n])
            f = self._whole_batch_norm(z)
        elif bn == "bn3":
            f_emotion = self.normalised(z[:n])
            f = torch.cat([f_emotion, self.normalised(z[n:], "target")])
        else:
            f = z
            f_emotion = z[:n]
        out = {"emotion": self._emotion(f_emotion, batch.ys)}
        out["language"], logits = self._language(f, n)
        out["_lang_uar"] = language_uar(logits, n)
        return out

    # ------------------------------------------------------------ inference
    def embed(self, x):
        """The representation f (N, D): encoder output after BatchNorm."""
        return self.normalised(self.encoder(x))

    def predict(self, x):
        return self.task_head(self.dropout(self.embed(x)))

    def domain_logits(self, x):
        if not self.cfg.adapt.adversarial:
            return None
        return self.domain_head(self.dropout(self.embed(x)))
