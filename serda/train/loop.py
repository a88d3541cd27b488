"""The one training loop every method and every trial runs through.

Per epoch: each trial's labelled rows are shuffled by its own generator and
cut into batches of ``train.batch_size``; a method that uses target data
gets as many unlabelled target rows per batch: |S| draws per epoch, either
a fresh random draw without replacement each epoch (``train.target_draws:
per_epoch``; repeated permutations when the target set is smaller) or one
fixed random set drawn once by the trial's seed and reshuffled each epoch
(``per_trial``); a method that uses labelled target rows gets min(batch
size, shots) of the trial's few shots per batch, drawn the same way. Before
every batch the schedules set the method's coefficients (e.g. the GRL's
lambda; serda.train.schedules); each batch runs the method's steps. After
the epoch: dev metrics, domain accuracy, a line of each trial's
``metrics.jsonl`` (scheduled coefficients: their mean over the epoch),
model selection and the resume checkpoint (model, optimisers, random
states, histories), so a killed run resumes and ends exactly as an
uninterrupted one. The checkpoint is written after the first epoch that
ends ``train.checkpoint_interval`` seconds or more after the last one, and
after the last epoch: a kill loses at most about that much training, and
small models (epochs of milliseconds, a few-shot grid's hundreds of
members) do not spend their time pickling.

The engine does the updates: :class:`serda.train.one_model.OneModel` (one
trial, autograd) or :class:`serda.train.stacked.StackedModels` (all
trials of a system as one batched model).
"""
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from tqdm import tqdm

from serda import layout
from serda.atomic import remove_stale
from serda.methods.base import Batch
from serda.selection import UNSUPERVISED
from serda.train.checkpoint import load_checkpoint, save_checkpoint
from serda.train.data import derived_seed
from serda.train.schedules import schedule_value
from serda.train.scoring import Scoring
from serda.train.updates import epoch_lr
from serda.train.trial_log import TrialLog

MIN_BATCH = 2  # BatchNorm needs at least two rows


def target_draws(n_target, n_draws, generator):
    """``n_draws`` indices into a set of ``n_target`` rows: concatenated
    permutations."""
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


def batch_starts(n, batch_size):
    """First rows of an epoch's batches (a last batch under MIN_BATCH is skipped)."""
    return [s for s in range(0, n, batch_size) if min(batch_size, n - s) >= MIN_BATCH]


def epoch_batches(n, batch_size, n_target, generator, shot_rows=None, shots_per_batch=0,
                  target_pool=None):
    """Row indices (labelled, target or None, shots or None) of the batches
    of one epoch.

    The ``n`` labelled rows are shuffled and cut into batches; with
    ``n_target`` each batch gets as many target rows: |S| fresh draws per
    epoch, or the trial's fixed ``target_pool`` (|S| rows) reshuffled; with
    ``shot_rows`` (row indices of the trial's labelled target rows)
    ``shots_per_batch`` of them. Batches smaller than MIN_BATCH are skipped.
    """
    order = torch.randperm(n, generator=generator)
    draws = None
    if target_pool is not None:
        draws = target_pool[torch.randperm(len(target_pool), generator=generator)]
    elif n_target:
        draws = target_draws(n_target, n, generator)
    starts = batch_starts(n, batch_size)
    shots = None
    if shot_rows is not None:
        shots = shot_rows[target_draws(len(shot_rows), len(starts) * shots_per_batch, generator)]
    for i, start in enumerate(starts):
        idx = order[start:start + batch_size]
        yield (idx, None if draws is None else draws[start:start + batch_size],
               None if shots is None else shots[i * shots_per_batch:(i + 1) * shots_per_batch])


@dataclass
class Member:
    """One model the loop trains: a trial (``seed``) of a system, or of one
    fold of a cross-validated system (its own ``data``), writing ``out_dir``."""
    seed: int
    data: object          # serda.train.data.TrainingData
    out_dir: Path


class RowStore:
    """The rows of one kind (labelled, unlabelled target, shots) of every
    member in one tensor: the distinct sets the members read, concatenated
    (no copy when they all read the same set), and each member's offset."""

    def __init__(self, sets):
        distinct = list({id(s): s for s in sets if s is not None}.values())
        self.empty = not distinct
        if self.empty:
            return
        starts, total = {}, 0
        for s in distinct:
            starts[id(s)] = total
            total += s.x.shape[0]
        self.offsets = [starts[id(s)] if s is not None else None for s in sets]
        one = len(distinct) == 1
        self.x = distinct[0].x if one else torch.cat([s.x for s in distinct])
        labelled = all(s.y is not None for s in distinct)
        self.y = None if not labelled else distinct[0].y if one else \
            torch.cat([s.y for s in distinct])
        self.domains = {a: distinct[0].domains[a] if one else
                        torch.cat([s.domains[a] for s in distinct])
                        for a in distinct[0].domains}

    def rows(self, suffix, idx):
        """{"x<suffix>", "y<suffix>", "d<suffix>"} of the global rows ``idx``."""
        out = {f"x{suffix}": self.x[idx]}
        if suffix != "t":
            out[f"y{suffix}"] = self.y[idx]
        if self.domains:
            out[f"d{suffix}"] = {a: c[idx] for a, c in self.domains.items()}
        return out


class TrainingLoop:
    """Train the ``members`` (:class:`Member`) of ``engine`` together, the
    shared checkpoint at ``checkpoint``."""

    def __init__(self, engine, cfg, members, checkpoint, regression, progress=True):
        self.engine, self.cfg, self.members = engine, cfg, members
        self.checkpoint = Path(checkpoint)
        self.progress = progress
        self.generators = [torch.Generator().manual_seed(m.seed) for m in members]
        self.logs = [TrialLog(m.out_dir, cfg.train.select, regression, m.seed) for m in members]
        t = cfg.train
        self.shot_rows = [None] * len(members)
        if members[0].data.shot_pool is not None:
            self.shot_rows = [m.data.shot_rows(m.seed, regression, t.target_shots)
                              for m in members]
        self.shots_per_batch = min([t.batch_size] + [len(r) for r in self.shot_rows
                                                      if r is not None])
        # the labelled rows each member trains on: all of its labelled set, or its shots
        self.labelled_rows = [r if m.data.labelled_is_shots else None
                              for m, r in zip(members, self.shot_rows)]
        sizes = {len(r) if r is not None else m.data.labelled.x.shape[0]
                 for m, r in zip(members, self.labelled_rows)}
        if len(sizes) > 1:
            raise ValueError(f"members trained together need as many labelled rows each, "
                             f"not {sorted(sizes)}")
        self.n_labelled = sizes.pop()
        self.stores = {kind: RowStore([getattr(m.data, kind) for m in members])
                       for kind in ("labelled", "target", "shot_pool")}
        self.target_pools = [None] * len(members)
        if not self.stores["target"].empty and t.target_draws == "per_trial":
            self.target_pools = [target_draws(m.data.target.x.shape[0], self.n_labelled,
                                              torch.Generator().manual_seed(derived_seed(m.seed,
                                                                                         2)))
                                 for m in members]
        names = set(t.scorers) | ({t.select} if t.select in UNSUPERVISED else set())
        self.scoring = Scoring(names, [m.data for m in members], regression)
        self.pseudo = None
        self.epoch = 0

    # ------------------------------------------------------------ state
    def state(self):
        return {"epoch": self.epoch, "engine": self.engine.state(),
                "generators": [g.get_state() for g in self.generators],
                "torch_rng": torch.get_rng_state(), "logs": [log.state() for log in self.logs]}

    def restore(self, state):
        self.epoch = state["epoch"]
        self.engine.restore(state["engine"])
        for g, s in zip(self.generators, state["generators"]):
            g.set_state(s)
        torch.set_rng_state(state["torch_rng"])
        for log, s in zip(self.logs, state["logs"]):
            log.restore(s)

    # ------------------------------------------------------------- loop
    def _global(self, kind, k, local, rows=None):
        """Member ``k``'s local row indices of ``kind`` -> rows of the store."""
        if rows is not None:
            local = rows[local]
        return local + self.stores[kind].offsets[k]

    def batches(self):
        """The epoch's batches: each member's rows, picked by the engine."""
        e = self.engine
        streams = []
        for k, (m, g) in enumerate(zip(self.members, self.generators)):
            n_target = m.data.target.x.shape[0] if m.data.target is not None else 0
            streams.append(epoch_batches(self.n_labelled, self.cfg.train.batch_size, n_target, g,
                                         self.shot_rows[k], self.shots_per_batch,
                                         self.target_pools[k]))
        for per_member in zip(*streams):
            idx, tidx, lidx = ([p[i] for p in per_member] for i in range(3))
            batch = self.stores["labelled"].rows("s", e.pick(
                [self._global("labelled", k, i, self.labelled_rows[k])
                 for k, i in enumerate(idx)]))
            if tidx[0] is not None:
                batch.update(self.stores["target"].rows("t", e.pick(
                    [self._global("target", k, i) for k, i in enumerate(tidx)])))
                if self.pseudo is not None:
                    for j, key in enumerate(("pt", "wt")):
                        batch[key] = e.pick([self.pseudo[k][j][i] for k, i in enumerate(tidx)])
            if lidx[0] is not None:
                batch.update(self.stores["shot_pool"].rows("l", e.pick(
                    [self._global("shot_pool", k, i) for k, i in enumerate(lidx)])))
            yield Batch(**batch)

    def epoch_updates(self, scheduled):
        """(step name, losses) of every update of the epoch; the schedules are
        set before each batch and their values appended to ``scheduled``.
        A step runs in the epochs its ``first_epoch`` / ``last_epoch`` allow."""
        e, epochs = self.engine, self.cfg.train.epochs
        n_batches = len(batch_starts(self.n_labelled, self.cfg.train.batch_size))
        active = [(i, s) for i, s in enumerate(e.steps) if s.runs_in(self.epoch)]
        for i, batch in enumerate(self.batches()):
            values = {name: schedule_value(s, self.epoch, epochs, i, n_batches)
                      for name, s in e.schedules().items()}
            e.set_scheduled(values)
            for name, v in values.items():
                scheduled[name].append(v)
            for index, step in active:
                for _ in range(step.repeat):
                    yield step.name, e.update(index, batch)

    def fit(self):
        """Train every trial (resuming from the checkpoint); returns summaries."""
        self.checkpoint.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(self.checkpoint, [log.out_dir for log in self.logs])
        if self.checkpoint.is_file():
            self.restore(load_checkpoint(self.checkpoint))
        for log in self.logs:
            log.start()
        epochs, interval = self.cfg.train.epochs, self.cfg.train.checkpoint_interval
        saved = time.monotonic()
        e = self.engine
        desc = str(self.checkpoint.parent) + (f" x{e.n_trials}" if e.n_trials > 1 else "")
        bar = tqdm(total=epochs, initial=self.epoch, desc=desc, unit="epoch",
                   disable=not self.progress, mininterval=5.0)
        e.train_mode()
        while self.epoch < epochs:
            lr = epoch_lr(self.cfg.optim, self.epoch)
            e.set_lr(lr)
            scheduled = {name: [] for name in e.schedules()}
            if e.method.pseudo_labels:   # re-labelled with the model as the epoch starts
                portion = e.method.pseudo_portion(self.epoch)
                self.pseudo = e.pseudo_labels([m.data.target for m in self.members], portion)
                scheduled["pseudo_portion"] = [portion]
            means = average_losses(self.epoch_updates(scheduled))
            values = {name: sum(v) / len(v) for name, v in scheduled.items() if v}
            losses = e.per_trial(means)
            if e.method.target_statistics:
                e.adapt_statistics([m.data.unlab for m in self.members])
            dev = e.evaluate_all([m.data.dev for m in self.members])
            scores = e.score_all(self.scoring, [m.data for m in self.members])
            for k, log in enumerate(self.logs):
                record = {"epoch": self.epoch, "lr": lr, **values, **losses[k], **dev[k],
                          **scores[k]}
                log.add(record, lambda k=k: e.trial_state(k))
            self.epoch += 1
            if self.epoch == epochs or time.monotonic() - saved >= interval:
                save_checkpoint(self.state(), self.checkpoint)
                saved = time.monotonic()
            bar.update(1)
        bar.close()
        return [log.finish(epochs) for log in self.logs]


def clear_stale(checkpoint, out_dirs):
    """Remove the temporary files a killed run left: of ``checkpoint`` and of
    each trial dir's model and history (serda.atomic)."""
    remove_stale(Path(checkpoint).parent, Path(checkpoint).name)
    for d in out_dirs:
        for name in (layout.MODEL, layout.METRICS, layout.SUMMARY):
            remove_stale(d, name)
