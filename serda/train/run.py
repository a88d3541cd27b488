"""Stage 4 for one system: train its trials (serda.bin.train is the CLI).

Trial k uses seed ``train.seed + k - 1`` (initial weights, data order,
dropout, its few target shots). Finished trials (summary.json) are skipped;
several trials at once are trained as one batched model (vectorised
trials, serda.train.stacked), one trial with autograd (serda.train.one_model);
both run the one loop of serda.train.loop.
"""
import torch

from serda import layout
from serda.config import load_config
from serda.methods import build_method, get_method
from serda.train.data import load_training_data
from serda.train.loop import TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels


def train_system(config, trials, device=None, progress=True, log=print):
    """Train ``trials`` (trial numbers) of the system whose resolved config
    is ``config``; returns the trial numbers trained now."""
    cfg = load_config(config)
    device = device or cfg.train.device
    system = layout.system_of(config)
    todo = [k for k in trials if not layout.is_trained(system, k)]
    for k in sorted(set(trials) - set(todo)):
        log(f"train: {layout.trial_dir(system, k)} is complete, skipping")
    if not todo:
        return []
    torch.set_num_threads(1 if len(trials) == 1 else torch.get_num_threads())
    torch.manual_seed(cfg.train.seed + todo[0] - 1)
    method_cls = get_method(cfg.method)
    data = load_training_data(cfg, method_cls, device)
    domain_sizes = {a: len(v) for a, v in data.vocab.items()}

    def make():
        return build_method(cfg, data.input_shape, data.n_classes, domain_sizes).to(device)

    seeds = [cfg.train.seed + k - 1 for k in todo]
    dirs = [layout.trial_dir(system, k) for k in todo]
    if len(todo) > 1:
        engine = StackedModels(make, cfg, seeds)
        checkpoint = layout.vectorized_dir(system, todo) / "vectorized_last.pt"
    else:
        engine = OneModel(make(), cfg)
        checkpoint = dirs[0] / layout.LAST
    loop = TrainingLoop(engine, cfg, data, seeds, dirs, checkpoint,
                        cfg.task.type == "regression", progress)
    for k, summary in zip(todo, loop.fit()):
        summary.update(method=cfg.method, input_shape=list(data.input_shape),
                       n_classes=data.n_classes, domains=data.vocab,
                       train_set=data.labelled.name, n_train=data.labelled.n_utts,
                       n_train_rows=int(data.labelled.x.shape[0]), vectorized=len(todo) > 1)
        layout.write_summary(system, k, summary)
        log(f"train: {layout.trial_dir(system, k)}: selected epoch {summary['selected_epoch']} "
            f"by {summary['select']}")
    return todo
