"""History, model selection and output files of one trial.

Every trial of the training loop (serda.train.loop) has one, whether it
is trained alone or stacked with others: the same ``metrics.jsonl``, the
same selection, the same ``model.pt``.
"""
import json
import math
from pathlib import Path

from serda import layout
from serda.atomic import write_atomic
from serda.train.checkpoint import save_checkpoint


class TrialLog:
    def __init__(self, out_dir, select, regression, seed):
        self.out_dir = Path(out_dir)
        self.select_rule = select
        self.regression = regression
        self.seed = seed
        self.history = []
        self.best = {"score": -math.inf, "epoch": -1, "state": None}

    def state(self):
        return {"history": self.history, "best": self.best}

    def restore(self, state):
        self.history, self.best = state["history"], state["best"]

    def add(self, record, state_dict):
        """Append ``record`` (a dict with "epoch"), select, rewrite metrics.jsonl.

        ``state_dict``: a callable giving the model state of this trial, only
        called when this epoch becomes the selected one.
        """
        self.history.append(record)
        if self.select_rule == "last":
            score = record["epoch"]
        else:
            key = f"{self.select_rule}/{'ccc' if self.regression else 'ua'}"
            if key not in record:
                raise ValueError(f"train.select={self.select_rule} needs a labelled "
                                 f"{self.select_rule} set")
            score = record[key]
        if score > self.best["score"]:
            self.best = {"score": score, "epoch": record["epoch"],
                         "state": {k: v.detach().clone() for k, v in state_dict().items()}}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.out_dir / layout.METRICS,
                     lambda f: f.writelines(json.dumps(r) + "\n" for r in self.history), "w")

    def finish(self, epochs):
        """Save the selected model as model.pt; return the trial summary."""
        summary = {"selected_epoch": self.best["epoch"], "select": self.select_rule,
                   "selection_score": self.best["score"], "epochs": epochs, "seed": self.seed}
        save_checkpoint({"method": self.best["state"], "summary": summary},
                        self.out_dir / layout.MODEL)
        return summary
