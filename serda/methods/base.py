"""What every method provides, and the batch it receives.

A method file declares its class (``@register("<name>")``) with

- ``Model``: a dataclass of its parts' settings, the ``model`` section of a
  config (``encoder`` is shared; a method adds its heads and their sizes);
- ``Adapt``: a dataclass of its loss weights, schedules and step counts,
  the ``adapt`` section;
- ``parts``: the attribute names of its nn.Modules (encoder first);
- what its batches carry: ``uses_target`` (unlabelled target rows),
  ``uses_target_labels`` (the few labelled target rows of
  ``train.target_shots``) and :meth:`domain_attributes` (per-row integer
  codes of data-dir attributes: ``corpus``, ``spk``, ``gender``, ``lang``);
- :meth:`steps`: the update steps of one iteration (which named losses
  update which parts, how many times) and :meth:`schedules`: the
  coefficients the trainer sets from the epoch (e.g. the GRL's lambda).

The trainer owns optimisers, clipping, constraints, checkpoints and
logging, and never branches on a method's name.
"""
import abc
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from serda.config import MLPConfig, ModelConfig, NoAdapt
from serda.nets import build_encoder
from serda.nets.mlp import MLP
from serda.settings import section

@dataclass
class Batch:
    """One training iteration's rows (``...`` = the row shape: (D,) vectors
    or (T, F) frames).

    xs (B, ...) labelled rows and ys (B,) their targets (float for
    regression, int64 classes otherwise); xt (B', ...) unlabelled target
    rows (methods with ``uses_target``); xl (L, ...) and yl (L,) labelled
    target rows (``uses_target_labels``); ds, dt, dl: {attribute: (rows,)
    int64 codes} of the rows of xs, xt and xl for the method's
    :meth:`Method.domain_attributes`; pt (B',) and wt (B',): pseudo-labels
    of the xt rows and their 0/1 weights (methods with ``pseudo_labels``).
    """
    xs: torch.Tensor
    ys: torch.Tensor
    xt: torch.Tensor = None
    xl: torch.Tensor = None
    yl: torch.Tensor = None
    ds: dict = None
    dt: dict = None
    dl: dict = None
    pt: torch.Tensor = None
    wt: torch.Tensor = None

    def tree(self):
        """The fields that are set, as a dict (a pytree torch.func can map over)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def weights_classes(cfg, method_cls):
    """True when a run of config ``cfg`` with method class ``method_cls``
    weights its classes (``task.class_weights`` balanced, or auto with a
    classification task and a method that honours it)."""
    mode = cfg.task.class_weights
    return mode == "balanced" or (mode == "auto" and cfg.task.type == "classification"
                                  and method_cls.class_weighted)


def class_weights(y, n_classes):
    """(K,) inverse class frequencies N / (K n_c) of the (N,) class indices
    ``y`` (sklearn's "balanced"); a class absent from ``y`` gets 0."""
    counts = torch.bincount(torch.as_tensor(y).long().flatten(), minlength=n_classes).float()
    w = counts.sum() / (n_classes * counts.clamp(min=1))
    return torch.where(counts > 0, w, torch.zeros_like(w))


@dataclass
class TaskModel(ModelConfig):
    task_head: MLPConfig = section(MLPConfig)


@dataclass
class Step:
    """One update: minimise the sum of ``loss(batch)``'s entries whose name
    does not start with ``_`` (those are monitored only) over the
    parameters of ``parts``, ``repeat`` times per iteration, in epochs
    ``first_epoch`` .. ``last_epoch`` (None: to the end). The other parts
    are frozen while it runs: no gradient reaches them."""
    name: str
    parts: tuple
    loss: object
    repeat: int = 1
    first_epoch: int = 0
    last_epoch: int = None

    def runs_in(self, epoch):
        return self.first_epoch <= epoch and (self.last_epoch is None or epoch <= self.last_epoch)


class Method(nn.Module, metaclass=abc.ABCMeta):
    """Base of all methods: an encoder (``model.encoder``) and a task head.

    ``input_shape``: the shape of one row ((D,) or (T, F)); ``out_dim``: 1
    for regression, the number of classes otherwise; ``domain_sizes``:
    {attribute: number of codes} of :meth:`domain_attributes`.
    """
    name = None
    Model = TaskModel
    Adapt = NoAdapt
    parts = ("encoder", "task_head")
    tasks = ("regression", "classification")   # the task types it can train
    uses_target = False
    uses_target_labels = False
    pseudo_labels = False      # batches carry pt / wt (see pseudo_portion)
    target_statistics = False  # BatchNorm statistics of the target set before evaluation (AdaBN)
    class_weighted = True   # its task loss honours task.class_weights (self.task_loss)

    def __init__(self, cfg, input_shape, out_dim, domain_sizes=None):
        super().__init__()
        self.cfg = cfg
        self.regression = cfg.task.type == "regression"
        self.out_dim = out_dim
        self.domain_sizes = dict(domain_sizes or {})
        self.scheduled = {name: 0.0 for name in self.schedules()}
        self.encoder = build_encoder(cfg.model.encoder, input_shape, cfg.input.layout)
        self.task_head = MLP(self.encoder.out_dim, cfg.model.task_head, out_dim)

    # ---------------------------------------------------------- interface
    def forward(self, batch, step_index):
        """Losses of step ``step_index`` on ``batch`` (a Batch or its
        :meth:`Batch.tree`; the functional form vectorised trials call)."""
        if isinstance(batch, dict):
            batch = Batch(**batch)
        return self.steps()[step_index].loss(batch)

    @abc.abstractmethod
    def steps(self):
        """The update steps of one iteration, in order (a list of Step)."""

    def schedules(self):
        """{name: ScheduleConfig} of coefficients set from the training
        progress; the current values are in ``self.scheduled``."""
        return {}

    @classmethod
    def reads_target(cls, cfg):
        """True when batches carry unlabelled target rows for config ``cfg``
        (``uses_target``; a method whose settings decide overrides it)."""
        return cls.uses_target

    @classmethod
    def domain_attributes(cls, cfg):
        """Data-dir attributes (``corpus``, ``spk``, ``gender``, ``lang`` or any
        ``utt2<name>`` table) whose per-row codes the batches carry for a
        config ``cfg``; ``domain_sizes`` gives each one's number of codes."""
        return ()

    def pseudo_portion(self, epoch):
        """Methods with ``pseudo_labels``: the share of each predicted class
        kept as pseudo-labels in ``epoch`` (0: none)."""
        return 0.0

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
        """MSE (regression) or cross-entropy (classification; with
        ``task.class_weights: balanced`` each row weighted by its class'
        weight, normalised by the batch's total weight, as torch's weighted
        cross-entropy)."""
        if self.regression:
            return F.mse_loss(pred, y)
        return F.cross_entropy(pred, y, weight=getattr(self, "class_weight", None))

    def load_trained_state(self, state):
        """load_state_dict that also takes a state with class weights
        (``task.class_weights: balanced``) into a method built without them."""
        state = dict(state)
        if "class_weight" in state and not hasattr(self, "class_weight"):
            self.register_buffer("class_weight", torch.zeros_like(state["class_weight"]))
        if hasattr(self, "class_weight") and "class_weight" not in state:
            state["class_weight"] = self.class_weight
        self.load_state_dict(state)

    def set_class_weights(self, y):
        """``task.class_weights: balanced``: w_c = N / (K n_c) from the (N,)
        class indices ``y`` of the labelled training rows (a buffer, so each
        vectorised trial and fold keeps its own)."""
        self.register_buffer("class_weight", class_weights(y, self.out_dim))

    def parameters_of(self, parts):
        return [p for part in parts for p in getattr(self, part).parameters()]

    def constrained_weights(self):
        """{parameter name: max norm} of every max-norm constrained weight."""
        out = {}
        for part in self.parts:
            module = getattr(self, part)
            for name, max_norm in getattr(module, "constrained_weights", dict)().items():
                out[f"{part}.{name}"] = max_norm
        return out
