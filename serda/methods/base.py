"""What every method provides, and the batch it receives."""
import abc
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from serda.nets.mlp import MLP


@dataclass
class Batch:
    """One training iteration's data.

    xs (B, ...) labelled inputs, ys (B,) their targets (float for
    regression, int64 class indices for classification); xt (B', ...)
    unlabelled target inputs, or None for methods that do not use them.
    """
    xs: torch.Tensor
    ys: torch.Tensor
    xt: torch.Tensor = None


@dataclass
class Step:
    """One update: minimise the sum of ``loss(batch)``'s entries whose name
    does not start with ``_`` (those are monitored only) over the
    parameters of ``parts``, ``repeat`` times per iteration."""
    name: str
    parts: tuple
    loss: object
    repeat: int = 1


class Method(nn.Module, metaclass=abc.ABCMeta):
    """Base of all methods.

    Subclasses build their parts in ``__init__`` (attributes that are
    nn.Modules, listed in ``parts``) and return their update steps from
    :meth:`steps`. ``coef`` is the GRL coefficient, set each epoch by the
    trainer's schedule. ``uses_target``: batches carry unlabelled target
    inputs. ``out_dim``: 1 for regression, the number of classes otherwise.
    """
    name = None
    parts = ("encoder", "task_head")
    uses_target = False

    def __init__(self, cfg, in_dim, out_dim):
        super().__init__()
        self.cfg = cfg
        self.regression = cfg.task.type == "regression"
        self.out_dim = out_dim
        self.coef = 0.0
        self.encoder = MLP(in_dim, cfg.model.encoder)
        self.task_head = MLP(self.encoder.out_dim, cfg.model.task_head, out_dim)

    # ---------------------------------------------------------- interface
    def forward(self, batch, step_index):
        """Losses of step ``step_index`` on ``batch`` (the functional form the
        vectorised trials call through torch.func)."""
        return self.steps()[step_index].loss(batch)

    @abc.abstractmethod
    def steps(self):
        """The update steps of one iteration, in order (a list of Step)."""

    def predict(self, x):
        """Task output: (N,) for regression, (N, classes) logits otherwise."""
        return self._task(self.task_head, self.encoder(x))

    def domain_logits(self, x):
        """(N, 2) source/target logits when the method has a domain head."""
        return None

    # ------------------------------------------------------------ helpers
    def _task(self, head, z):
        out = head(z)
        return out.squeeze(1) if self.regression else out

    def task_loss(self, pred, y):
        """MSE (regression) or cross-entropy (classification)."""
        return F.mse_loss(pred, y) if self.regression else F.cross_entropy(pred, y)

    def parameters_of(self, parts):
        return [p for part in parts for p in getattr(self, part).parameters()]

    def apply_constraints(self):
        for part in self.parts:
            module = getattr(self, part)
            if hasattr(module, "apply_max_norm"):
                module.apply_max_norm()

    def constrained_weights(self):
        """{parameter name: max norm} of every max-norm constrained weight."""
        out = {}
        for part in self.parts:
            module = getattr(self, part)
            for name in getattr(module, "max_norm_weights", lambda: [])():
                out[f"{part}.{name}"] = module.max_norm
        return out
