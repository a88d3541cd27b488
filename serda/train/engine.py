"""What the training loop (serda.train.loop) asks of the engine doing the updates.

An engine holds ``method`` (for stacked trials, the template the batched
parameters are applied to), ``steps`` (the method's update steps) and
``n_trials``, and provides:

- ``update(step_index, batch)``: one update of that step; its losses;
- ``pick(per_trial_indices)``: a batch's row indices from each trial's;
- ``per_trial(means)``: the epoch's mean losses, one dict of floats per trial;
- ``evaluate(k, dev)``: trial k's dev metrics (:meth:`Engine.evaluate_all`:
  every trial's, the method in eval mode once for all);
- ``trial_state(k)``, ``state()``, ``restore(state)``: model selection and
  the resume checkpoint.
"""
from serda.train.evaluate import eval_mode
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

    def evaluate_all(self, devs):
        """[trial k's dev metrics on ``devs[k]``] for every trial."""
        with eval_mode(self.method):
            return [self.evaluate(k, dev) for k, dev in enumerate(devs)]
