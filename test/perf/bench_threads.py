"""One thread against the allocation, per model size: where intra-op threads start to pay.

Trains MLPs of growing size (eGeMAPS 88 inputs up to IS13's 6,373; 1-20
vectorised members; batch 32-256) through serda's own loop, source-only
classification, twice per size in the same process: torch.set_num_threads(1)
and torch.set_num_threads(<all usable CPUs>), interleaved over --rounds
rounds (the median of each kept). ``--load`` runs a CPU-bound process beside
the timings, as a shared node or a second job would. Prints per size the
multiply-adds of one update's forward pass (serda.threads.forward_macs), both
times and their ratio, and the smallest size from which every larger one
ran at least ``--pays`` (1.5) times faster with threads: the value
serda.threads.ONE_THREAD_BELOW should hold on such a machine. The bar is
high because threads that gain alone lose when the machine is shared: run
it with and without ``--load``.
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from cpu_load import cpu_bound_process

from serda.config import load_config
from serda.methods import build_method
from serda.threads import ONE_THREAD_BELOW, forward_macs, usable_cpus
from serda.train.data import SetTensors, TrainingData
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels

# (inputs, hidden, layers, members, batch)
SIZES = [(88, 256, 1, 1, 32), (88, 256, 2, 5, 32), (88, 256, 2, 5, 128), (88, 512, 2, 20, 64),
         (1582, 256, 2, 5, 64), (1582, 1024, 2, 1, 64), (1582, 1024, 4, 5, 64),
         (6373, 256, 2, 5, 256), (6373, 1024, 2, 5, 256)]


def toy(n, d, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    return SetTensors("toy", [str(i) for i in range(n)], x, (x[:, 0] > 0).long(), torch.arange(n))


def one_fit(size, tmp):
    """Seconds per update of one epoch of 16 batches, and the update's MACs."""
    d, hidden, layers, members, batch = size
    cfg = load_config(None, ["train.epochs=1", f"train.batch_size={batch}",
                             f"model.encoder.layers={layers}", f"model.*.hidden={hidden}",
                             "task.type=classification", "train.checkpoint_interval=100000"])
    data = TrainingData(toy(16 * batch, d, 0), dev={"source_dev": toy(batch, d, 1)})
    make = lambda k: build_method(cfg, (d,), 2)  # noqa: E731
    seeds = list(range(1, members + 1))
    engine = StackedModels(make, cfg, seeds) if members > 1 else OneModel(make(0), cfg)
    macs = forward_macs(make(0), batch) * members
    loop = TrainingLoop(engine, cfg, [Member(s, data, tmp / f"m{s}") for s in seeds],
                        tmp / "last.pt", False, progress=False)
    start = time.perf_counter()
    loop.fit()
    return (time.perf_counter() - start) / 16, macs


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--load", action="store_true", help="a CPU-bound process runs beside")
    p.add_argument("--pays", type=float, default=1.5,
                   help="speed-up from which threads count as paying [1.5]")
    args = p.parse_args()
    cpus = usable_cpus()
    rows = []
    with cpu_bound_process(args.load):
        with tempfile.TemporaryDirectory() as tmp:
            for i, size in enumerate(SIZES):
                times = {1: [], cpus: []}
                for r in range(args.rounds):
                    for threads in (1, cpus):
                        torch.set_num_threads(threads)
                        t, macs = one_fit(size, Path(tmp) / f"{i}_{r}_{threads}")
                        times[threads].append(t)
                rows.append((size, macs, statistics.median(times[1]),
                             statistics.median(times[cpus])))
    print(f"{cpus} usable CPUs{', a CPU-bound process beside' if args.load else ''}; "
          f"median of {args.rounds} rounds, ms per update")
    print(f"{'inputs':>6} {'hidden':>6} {'layers':>6} {'members':>7} {'batch':>5} "
          f"{'MACs':>12} {'1 thread':>9} {f'{cpus} threads':>10} {'ratio':>6}")
    for (d, h, layers, m, b), macs, t1, tn in rows:
        print(f"{d:6d} {h:6d} {layers:6d} {m:7d} {b:5d} {macs:12,d} {t1 * 1e3:9.2f} "
              f"{tn * 1e3:10.2f} {t1 / tn:6.2f}")
    crossover = None
    for i, (_, macs, t1, tn) in enumerate(sorted(rows, key=lambda r: r[1])):
        if all(a / b >= args.pays for _, _, a, b in sorted(rows, key=lambda r: r[1])[i:]):
            crossover = macs
            break
    print(f"threads pay (>= {args.pays}x) from {crossover:,} MACs per update" if crossover
          else f"threads never paid {args.pays}x at these sizes")
    print(f"serda.threads.ONE_THREAD_BELOW = {ONE_THREAD_BELOW:,}")


if __name__ == "__main__":
    main()
