"""What the adaptive methods built on one shared encoder pass have in common.

:class:`SharedPass` encodes a batch's labelled source rows and unlabelled
target rows together, z = G_f([x_s; x_t]) (n + m, D), and gives the
source task loss and the target logits every loss of serda.losses reads;
a method adds its terms in :meth:`SharedPass.adaptation`.
"""
import abc

import torch

from serda.methods.base import Method, Step


class SharedPass(Method):
    uses_target = True

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def losses(self, batch):
        ns = batch.xs.shape[0]
        z = self.encoder(torch.cat([batch.xs, batch.xt]))
        out = self._task(self.task_head, z)
        return {"task": self.task_loss(out[:ns], batch.ys),
                **self.adaptation(batch, z, out, ns)}

    @abc.abstractmethod
    def adaptation(self, batch, z, out, ns):
        """{loss name: weighted term} from the encoder outputs z (n + m, D),
        the task outputs ``out`` (n + m, C) or (n + m,) and the number of
        source rows ``ns``."""
