"""The one training loop every method runs through.

Per epoch: the schedule sets the GRL coefficient (``method.coef``); the
labelled set is shuffled and cut into batches of ``train.batch_size``; a
method that uses target data gets as many target rows per batch, drawn
without replacement from a fresh permutation of the unlabelled target set
(|S| draws per epoch, repeated permutations when the target set is
smaller); each batch runs the method's steps (one optimiser per step,
gradient clipping, then the method's weight constraints). After the epoch:
dev metrics, domain accuracy, a line of ``metrics.jsonl``, model selection
and the checkpoint ``last.pt`` (model, optimisers, random states), so a
killed run resumes and ends exactly as an uninterrupted one.
"""
import math
from pathlib import Path

import torch
from tqdm import tqdm

from serda.methods.base import Batch
from serda.train.checkpoint import load_checkpoint, save_checkpoint
from serda.train.evaluate import evaluate_method
from serda.train.schedules import schedule_value
from serda.train.trial_log import TrialLog

MIN_BATCH = 2  # BatchNorm needs at least two rows


def make_optimizer(cfg, params):
    if cfg.name == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.name == "adadelta":
        return torch.optim.Adadelta(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=0.9, weight_decay=cfg.weight_decay)


def target_draws(n_target, n_draws, generator):
    """``n_draws`` indices into the target set: concatenated permutations."""
    reps = math.ceil(n_draws / n_target)
    return torch.cat([torch.randperm(n_target, generator=generator)
                      for _ in range(reps)])[:n_draws]


def average_losses(updates):
    """Mean of each "<step>/<loss>" over an epoch's updates.

    ``updates``: iterable of (step name, {loss name: value}); values may be
    floats or per-trial tensors.
    """
    sums, counts = {}, {}
    for step_name, losses in updates:
        for k, v in losses.items():
            key = f"{step_name}/{k}"
            sums[key] = sums.get(key, 0.0) + v
            counts[key] = counts.get(key, 0) + 1
    return {k: v / counts[k] for k, v in sums.items()}


def epoch_batches(n, batch_size, n_target, generator):
    """Index pairs (labelled rows, target rows or None) of one epoch.

    The labelled set is shuffled and cut into batches; with ``n_target``
    each batch gets as many target rows, |S| draws per epoch. Batches
    smaller than MIN_BATCH are skipped.
    """
    order = torch.randperm(n, generator=generator)
    draws = target_draws(n_target, n, generator) if n_target else None
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        if idx.numel() >= MIN_BATCH:
            yield idx, (draws[start:start + batch_size] if draws is not None else None)


class Trainer:
    """Train ``method`` with config ``cfg``, writing into ``out_dir``.

    ``labelled``: the SetTensors trained on; ``target``: unlabelled target
    SetTensors (methods with ``uses_target``); ``dev``: {"source_dev": ...,
    "target_dev": ...} SetTensors with labels (either may be missing).
    """

    def __init__(self, method, cfg, out_dir, labelled, target=None, dev=None, seed=1,
                 progress=True):
        self.method, self.cfg = method, cfg
        self.out_dir = Path(out_dir)
        self.labelled, self.target, self.dev = labelled, target, dev or {}
        self.seed = seed
        self.progress = progress
        if method.uses_target and target is None:
            raise ValueError(f"method '{method.name}' needs unlabelled target data")
        self.steps = method.steps()
        self.optimizers = {s.name: make_optimizer(cfg.optim, method.parameters_of(s.parts))
                           for s in self.steps}
        self.generator = torch.Generator().manual_seed(seed)
        self.log = TrialLog(out_dir, cfg.train.select, method.regression, seed)
        self.epoch = 0

    # ------------------------------------------------------------ state
    def state(self):
        return {"epoch": self.epoch, "method": self.method.state_dict(),
                "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()},
                "generator": self.generator.get_state(), "torch_rng": torch.get_rng_state(),
                "log": self.log.state()}

    def restore(self, state):
        self.epoch = state["epoch"]
        self.method.load_state_dict(state["method"])
        for k, o in self.optimizers.items():
            o.load_state_dict(state["optimizers"][k])
        self.generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        self.log.restore(state["log"])

    # ------------------------------------------------------------- loop
    def batches(self):
        n_target = self.target.x.shape[0] if self.method.uses_target else 0
        for idx, tidx in epoch_batches(self.labelled.x.shape[0], self.cfg.train.batch_size,
                                       n_target, self.generator):
            xt = self.target.x[tidx] if tidx is not None else None
            yield Batch(self.labelled.x[idx], self.labelled.y[idx], xt)

    def apply_step(self, step, batch):
        """One update of ``step`` on ``batch``; returns its losses (floats)."""
        opt = self.optimizers[step.name]
        params = self.method.parameters_of(step.parts)
        opt.zero_grad(set_to_none=True)
        losses = step.loss(batch)
        total = sum(v for k, v in losses.items() if not k.startswith("_"))
        total.backward()
        if self.cfg.optim.clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(params, self.cfg.optim.clip_norm)
        opt.step()
        self.method.apply_constraints()
        return {k.lstrip("_"): float(v.detach()) for k, v in losses.items()}

    def run_epoch(self):
        """Train one epoch; returns each step's losses averaged over updates."""
        return average_losses((step.name, self.apply_step(step, batch))
                              for batch in self.batches()
                              for step in self.steps for _ in range(step.repeat))

    def fit(self):
        """Train (resuming from last.pt if present); returns the summary."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        last = self.out_dir / "last.pt"
        if last.is_file():
            self.restore(load_checkpoint(last))
        epochs = self.cfg.train.epochs
        bar = tqdm(total=epochs, initial=self.epoch, desc=str(self.out_dir), unit="epoch",
                   disable=not self.progress, mininterval=5.0)
        self.method.train()
        while self.epoch < epochs:
            self.method.coef = schedule_value(self.cfg.adapt.grl, self.epoch, epochs)
            record = {"epoch": self.epoch, "lambda": self.method.coef}
            record.update(self.run_epoch())
            record.update(evaluate_method(self.method, self.dev))
            self.log.add(record, self.method.state_dict)
            self.epoch += 1
            save_checkpoint(self.state(), last)
            bar.update(1)
        bar.close()
        return self.log.finish(epochs)
