"""All trials of one system as one batched model (torch.func).

The T trials' parameters and buffers are stacked along a new leading
dimension (``torch.func.stack_module_state``); each update runs the
method's step through ``vmap(grad(functional_call(...)))``, so one set of
batched matrix products trains every trial at once. Everything per trial
stays separate: initial weights and data order come from the trial's own
seed (as in the sequential trainer), dropout masks differ per trial,
gradient clipping uses each trial's own norm, Adam is elementwise and the
max-norm constraint applies per trial and unit. Each trial writes the same
files as a sequentially trained one (metrics.jsonl, model.pt), so decoding
and reporting do not know the difference; the numbers are statistically
equivalent but not bit-identical to sequential training (other random
streams). Resume works as for sequential trials (``vectorized_last.pt``).
"""
from pathlib import Path

import torch
from torch.func import functional_call, grad, stack_module_state, vmap
from tqdm import tqdm

from serda.methods.base import Batch
from serda.nets.mlp import clamp_unit_norms_
from serda.train.checkpoint import load_checkpoint, save_checkpoint
from serda.train.evaluate import evaluate_method
from serda.train.schedules import schedule_value
from serda.train.trainer import average_losses, epoch_batches, make_optimizer
from serda.train.trial_log import TrialLog


class VectorizedTrials:
    """Train ``len(seeds)`` trials of ``make_method()`` together.

    ``out_dirs[k]`` receives trial k's files; ``group_dir`` the shared
    checkpoint. Data arguments as for :class:`serda.train.trainer.Trainer`.
    """

    def __init__(self, make_method, cfg, out_dirs, group_dir, labelled, target, dev, seeds,
                 progress=True):
        models = []
        for seed in seeds:
            torch.manual_seed(seed)
            models.append(make_method())
        self.template = models[0]
        self.params, self.buffers = stack_module_state(models)
        self.cfg, self.seeds = cfg, list(seeds)
        self.labelled, self.target, self.dev = labelled, target, dev or {}
        self.group_dir = Path(group_dir)
        self.progress = progress
        self.steps = self.template.steps()
        self.step_params = [[n for n in self.params if n.split(".")[0] in s.parts]
                            for s in self.steps]
        self.optimizers = [make_optimizer(cfg.optim, [self.params[n] for n in names])
                           for names in self.step_params]
        self.constrained = self.template.constrained_weights()
        self.generators = [torch.Generator().manual_seed(s) for s in self.seeds]
        self.logs = [TrialLog(d, cfg.train.select, self.template.regression, s)
                     for d, s in zip(out_dirs, self.seeds)]
        self.epoch = 0
        torch.manual_seed(self.seeds[0])

    # ------------------------------------------------------------ state
    def state(self):
        return {"epoch": self.epoch, "params": {k: v.detach() for k, v in self.params.items()},
                "buffers": self.buffers, "optimizers": [o.state_dict() for o in self.optimizers],
                "generators": [g.get_state() for g in self.generators],
                "torch_rng": torch.get_rng_state(), "logs": [log.state() for log in self.logs]}

    def restore(self, state):
        self.epoch = state["epoch"]
        with torch.no_grad():
            for k, v in state["params"].items():
                self.params[k].copy_(v)
            for k, v in state["buffers"].items():
                self.buffers[k].copy_(v)
        for o, s in zip(self.optimizers, state["optimizers"]):
            o.load_state_dict(s)
        for g, s in zip(self.generators, state["generators"]):
            g.set_state(s)
        torch.set_rng_state(state["torch_rng"])
        for log, s in zip(self.logs, state["logs"]):
            log.restore(s)

    def trial_state(self, k):
        """Parameters and buffers of trial ``k`` as a plain state dict."""
        out = {n: p[k].detach() for n, p in self.params.items()}
        out.update({n: b[k] for n, b in self.buffers.items()})
        return out

    # ------------------------------------------------------------- loop
    def _step_fn(self, index):
        template = self.template

        def loss(train_p, other_p, buffers, xs, ys, xt):
            out = functional_call(template, ({**other_p, **train_p}, buffers),
                                  (Batch(xs, ys, xt), index))
            total = sum(v for k, v in out.items() if not k.startswith("_"))
            return total, out

        xt_dim = 0 if template.uses_target else None
        return vmap(grad(loss, has_aux=True), in_dims=(0, 0, 0, 0, 0, xt_dim),
                    randomness="different")

    def _batches(self):
        n = self.labelled.x.shape[0]
        n_target = self.target.x.shape[0] if self.template.uses_target else 0
        streams = [epoch_batches(n, self.cfg.train.batch_size, n_target, g)
                   for g in self.generators]
        for pairs in zip(*streams):
            idx = torch.stack([p[0] for p in pairs])
            xt = self.target.x[torch.stack([p[1] for p in pairs])] if n_target else None
            yield self.labelled.x[idx], self.labelled.y[idx], xt

    def _apply(self, index, fn, xs, ys, xt):
        names = self.step_params[index]
        train_p = {n: self.params[n] for n in names}
        other_p = {n: p.detach() for n, p in self.params.items() if n not in train_p}
        grads, losses = fn(train_p, other_p, self.buffers, xs, ys, xt)
        clip = self.cfg.optim.clip_norm
        if clip > 0:  # per-trial total norm, as clip_grad_norm_ computes it
            norms = torch.sqrt(sum(g.pow(2).flatten(1).sum(1) for g in grads.values()))
            scale = torch.clamp(clip / (norms + 1e-6), max=1.0)
        for n in names:
            g = grads[n]
            self.params[n].grad = g * scale.view(-1, *([1] * (g.dim() - 1))) if clip > 0 else g
        self.optimizers[index].step()
        for n, max_norm in self.constrained.items():
            clamp_unit_norms_(self.params[n], max_norm)
        return {k.lstrip("_"): v.detach() for k, v in losses.items()}

    def run_epoch(self):
        """Train one epoch; returns per trial the step losses averaged over updates."""
        fns = [self._step_fn(i) for i in range(len(self.steps))]
        means = average_losses((step.name, self._apply(i, fns[i], xs, ys, xt))
                               for xs, ys, xt in self._batches()
                               for i, step in enumerate(self.steps) for _ in range(step.repeat))
        return [{k: float(v[t]) for k, v in means.items()} for t in range(len(self.seeds))]

    def fit(self):
        """Train every trial (resuming if a checkpoint exists); returns summaries."""
        self.group_dir.mkdir(parents=True, exist_ok=True)
        last = self.group_dir / "vectorized_last.pt"
        if last.is_file():
            self.restore(load_checkpoint(last))
        epochs = self.cfg.train.epochs
        bar = tqdm(total=epochs, initial=self.epoch, desc=f"{self.group_dir} x{len(self.seeds)}",
                   unit="epoch", disable=not self.progress, mininterval=5.0)
        self.template.train()
        while self.epoch < epochs:
            self.template.coef = schedule_value(self.cfg.adapt.grl, self.epoch, epochs)
            losses = self.run_epoch()
            for k, log in enumerate(self.logs):
                record = {"epoch": self.epoch, "lambda": self.template.coef, **losses[k]}
                self.template.load_state_dict(self.trial_state(k))
                record.update(evaluate_method(self.template, self.dev))
                log.add(record, lambda k=k: self.trial_state(k))
            self.epoch += 1
            save_checkpoint(self.state(), last)
            bar.update(1)
        bar.close()
        return [log.finish(epochs) for log in self.logs]
