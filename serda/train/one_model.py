"""One trial's model trained with autograd: the engine of sequential trials.

The engine does one update of one step of its method on a batch; the
training loop (serda.train.loop) around it is shared with the stacked
trials (serda.train.stacked).
"""
from serda.train.allocator import reuse_freed_blocks
from serda.train.engine import Engine
from serda.train.evaluate import evaluate_method
from serda.train.updates import finish_update, make_optimizers, running_stats_kept


class OneModel(Engine):
    def __init__(self, method, cfg):
        self.method, self.cfg = method, cfg
        reuse_freed_blocks()
        self.n_trials = 1
        self.steps = method.steps()
        self.optimizers, self.step_optimizers = make_optimizers(
            cfg.optim, self.steps, method.parts, method.parameters_of)
        self.constrained = [(method.get_parameter(n), m)
                            for n, m in method.constrained_weights().items()]
        self._params = {}

    # ------------------------------------------------------------ state
    def state(self):
        return {"method": self.method.state_dict(),
                "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()}}

    def restore(self, state):
        self.method.load_state_dict(state["method"])
        for k, o in self.optimizers.items():
            o.load_state_dict(state["optimizers"][k])

    def trial_state(self, k):
        return self.method.state_dict()

    # ----------------------------------------------------------- training
    def pick(self, per_trial):
        """The batch indices of the one trial from the per-trial list."""
        return per_trial[0]

    def _step_params(self, index):
        """(parameters step ``index`` trains, the other trainable ones),
        listed once per step: walking the modules costs about a tenth of a
        small model's update."""
        if index not in self._params:
            params = self.method.parameters_of(self.steps[index].parts)
            trained = {id(p) for p in params}
            self._params[index] = (params, [p for p in self.method.parameters()
                                            if id(p) not in trained and p.requires_grad])
        return self._params[index]

    def update(self, index, batch):
        """One update of step ``index`` on ``batch``; its losses as floats."""
        step = self.steps[index]
        params, frozen = self._step_params(index)
        optimizers = [self.optimizers[k] for k in self.step_optimizers[step.name]]
        for optimizer in optimizers:
            optimizer.zero_grad(set_to_none=True)
        for p in frozen:                # no gradient reaches a part the step does not train
            p.requires_grad_(False)
        try:
            with running_stats_kept(self.method, step, self.cfg.train.frozen_bn == "keep"):
                losses = step.loss(batch)
            sum(v for k, v in losses.items() if not k.startswith("_")).backward()
        finally:
            for p in frozen:
                p.requires_grad_(True)
        finish_update(optimizers, params, self.cfg.optim, self.constrained)
        return {k.lstrip("_"): float(v.detach()) for k, v in losses.items()}

    def per_trial(self, means):
        return [means]

    def evaluate(self, k, dev):
        return evaluate_method(self.method, dev, self.cfg.input.aggregate)
