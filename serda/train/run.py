"""Stage 4 for one system: train its trials (serda.bin.train is the CLI).

Trial k uses seed ``train.seed + k - 1`` (initial weights, data order,
dropout, its few target shots). Finished trials (summary.json) are skipped.
Several trials at once are trained as one batched model (vectorised
trials, serda.train.stacked), one trial with autograd
(serda.train.one_model); both run the one loop of serda.train.loop. The
folds of a cross-validated system (several configs that differ only in
their data sets) are stacked too, when every fold trains on as many rows
(the same source set, or k shots per class); otherwise they are trained
one after the other. Threads: one for a model below
serda.threads.ONE_THREAD_BELOW multiply-adds per update, else what the
job was given. ``train.init_from``: trial k starts from the selected
model of trial k of another trained system (fine-tuning).
"""
import torch

from serda import layout
from serda.config import config_to_dict, load_config
from serda.errors import InputError
from serda.methods import build_method, get_method
from serda.methods.base import weights_classes
from serda.train.checkpoint import load_checkpoint
from serda.train.data import load_training_data
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels
from serda.threads import forward_macs, training_threads


def _same_recipe(cfgs, configs):
    def recipe(cfg):
        d = config_to_dict(cfg)
        d.pop("data")
        return d
    for cfg, path in zip(cfgs[1:], configs[1:]):
        if recipe(cfg) != recipe(cfgs[0]):
            raise InputError(path, f"differs from {configs[0]} beyond its data sets: "
                                   "configs trained together must be folds of one system")


def initial_state(init_from, trial):
    """The selected weights of trial ``trial`` of the system ``init_from``."""
    path = layout.trial_dir(init_from, trial) / layout.MODEL
    if not path.is_file():
        raise InputError(path, "missing: train.init_from needs that system's trial trained "
                               "first (stage 4 of its experiment)")
    return load_checkpoint(path)["method"]


def train_system(configs, trials, device=None, progress=True, log=print):
    """Train ``trials`` (trial numbers) of the system whose resolved config
    is ``configs`` (or of each fold of a cross-validated system, a list of
    configs); returns the number of models trained now."""
    configs = [configs] if not isinstance(configs, (list, tuple)) else list(configs)
    cfgs = [load_config(c) for c in configs]
    _same_recipe(cfgs, configs)
    cfg = cfgs[0]
    device = device or cfg.train.device
    systems = [layout.system_of(c) for c in configs]
    todo = [(f, k) for f, system in enumerate(systems) for k in trials
            if not layout.is_trained(system, k)]
    for f, system in enumerate(systems):
        for k in trials:
            if (f, k) not in todo:
                log(f"train: {layout.trial_dir(system, k)} is complete, skipping")
    if not todo:
        return 0
    torch.manual_seed(cfg.train.seed + todo[0][1] - 1)
    method_cls = get_method(cfg.method)
    datas = load_training_data(cfgs, method_cls, device)
    groups = [todo]
    if len(systems) > 1 and not _stackable(cfg, [_member(cfg, datas, systems, m) for m in todo]):
        log("train: the folds train on different numbers of rows; training them one after "
            "the other (each fold's trials together)")
        groups = [[(f, k) for f, k in todo if f == fold] for fold in sorted({f for f, _ in todo})]
    for group in groups:
        _train_group(cfg, group, systems, datas, device, progress, log)
    return len(todo)


def _member(cfg, datas, systems, fold_trial):
    f, k = fold_trial
    return Member(cfg.train.seed + k - 1, datas[f], layout.trial_dir(systems[f], k))


def _stackable(cfg, members):
    """True when the members can train as one batched model (as many rows each)."""
    try:
        TrainingLoop(None, cfg, members, "unused", cfg.task.type == "regression", False)
    except ValueError:
        return False
    return True


def _checkpoint(systems, group):
    """Where a group's resume checkpoint goes."""
    (f0, k0), (f1, k1) = group[0], group[-1]
    if len(group) == 1:
        return layout.trial_dir(systems[f0], k0) / layout.LAST
    if f0 == f1:
        return layout.vectorized_dir(systems[f0], [k0, k1]) / "vectorized_last.pt"
    name = f"vectorized_{systems[f0].name}.{k0}-{systems[f1].name}.{k1}"
    return systems[f0].parent / name / "vectorized_last.pt"


def _train_group(cfg, group, systems, datas, device, progress, log):
    members = [_member(cfg, datas, systems, m) for m in group]
    data = members[0].data
    sizes = {a: len(v) for a, v in data.vocab.items()}

    def make(i):
        method = build_method(cfg, data.input_shape, data.n_classes, sizes)
        if weights_classes(cfg, type(method)):
            labelled = members[i].data.labelled
            method.set_class_weights(labelled.y.cpu())
        if cfg.train.init_from:
            weights = getattr(method, "class_weight", None)
            method.load_trained_state(initial_state(cfg.train.init_from, group[i][1]))
            if weights is not None:   # this system's own training rows, not the source's
                method.class_weight.copy_(weights)
        return method.to(device)

    engine = StackedModels(make, cfg, [m.seed for m in members]) if len(group) > 1 \
        else OneModel(make(0), cfg)
    macs = forward_macs(engine.method, cfg.train.batch_size, data.input_shape) * len(group)
    torch.set_num_threads(training_threads(macs))
    loop = TrainingLoop(engine, cfg, members, _checkpoint(systems, group),
                        cfg.task.type == "regression", progress)
    for (f, k), member, summary in zip(group, members, loop.fit()):
        d = member.data
        summary.update(method=cfg.method, input_shape=list(d.input_shape),
                       n_classes=d.n_classes, domains=d.vocab, train_set=d.labelled.name,
                       n_train_rows=loop.n_labelled, vectorized=len(group) > 1,
                       init_from=cfg.train.init_from or None)
        layout.write_summary(systems[f], k, summary)
        log(f"train: {member.out_dir}: selected epoch {summary['selected_epoch']} "
            f"by {summary['select']}")
