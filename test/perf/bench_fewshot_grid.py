"""The few-shot grid of paper 3: vectorised vs one model at a time.

Zhou & Chen's grid is methods x shots x folds x trials of a 62 -> 256 ReLU
MLP (GeMAPS): here CADA, FADA and label-target, k = 2 and 8 labelled
target examples per class, 5 folds, TRIALS trials, on synthetic data of
the paper's shape (a 1,000-row source, a 500-row target dealt into 5 folds
whose training parts hold out 10 % for early stopping), EPOCHS epochs, batch
64. Both runs use serda's training loop: one model at a time
(serda.train.one_model.OneModel per method, k, fold and trial) and
vectorised (serda.train.stacked.StackedModels: every fold and trial of a
method and k as one batched model, as the recipe's stage 4 trains them).
Prints the wall times, the ratio, the time per model and the mean dev UA
of both (they train the same grid).

    tools/venv/bin/python test/perf/bench_fewshot_grid.py [--trials 20] [--epochs 20]
"""
import argparse
import tempfile
import time
from pathlib import Path

import torch

from serda.config import load_config
from serda.methods import build_method
from serda.train.data import SetTensors, TrainingData
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels

D, FOLDS = 62, 5
CONF = Path(__file__).resolve().parents[2] / "egs" / "aibo_emodb" / "cada" / "conf"
GRID = (("cada.yaml", []), ("fada.yaml", ["adapt.source_epochs=3", "adapt.dcd_epochs=2"]),
        ("label_target.yaml", []))


def labelled(name, x, y):
    return SetTensors(name, [f"{name}{i}" for i in range(len(y))], x, y, torch.arange(len(y)))


def grid_data(seed=0):
    """Source set and, per fold, (shot pool = training part, dev part)."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(D, generator=g)
    xs = torch.randn(1000, D, generator=g)
    ys = (xs @ w > 0.3).long()
    xt = torch.randn(500, D, generator=g) * 1.3 + 0.5          # a shifted target domain
    yt = (xt @ w > 0.8).long()
    folds = torch.arange(500) % FOLDS
    source = labelled("source", xs, ys)
    out = []
    for f in range(FOLDS):
        rest = torch.nonzero(folds != f).flatten()
        dev, train = rest[: len(rest) // 10], rest[len(rest) // 10:]
        out.append((labelled(f"train{f}", xt[train], yt[train]),
                    labelled(f"dev{f}", xt[dev], yt[dev])))
    return source, out


def config(conf, k, epochs, extra):
    """The recipe's own config (its network, optimiser, batch and
    selection), with identity labels for the synthetic classes, ``k`` shots
    and ``epochs``."""
    return load_config(CONF / conf, ["task.label_map=identity", "task.label_args={}",
                                     f"train.epochs={epochs}", f"train.target_shots={k}",
                                     *extra])


def members(cfg, source, folds, trials, root):
    out = []
    for f, (pool, dev) in enumerate(folds):
        data = TrainingData(pool if cfg.train.train_on == "target_shots" else source,
                            shot_pool=pool, dev={"target_dev": dev},
                            labelled_is_shots=cfg.train.train_on == "target_shots",
                            n_classes=2)
        out += [Member(t + 1, data, root / f"f{f}t{t}") for t in range(trials)]
    return out


def run(vectorised, source, folds, trials, epochs, root):
    scores, n_models = [], 0
    for conf, extra in GRID:
        for k in (2, 8):
            cfg = config(conf, k, epochs, extra)
            grid = members(cfg, source, folds, trials, root / f"{conf}{k}{vectorised}")

            def make(i, cfg=cfg):
                return build_method(cfg, (D,), 2)
            if vectorised:
                engine = StackedModels(make, cfg, [m.seed for m in grid])
                loop = TrainingLoop(engine, cfg, grid, root / f"v{conf}{k}.pt", False, False)
                scores += [s["selection_score"] for s in loop.fit()]
            else:
                for i, m in enumerate(grid):
                    torch.manual_seed(m.seed)
                    loop = TrainingLoop(OneModel(make(i), cfg), cfg, [m],
                                        m.out_dir / "last.pt", False, False)
                    scores += [s["selection_score"] for s in loop.fit()]
            n_models += len(grid)
    return scores, n_models


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--epochs", type=int, default=20)
    args = p.parse_args()
    source, folds = grid_data()
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])   # torch's one-off lazy imports
    times, results = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for vectorised in (True, False):
            start = time.perf_counter()
            results[vectorised] = run(vectorised, source, folds, args.trials, args.epochs,
                                      Path(tmp))
            times[vectorised] = time.perf_counter() - start
    n = results[True][1]
    mean = lambda v: sum(v) / len(v)  # noqa: E731
    print(f"few-shot grid: {len(GRID)} methods x 2 shot counts x {FOLDS} folds x "
          f"{args.trials} trials = {n} MLPs ({D} -> 256 -> 2), {args.epochs} epochs, "
          f"{torch.get_num_threads()} thread(s)")
    print(f"  one model at a time: {times[False]:8.2f} s  ({1e3 * times[False] / n:6.1f} ms per "
          f"model)  mean dev UA {mean(results[False][0]):.3f}")
    print(f"  vectorised:          {times[True]:8.2f} s  ({1e3 * times[True] / n:6.1f} ms per "
          f"model)  mean dev UA {mean(results[True][0]):.3f}")
    print(f"  speed-up one at a time / vectorised: {times[False] / times[True]:.1f}")


if __name__ == "__main__":
    main()
