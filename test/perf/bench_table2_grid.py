"""Paper 1's Table II grid with vectorised trials: rows/s per network shape
against the device's own batched-GEMM rate for the same shapes, and the
grid's training time estimated from them.

Abdelwahab & Busso (2018), Table II: target / src / dann x deep (k shared
layers: "one for arousal, two for valence and three for dominance", a 2-layer
task head) / shallow (1 shared + 1 task layer) x 3 attributes x 3 sources
(USC-IEMOCAP, MSP-IMPROV, both), 20 trials each, 100 epochs, batch 256 (+ 256
unlabelled target rows for dann), 6,373 ComParE inputs, 256 units. The
networks are those of the recipe's confs (egs/podcast/dann/conf/{src,dann}.yaml;
target trains src's network on MSP-Podcast), so the grid has 8 shapes:
source-only and dann, each with 1, 2 or 3 shared layers or shallow.

For each shape, one iteration (every update of a batch) is timed on random
rows for one trial alone (serda.train.one_model.OneModel, how the recipe
trains by default: one job per trial) and for the 20 trials as one batched
model (serda.train.stacked, ``train.vectorize: true``). The reference
is the arithmetic alone: the batched products of every Linear call of the
iteration (forward, weight gradient, input gradient; recorded by hooks on one
trial, run as (20, rows, in) x (20, in, out) bmm) timed bare on the same
device. Printed per shape: ms per iteration of both, the speed-up of
vectorising, labelled rows/s over all trials, GFLOP/s of the vectorised
iteration and of its bare GEMMs, and their ratio.

The grid estimate multiplies each shape's times per iteration by its
iterations (ceil(training rows / 256) per epoch x 100 epochs) and systems, as
the recipe trains them (each source's experiment trains its own target
systems); training rows: the whole corpus as the upper bound (IEMOCAP 10,039
turns, MSP-IMPROV 8,438, both 18,477; MSP-Podcast train 8,084; CORPORA.md and
the paper). Dev evaluation and decoding are not included.

    tools/venv/bin/python test/perf/bench_table2_grid.py [--device cpu|cuda] [--iterations 3]
"""
import argparse
import math
from pathlib import Path

import torch

from bench_train_step import iteration_of, median_time, record_calls
from serda.config import load_config
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels

D, BATCH, TRIALS, EPOCHS = 6373, 256, 20, 100
CONF = Path(__file__).resolve().parents[2] / "egs" / "podcast" / "dann" / "conf"
SOURCES = {"IEMOCAP": 10039, "MSP-IMPROV": 8438, "All": 18477}
PODCAST_TRAIN = 8084
DEPTH = {"arousal": 1, "valence": 2, "dominance": 3}
SHALLOW = ["model.encoder.layers=1", "model.task_head.layers=1"]


def shapes():
    """{(method, depth name): (conf, overrides)} of the grid's 8 shapes."""
    out = {}
    for method, conf in (("src", "src.yaml"), ("dann", "dann.yaml")):
        for k in sorted(set(DEPTH.values())):
            out[(method, f"{k} shared")] = (conf, [f"model.encoder.layers={k}"])
        out[(method, "shallow")] = (conf, SHALLOW)
    return out


def grid_iterations():
    """{(method, depth name): iterations of the whole Table II grid}."""
    it = {}

    def add(key, rows):
        it[key] = it.get(key, 0) + math.ceil(rows / BATCH) * EPOCHS
    for rows in SOURCES.values():
        for k in DEPTH.values():
            add(("src", f"{k} shared"), PODCAST_TRAIN)   # target_l<k>: src's network
            add(("src", f"{k} shared"), rows)            # src_l<k>
            add(("dann", f"{k} shared"), rows)           # dann_l<k>
            add(("src", "shallow"), PODCAST_TRAIN)       # target_shallow
            add(("src", "shallow"), rows)                # src_shallow
            add(("dann", "shallow"), rows)               # dann_shallow
    return it


def config(conf, overrides, device):
    return load_config(CONF / conf, overrides + [f"train.device={device}",
                                                       f"train.trials={TRIALS}"])


def make(cfg, device):
    def method(k):
        m = build_method(cfg, (D,), 1).to(device)
        m.scheduled.update({name: 1.0 for name in m.scheduled})
        return m
    return method


def batch(uses_target, device, trials=None):
    lead = () if trials is None else (trials,)
    return Batch(torch.randn(*lead, BATCH, D, device=device),
                 torch.randn(*lead, BATCH, device=device),
                 torch.randn(*lead, BATCH, D, device=device) if uses_target else None)


def one_trial(cfg, device):
    """(one iteration of one trial through OneModel, the Linear calls it
    makes: (rows, in, out, weight grad?, input grad?))."""
    m = make(cfg, device)(0)
    m.train()
    engine = OneModel(m, cfg)
    iteration = iteration_of(engine, batch(m.uses_target, device))
    linears, _ = record_calls(engine, iteration)
    return iteration, linears


def stacked_iteration(cfg, device):
    """One iteration of TRIALS trials as one batched model (StackedModels)."""
    engine = StackedModels(make(cfg, device), cfg, list(range(1, TRIALS + 1)))
    engine.train_mode()
    return iteration_of(engine, batch(engine.method.uses_target, device, TRIALS))


def bare_gemms(linears, device):
    """(run, flops) of the iteration's products for TRIALS trials as bmm."""
    mats, flops = [], 0
    for n, i, o, wg, ig in linears:
        mats.append((torch.randn(TRIALS, n, i, device=device),
                     torch.randn(TRIALS, i, o, device=device),
                     torch.randn(TRIALS, n, o, device=device), wg, ig))
        flops += 2 * TRIALS * n * i * o * (1 + wg + ig)

    def run():
        for x, w, gy, weight_grad, input_grad in mats:
            torch.bmm(x, w)
            if weight_grad:
                torch.bmm(x.transpose(1, 2), gy)
            if input_grad:
                torch.bmm(gy, w.transpose(1, 2))
    return run, flops


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--iterations", type=int, default=3, help="timed iterations per shape")
    args = p.parse_args()
    dev = args.device
    name = torch.cuda.get_device_name() if dev == "cuda" else \
        f"CPU, {torch.get_num_threads()} thread(s)"
    print(f"Table II grid of paper 1, {TRIALS} trials vectorised per system, batch {BATCH}, "
          f"{D} inputs; {name}")
    print(f"{'network':<16} {'1 trial':>8} {'20 trials':>9} {'speed-up':>8} {'rows/s':>7} "
          f"{'GFLOP/s':>7} {'GEMMs':>6} {'ratio':>5} {'grid h':>7} {'one by one':>10}")
    iterations, total, total_one = grid_iterations(), 0.0, 0.0
    for (method, depth), (conf, overrides) in shapes().items():
        cfg = config(conf, overrides, dev)
        one, linears = one_trial(cfg, dev)
        t_one = median_time(one, args.iterations, 1, dev)
        gemm_run, flops = bare_gemms(linears, dev)
        t_gemm = median_time(gemm_run, args.iterations, 1, dev)
        del one, gemm_run
        t_vec = median_time(stacked_iteration(cfg, dev), args.iterations, 1, dev)
        n = iterations[(method, depth)]
        hours, hours_one = t_vec * n / 3600, TRIALS * t_one * n / 3600
        total, total_one = total + hours, total_one + hours_one
        print(f"{method + ', ' + depth:<16} {t_one * 1e3:6.1f}ms {t_vec * 1e3:7.0f}ms "
              f"{TRIALS * t_one / t_vec:8.2f} {TRIALS * BATCH / t_vec:7.0f} "
              f"{flops / t_vec / 1e9:7.1f} {flops / t_gemm / 1e9:6.1f} {t_vec / t_gemm:5.2f} "
              f"{hours:7.2f} {hours_one:10.2f}")
    print("1 trial / 20 trials: ms per iteration of one trial alone (OneModel) and of the 20 "
          "trials vectorised; speed-up: 20 x one trial / vectorised; rows/s: labelled rows of "
          "all trials per second, vectorised; GFLOP/s: of the vectorised iteration and of its "
          "products alone (bmm); ratio: vectorised iteration / its products; grid h: hours of "
          "the shape's Table II iterations vectorised, and one trial at a time")
    print(f"Table II grid, training only (estimate from the times above): vectorised {total:.1f} h,"
          f" one trial at a time {total_one:.1f} h, on {name}")


if __name__ == "__main__":
    main()
