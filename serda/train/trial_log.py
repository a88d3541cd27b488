"""History, model selection and output files of one trial.

Every trial of the training loop (serda.train.loop) has one, whether it
is trained alone or stacked with others: the same ``metrics.jsonl``, the
same selection, the same ``model.pt``.

``metrics.jsonl`` is a log: one line appended per epoch (one write call, so
a killed job leaves whole lines), and rewritten whole from the resume
checkpoint's history when training starts or resumes (:meth:`TrialLog.start`),
so after a resume it holds exactly the epochs the run has. Rewriting it
atomically every epoch instead cost a file creation and a rename per trial
and epoch: about 6 % of a vectorised few-shot grid's time
(test/perf/bench_fewshot_grid.py, profiled).
"""
import json
import math
from pathlib import Path

from serda import layout
from serda.atomic import append_text, write_atomic
from serda.selection import UNSUPERVISED
from serda.train.checkpoint import save_checkpoint


SCORE_RULES = UNSUPERVISED


def selection_key(rule, regression):
    """The key of an epoch record that selection rule ``rule`` maximises."""
    metric = "ccc" if regression else "ua"
    if rule in SCORE_RULES:
        return f"score/{rule}"
    if rule == "oracle":
        return f"target_test/{metric}"
    return f"{rule}/{metric}"


def selected_epochs(history, regression):
    """{rule: epoch it selects} for every rule the records of ``history``
    can answer (source_dev, each logged score, oracle); the first epoch
    wins a tie, as in training."""
    out = {}
    for rule in ("source_dev",) + SCORE_RULES + ("oracle",):
        key = selection_key(rule, regression)
        scored = [(r[key], -r["epoch"]) for r in history if key in r and r[key] == r[key]]
        if scored:
            out[rule] = -max(scored)[1]
    return out


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

    def start(self):
        """Make metrics.jsonl hold the history (that of the resume
        checkpoint, or none): lines a killed run appended after its last
        checkpoint go."""
        path = self.out_dir / layout.METRICS
        if self.history:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(path, lambda f: f.writelines(json.dumps(r) + "\n"
                                                      for r in self.history), "w")
        else:
            path.unlink(missing_ok=True)

    def add(self, record, state_dict):
        """Append ``record`` (a dict with "epoch") to the history and to
        metrics.jsonl, and select.

        ``state_dict``: a callable giving the model state of this trial, only
        called when this epoch becomes the selected one.
        """
        self.history.append(record)
        if self.select_rule == "last":
            score = record["epoch"]
        else:
            key = selection_key(self.select_rule, self.regression)
            if key not in record:
                raise ValueError(f"train.select={self.select_rule} needs a labelled "
                                 f"{self.select_rule} set")
            score = record[key]
        if score > self.best["score"]:
            self.best = {"score": score, "epoch": record["epoch"],
                         "state": {k: v.detach().clone() for k, v in state_dict().items()}}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        append_text(self.out_dir / layout.METRICS, json.dumps(record) + "\n")

    def finish(self, epochs):
        """Save the selected model as model.pt; return the trial summary."""
        summary = {"selected_epoch": self.best["epoch"], "select": self.select_rule,
                   "selection_score": self.best["score"], "epochs": epochs, "seed": self.seed,
                   "selected_by": selected_epochs(self.history, self.regression)}
        save_checkpoint({"method": self.best["state"], "summary": summary},
                        self.out_dir / layout.MODEL)
        return summary
