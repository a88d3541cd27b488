"""CADA: class-wise adversarial domain adaptation (Zhou & Chen, ICASSP 2019).

Supervised few-shot DA: the source's labelled rows (xs, ys) and the few
labelled target rows (xl, yl) of ``train.target_shots``. Every labelled
example is relabelled into one of 2K domain-class categories: source class
k -> d_k = k, target class k -> d_{K+k} = K + k; the predictor G_p (the
task head) has 2K outputs on the encoder G_e. Each iteration:

(a) ``classify``: G_e and G_p minimise the cross-entropy over the 2K
    categories (Eq. 2)
        L_d = -1/(N+M) sum_i log G_p(G_e(x_i))[d(x_i)];
(b) ``confuse``: G_p frozen (no gradient reaches it), G_e minimises the
    swapped cross-entropy (Eq. 3): each source example of class k is pushed
    toward target category K + k, each target example of class k toward
    source category k,
        L_a = -1/(N+M) sum_i log G_p(G_e(x_i))[swap(d(x_i))],
    swap(k) = K + k, swap(K + k) = k.

(The paper sums over examples; serda averages over the batch, a constant
factor.) Prediction: category k or K + k both mean class k; serda scores
class k by the sum of the two probabilities, p_k + p_{K+k}, the probability
of class k marginalised over the domain (the paper: "treat either the
prediction d1 or d3 as Class 1"; the sum gives the same decision as the
arg-max when one domain dominates and uses both when they split).
``predict`` returns log(p_k + p_{K+k}) (N, K), so its softmax is that
distribution.
"""
import torch
import torch.nn.functional as F

from serda.methods import register
from serda.methods.base import Method, Step
from serda.nets.mlp import MLP


def domain_class_labels(ys, yl, n_classes):
    """d of (B,) source and (L,) target classes: source k -> k, target k -> K + k."""
    return torch.cat([ys, yl + n_classes])


def swapped_labels(d, n_classes):
    """Eq. 3's targets: k -> K + k and K + k -> k."""
    return torch.where(d < n_classes, d + n_classes, d - n_classes)


def class_log_probs(logits, n_classes):
    """(N, 2K) domain-class logits -> (N, K) log(p_k + p_{K+k})."""
    p = logits.softmax(dim=1)
    return torch.log(p[:, :n_classes] + p[:, n_classes:] + 1e-12)


@register("cada")
class CADA(Method):
    uses_target_labels = True
    tasks = ("classification",)
    class_weighted = False   # its loss is over 2K domain-class categories

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__(cfg, input_shape, out_dim, domain_sizes)
        self.task_head = MLP(self.encoder.out_dim, cfg.model.task_head, 2 * out_dim)

    def steps(self):
        return [Step("classify", ("encoder", "task_head"), self.classify_losses),
                Step("confuse", ("encoder",), self.confuse_losses)]

    def _logits_and_categories(self, batch):
        logits = self.task_head(self.encoder(torch.cat([batch.xs, batch.xl])))
        return logits, domain_class_labels(batch.ys, batch.yl, self.out_dim)

    def classify_losses(self, batch):
        logits, d = self._logits_and_categories(batch)
        return {"domain_class": F.cross_entropy(logits, d),
                "_acc": (logits.argmax(1) == d).float().mean()}

    def confuse_losses(self, batch):
        logits, d = self._logits_and_categories(batch)
        return {"swapped": F.cross_entropy(logits, swapped_labels(d, self.out_dim))}

    def predict(self, x):
        return class_log_probs(self.task_head(self.encoder(x)), self.out_dim)
