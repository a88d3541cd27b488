"""20 trials of a 62 -> 256 MLP: vectorised (one batched model) vs sequential.

The CADA base model size (GeMAPS 62 inputs, one hidden layer of 256 ReLU
units), source-only regression, batch 64, on 1,000 synthetic training rows,
5 epochs; both runs use serda's own training loop (serda.train.loop) with
its two engines (serda.train.one_model.OneModel one trial after another,
serda.train.stacked.StackedModels all at once) in the same process and
thread setting.
"""
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

TRIALS, N, D = 20, 1000, 62


def toy(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, D, generator=g)
    return SetTensors("toy", [str(i) for i in range(n)], x, x[:, 0] - x[:, 1], torch.arange(n))


def main():
    cfg = load_config(None, ["train.epochs=5", "train.batch_size=64", "model.encoder.layers=1",
                             "model.*.hidden=256", "model.encoder.dropout=0.0",
                             "model.encoder.dropout_in=0.0", "model.encoder.max_norm=0.0",
                             "model.task_head.layers=0"])
    data = TrainingData(toy(N, 0), dev={"source_dev": toy(200, 1)})
    make = lambda k: build_method(cfg, (D,), 1)  # noqa: E731
    seeds = list(range(1, TRIALS + 1))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        seq = []
        for s in seeds:
            torch.manual_seed(s)
            loop = TrainingLoop(OneModel(make(0), cfg), cfg, [Member(s, data, tmp / f"seq{s}")],
                                tmp / f"seq{s}" / "last.pt", True, progress=False)
            seq.append(loop.fit()[0]["selection_score"])
        t_seq = time.perf_counter() - start
        start = time.perf_counter()
        loop = TrainingLoop(StackedModels(make, cfg, seeds), cfg,
                            [Member(s, data, tmp / f"vec{s}") for s in seeds],
                            tmp / "vec" / "last.pt", True, progress=False)
        vec = loop.fit()
        t_vec = time.perf_counter() - start
    mean = lambda v: sum(v) / len(v)  # noqa: E731
    print(f"{TRIALS} trials, {D} -> 256 MLP, {N} rows, {cfg.train.epochs} epochs, "
          f"{torch.get_num_threads()} thread(s)")
    print(f"  sequential: {t_seq:7.2f} s   mean dev CCC {mean(seq):.3f}")
    print(f"  vectorised: {t_vec:7.2f} s   mean dev CCC {mean([v['selection_score'] for v in vec]):.3f}")
    print(f"  speed-up sequential / vectorised: {t_seq / t_vec:.2f}")


if __name__ == "__main__":
    main()
