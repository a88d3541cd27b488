"""All trials of one system as one batched model (torch.func): the engine of
vectorised trials.

The T trials' parameters and buffers are stacked along a new leading
dimension (``torch.func.stack_module_state``); each update runs the
method's step through ``vmap(grad(functional_call(...)))``, so one set of
batched matrix products trains every trial at once. Everything per trial
stays separate: initial weights and data order come from the trial's own
seed (as for one model), dropout masks differ per trial, gradient clipping
uses each trial's own norm, the optimisers are elementwise and the max-norm
constraint applies per trial and unit (serda.train.updates). The loop
around it (serda.train.loop) is the one sequential trials run; each trial
writes the same files, so decoding and reporting do not know the
difference; the numbers are statistically equivalent to sequential
training but not bit-identical (other random streams).
"""
import warnings

import torch
from torch.func import functional_call, grad, stack_module_state, vmap

# vmap runs nn.LSTM (the cnn_blstm encoder) one member at a time: correct, and
# on CPU as fast per member as the batched convolutions around it
# (test/perf/bench_frame_encoders.py); the warning would repeat in every job log
warnings.filterwarnings("ignore", message="There is a performance drop because we have not "
                        "yet implemented the batching rule for aten::mkldnn_rnn_layer")

from serda.train.allocator import reuse_freed_blocks
from serda.train.engine import Engine
from serda.train.evaluate import evaluate_method
from serda.train.updates import finish_update, make_optimizers, running_stats_kept


class StackedModels(Engine):
    stacked = True

    def __init__(self, make_method, cfg, seeds):
        """``make_method(k)``: the model of member k, built after seeding the
        global generator with ``seeds[k]``."""
        reuse_freed_blocks()
        models = []
        for k, seed in enumerate(seeds):
            torch.manual_seed(seed)
            models.append(make_method(k))
        self.method = models[0]   # the template: structure, schedules, evaluation
        self.params, self.buffers = stack_module_state(models)
        self.cfg = cfg
        self.n_trials = len(seeds)
        self.steps = self.method.steps()
        self.step_params = {s.name: self._names(s.parts) for s in self.steps}
        self.optimizers, self.step_optimizers = make_optimizers(
            cfg.optim, self.steps, self.method.parts,
            lambda parts: [self.params[n] for n in self._names(parts)])
        self.constrained = [(self.params[n], m)
                            for n, m in self.method.constrained_weights().items()]
        self._template_pairs = ([(p, self.params[n]) for n, p in self.method.named_parameters()]
                                + [(b, self.buffers[n]) for n, b in self.method.named_buffers()])
        self._fns = {}
        torch.manual_seed(seeds[0])  # the dropout stream of the batched model

    def _names(self, parts):
        """Names of the stacked parameters of ``parts``."""
        return [n for n in self.params if n.split(".")[0] in parts]

    # ------------------------------------------------------------ state
    def state(self):
        return {"params": {k: v.detach() for k, v in self.params.items()},
                "buffers": self.buffers,
                "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()}}

    def restore(self, state):
        with torch.no_grad():
            for k, v in state["params"].items():
                self.params[k].copy_(v)
            for k, v in state["buffers"].items():
                self.buffers[k].copy_(v)
        for k, o in self.optimizers.items():
            o.load_state_dict(state["optimizers"][k])

    def trial_state(self, k):
        """Parameters and buffers of trial ``k`` as a plain state dict."""
        out = {n: p[k].detach() for n, p in self.params.items()}
        out.update({n: b[k] for n, b in self.buffers.items()})
        return out

    # ----------------------------------------------------------- training
    def pick(self, per_trial):
        """The stacked (T, ...) batch indices of all trials."""
        return torch.stack(per_trial)

    def _step_fn(self, index):
        if index not in self._fns:
            template = self.method

            def loss(train_p, other_p, buffers, tree):
                out = functional_call(template, ({**other_p, **train_p}, buffers), (tree, index))
                total = sum(v for k, v in out.items() if not k.startswith("_"))
                return total, out

            self._fns[index] = vmap(grad(loss, has_aux=True), randomness="different")
        return self._fns[index]

    def update(self, index, batch):
        """One update of step ``index`` for every trial; losses as (T,) tensors."""
        step = self.steps[index]
        names = self.step_params[step.name]
        train_p = {n: self.params[n] for n in names}
        other_p = {n: p.detach() for n, p in self.params.items() if n not in train_p}
        with running_stats_kept(self.method, step, self.cfg.train.frozen_bn == "keep"):
            grads, losses = self._step_fn(index)(train_p, other_p, self.buffers, batch.tree())
        for n in names:
            self.params[n].grad = grads[n]
        finish_update([self.optimizers[k] for k in self.step_optimizers[step.name]],
                      [self.params[n] for n in names], self.cfg.optim,
                      self.constrained, stacked=True)
        return {k.lstrip("_"): v.detach() for k, v in losses.items()}

    def per_trial(self, means):
        return [{k: float(v[t]) for k, v in means.items()} for t in range(self.n_trials)]

    def load_trial(self, k):
        """Copy trial ``k``'s parameters and buffers into the template
        (what load_state_dict(trial_state(k)) does, without walking the
        modules: a fifth of the time for a small MLP, profiled)."""
        with torch.no_grad():
            for mine, stacked in self._template_pairs:
                mine.copy_(stacked[k])

    def trial_method(self, k):
        self.load_trial(k)
        return self.method

    @torch.no_grad()
    def store_trial_buffers(self, k):
        """The template's buffers (e.g. BatchNorm statistics it has just
        computed for trial ``k``) copied into trial ``k``."""
        for name, b in self.method.named_buffers():
            self.buffers[name][k].copy_(b)

    def evaluate(self, k, dev):
        self.load_trial(k)
        return evaluate_method(self.method, dev, self.cfg.input.aggregate)
