"""What the training loop (serda.train.loop) asks of the engine doing the updates.

An engine holds ``method`` (for stacked trials, the template the batched
parameters are applied to), ``steps`` (the method's update steps) and
``n_trials``, and provides:

- ``update(step_index, batch)``: one update of that step; its losses;
- ``pick(per_trial_indices)``: a batch's row indices from each trial's;
- ``per_trial(means)``: the epoch's mean losses, one dict of floats per trial;
- ``evaluate(k, dev)``: trial k's dev metrics (:meth:`Engine.evaluate_all`:
  every trial's, the method in eval mode once for all);
- ``trial_method(k)``: the method holding trial k's parameters (for stacked
  trials the template, loaded) and ``store_trial_buffers(k)``: its buffers
  back into trial k (after :meth:`Engine.adapt_statistics`);
- ``trial_state(k)``, ``state()``, ``restore(state)``: model selection and
  the resume checkpoint.
"""
import torch

from serda.losses.pseudo_label import class_balanced_pseudo_labels
from serda.nets.bn_statistics import set_batchnorm_statistics
from serda.train.evaluate import chunked, eval_mode
from serda.train.updates import set_lr


class Engine:
    stacked = False

    def schedules(self):
        return self.method.schedules()

    def set_scheduled(self, values):
        self.method.scheduled.update(values)

    def train_mode(self):
        self.method.train()

    def set_lr(self, lr):
        """The learning rate of every optimiser (the epoch's, serda.train.updates.epoch_lr)."""
        set_lr(self.optimizers.values(), lr)

    def trial_method(self, k):
        return self.method

    def store_trial_buffers(self, k):
        """Nothing to do: the method is the trial."""

    def evaluate_all(self, devs):
        """[trial k's dev metrics on ``devs[k]``] for every trial."""
        with eval_mode(self.method):
            return [self.evaluate(k, dev) for k, dev in enumerate(devs)]

    def score_all(self, scoring, datas):
        """[trial k's unsupervised selection scores] (serda.train.scoring)."""
        if not scoring.names:
            return [{} for _ in datas]
        with eval_mode(self.method):
            return [scoring.scores(self.trial_method(k), d, k) for k, d in enumerate(datas)]

    def adapt_statistics(self, targets):
        """AdaBN: every trial's BatchNorm statistics set to those of its
        target set ``targets[k]`` (serda.nets.bn_statistics)."""
        for k, target in enumerate(targets):
            set_batchnorm_statistics(self.trial_method(k), target.x)
            self.store_trial_buffers(k)

    @torch.no_grad()
    def pseudo_labels(self, targets, portion):
        """[(labels, 0/1 weights)] of each trial's target set ``targets[k]``
        (serda.losses.pseudo_label)."""
        out = []
        with eval_mode(self.method):
            for k, target in enumerate(targets):
                probs = chunked(self.trial_method(k).predict, target.x).softmax(dim=1)
                labels, keep = class_balanced_pseudo_labels(probs, portion)
                out.append((labels, keep))
        return out
