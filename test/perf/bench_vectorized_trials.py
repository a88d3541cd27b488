"""20 trials of a 62 -> 256 MLP: vectorised (one batched model) vs sequential.

The CADA base model size (GeMAPS 62 inputs, one hidden layer of 256 ReLU
units), source-only regression, batch 64, on 1,000 synthetic training rows,
5 epochs; both runs use serda's own trainers (serda.train.trainer.Trainer
one trial after another, serda.train.vectorized.VectorizedTrials all at
once) in the same process and thread setting.
"""
import tempfile
import time

import torch

from serda.config import Config, MLPConfig, ModelConfig, TrainConfig
from serda.methods import get_method
from serda.train.data import SetTensors
from serda.train.trainer import Trainer
from serda.train.vectorized import VectorizedTrials

TRIALS, N, D = 20, 1000, 62


def toy(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, D, generator=g)
    return SetTensors("toy", [str(i) for i in range(n)], x, x[:, 0] - x[:, 1], torch.arange(n))


def main():
    cfg = Config(method="source_only", train=TrainConfig(epochs=5, batch_size=64),
                 model=ModelConfig(encoder=MLPConfig(layers=1, hidden=256, dropout=0.0),
                                   task_head=MLPConfig(layers=0, hidden=256)))
    train, dev = toy(N, 0), {"source_dev": toy(200, 1)}
    make = lambda: get_method("source_only")(cfg, D, 1)  # noqa: E731
    seeds = list(range(1, TRIALS + 1))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        seq = []
        for s in seeds:
            torch.manual_seed(s)
            seq.append(Trainer(make(), cfg, f"{tmp}/seq{s}", train, dev=dev, seed=s,
                               progress=False).fit()["selection_score"])
        t_seq = time.perf_counter() - start
        start = time.perf_counter()
        vec = VectorizedTrials(make, cfg, [f"{tmp}/vec{s}" for s in seeds], f"{tmp}/vec", train,
                               None, dev, seeds, progress=False).fit()
        t_vec = time.perf_counter() - start
    mean = lambda v: sum(v) / len(v)  # noqa: E731
    print(f"{TRIALS} trials, {D} -> 256 MLP, {N} rows, {cfg.train.epochs} epochs, "
          f"{torch.get_num_threads()} thread(s)")
    print(f"  sequential: {t_seq:7.2f} s   mean dev CCC {mean(seq):.3f}")
    print(f"  vectorised: {t_vec:7.2f} s   mean dev CCC {mean([v['selection_score'] for v in vec]):.3f}")
    print(f"  speed-up sequential / vectorised: {t_seq / t_vec:.2f}")


if __name__ == "__main__":
    main()
