"""FADA: few-shot adversarial domain adaptation (Motiian et al., NeurIPS 2017).

Encoder g (``model.encoder``), classifier h (``model.task_head``) and a
domain-class discriminator DCD (``model.dcd``) over pairs of embeddings
[g(x_a); g(x_b)] (2D -> 4 groups). The four groups of pairs:

    G1  source, source, same class        G2  source, target, same class
    G3  source, source, different class   G4  source, target, different class

In each batch every one of the L labelled target rows (``train.target_shots``)
is paired with a source row of its class and one of another class (G2,
G4), and min(L, B) source rows each with a source row of its class and one
of another (G1, G3), partners drawn at random among the batch's
source rows; a pair's group follows its classes (a batch without a
partner of the wanted class gives the other group). Training in three
stages (``adapt``):

1. ``source`` (epochs < source_epochs): g, h minimise CE(h(g(x_s)), y_s);
2. ``dcd`` (from then on): g frozen, the DCD minimises the 4-group
   cross-entropy on all pairs;
3. ``adapt`` (from source_epochs + dcd_epochs on, alternating with ``dcd``):
   the DCD frozen, g and h minimise
       CE(h(g(x_s)), y_s) + CE(h(g(x_t)), y_t)
       + gamma (CE(DCD(G2 pairs), G1) + CE(DCD(G4 pairs), G3)),
   i.e. g is trained so that the DCD cannot tell a cross-domain pair from a
   source pair of the same class relation, while h keeps separating classes.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from serda.config import MLPConfig
from serda.methods import register
from serda.methods.base import Method, Step, TaskModel
from serda.nets.mlp import MLP
from serda.settings import section, setting

G1, G2, G3, G4 = 0, 1, 2, 3


@dataclass
class FADAModel(TaskModel):
    dcd: MLPConfig = section(lambda: MLPConfig(layers=2, hidden=64, dropout=0.0))


@dataclass
class FADAAdapt:
    source_epochs: int = setting(10, at_least=0,
                                 help="stage 1: epochs training encoder and classifier on the "
                                      "source")
    dcd_epochs: int = setting(5, at_least=0,
                              help="stage 2: epochs training the domain-class discriminator alone")
    gamma: float = setting(0.2, at_least=0.0,
                           help="weight of the adversarial (DCD confusion) term")


def partners(y_anchor, y_pool, same, exclude_self=False):
    """For each anchor (A,), the index of a random row of ``y_pool`` (P,) of
    the same (``same``) or of another class; the other kind when there is
    none. ``exclude_self``: anchor i is pool row i and is never its own partner."""
    match = (y_anchor[:, None] == y_pool[None, :]) == same
    score = torch.rand(y_anchor.shape[0], y_pool.shape[0], device=y_pool.device) + 2.0 * match
    if exclude_self:
        score = score - 4.0 * torch.eye(y_anchor.shape[0], y_pool.shape[0], device=y_pool.device)
    return score.argmax(dim=1)


def pair_groups(ys, yl):
    """(source-source pairs (a, b), their groups, source-target pairs
    (source index, target index), their groups) for a batch's source
    classes ``ys`` (B,) and target classes ``yl`` (L,): every target row
    and min(L, B) source rows are anchors."""
    n = min(yl.shape[0], ys.shape[0])
    anchors = torch.arange(n, device=ys.device)
    ss_b = torch.cat([partners(ys[:n], ys, True, exclude_self=True),
                      partners(ys[:n], ys, False)])
    ss_a = torch.cat([anchors, anchors])
    ss_group = torch.where(ys[ss_a] == ys[ss_b], G1, G3)
    targets = torch.arange(yl.shape[0], device=ys.device)
    st_s = torch.cat([partners(yl, ys, True), partners(yl, ys, False)])
    st_t = torch.cat([targets, targets])
    st_group = torch.where(ys[st_s] == yl[st_t], G2, G4)
    return (ss_a, ss_b), ss_group, (st_s, st_t), st_group


@register("fada")
class FADA(Method):
    Model = FADAModel
    Adapt = FADAAdapt
    parts = ("encoder", "task_head", "dcd")
    uses_target_labels = True
    tasks = ("classification",)

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        self.dcd = MLP(2 * self.encoder.out_dim, cfg.model.dcd, 4)

    def steps(self):
        a = self.cfg.adapt
        return [Step("source", ("encoder", "task_head"), self.source_losses,
                     last_epoch=a.source_epochs - 1 if a.source_epochs else -1),
                Step("dcd", ("dcd",), self.dcd_losses, first_epoch=a.source_epochs),
                Step("adapt", ("encoder", "task_head"), self.adapt_losses,
                     first_epoch=a.source_epochs + a.dcd_epochs)]

    def _pairs(self, batch):
        zs, zl = self.encoder(batch.xs), self.encoder(batch.xl)
        (a, b), ss_group, (s, t), st_group = pair_groups(batch.ys, batch.yl)
        ss = torch.cat([zs[a], zs[b]], dim=1)
        st = torch.cat([zs[s], zl[t]], dim=1)
        return zs, zl, ss, ss_group, st, st_group

    def source_losses(self, batch):
        return {"task": self.task_loss(self.predict(batch.xs), batch.ys)}

    def dcd_losses(self, batch):
        _, _, ss, ss_group, st, st_group = self._pairs(batch)
        logits = self.dcd(torch.cat([ss, st]))
        groups = torch.cat([ss_group, st_group])
        return {"dcd": F.cross_entropy(logits, groups),
                "_dcd_acc": (logits.argmax(1) == groups).float().mean()}

    def adapt_losses(self, batch):
        zs, zl, _, _, st, st_group = self._pairs(batch)
        confused = torch.where(st_group == G2, G1, G3)   # cross-domain pairs as source pairs
        return {"task": self.task_loss(self.task_head(zs), batch.ys),
                "task_target": self.task_loss(self.task_head(zl), batch.yl),
                "confusion": self.cfg.adapt.gamma * F.cross_entropy(self.dcd(st), confused)}
