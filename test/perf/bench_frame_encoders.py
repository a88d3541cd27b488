"""The frame-level encoders' systems, full size: training throughput through
serda's loop vs the bare network.

- paper 4, CNN-BLSTM: the DANN_2 S+C system of egs/iemocap_multi/dann_center
  (conf/cnn_blstm.yaml: 3 conv blocks 32-64-64, BLSTM 2 x 128, gender +
  language + corpus heads behind the GRL, center loss, Adadelta, batch 128)
  on ROWS synthetic 32 x 129 spectrogram segments;
- paper 5, conv-attention: the ``our`` system (BN1) of
  egs/iemocap_recola/dann_xling (conf/xling.yaml: Conv1d 200 x 10 / 3, max-pool
  30, attention, BatchNorm over the mixed batch, dropout 0.7, emotion and
  language classifiers, Adam, batch 32 source + 32 target) on ROWS source and
  ROWS target synthetic 750 x 26 filterbank matrices.

Measured side by side in one run, each timed twice interleaved and the faster
run kept (no order effect):

- serda: one epoch of serda.train.loop.TrainingLoop with the OneModel engine
  (batch assembly, domain codes, schedules, per-epoch bookkeeping and the
  checkpoint);
- bare: the same number of forward + backward + optimiser steps of the same
  network on batches sliced beforehand, no data pipeline around them.

Prints rows/s of both and the ratio serda / bare (the pipeline's overhead).
Then, whether vectorising trials pays for these networks: one iteration (every
update of one batch) of TRIALS trials as one batched model
(serda.train.stacked.StackedModels, ``train.vectorize: true``) against TRIALS
times one trial's iteration (OneModel), median of 3 each; printed as the
speed-up TRIALS x one / vectorised. ``--device cuda`` on a GPU machine.

    tools/venv/bin/python test/perf/bench_frame_encoders.py [--rows 2048] [--device cpu]
"""
import argparse
import tempfile
import time
from pathlib import Path

import torch

from bench_train_step import iteration_of, median_time
from serda.config import load_config
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.data import SetTensors, TrainingData
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels
from serda.train.updates import make_optimizer

EGS = Path(__file__).resolve().parents[2] / "egs"
HEADS = ("gender", "lang", "corpus")
TRIALS = 5   # the recipes' trials per system
SYSTEMS = {
    "paper 4 CNN-BLSTM DANN_2 S+C, segments of 32 x 129": dict(
        conf=EGS / "iemocap_multi/dann_center/conf/cnn_blstm.yaml", shape=(32, 129), target=False,
        overrides=["adapt.domain_heads=[gender, lang, corpus]", "adapt.softmax_weight=0.5",
                   "adapt.domain_rows=labelled"]),
    "paper 5 conv-attention 'our' (BN1), 750 x 26 + target rows": dict(
        conf=EGS / "iemocap_recola/dann_xling/conf/xling.yaml", shape=(750, 26), target=True,
        overrides=["train.vectorize=false", "train.select=last"]),
}


def frames(rows, shape, device, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, *shape, generator=g)
    y = torch.randint(0, 2, (rows,), generator=g)
    s = SetTensors(f"set{seed}", [f"u{i}" for i in range(rows)], x.to(device), y.to(device),
                   torch.arange(rows, device=device))
    s.domains = {a: torch.randint(0, 2, (rows,), generator=g).to(device) for a in HEADS}
    return s


def build(system, device):
    cfg = load_config(system["conf"], system["overrides"] + ["train.epochs=1",
                                                             f"train.device={device}"])
    torch.manual_seed(1)
    method = build_method(cfg, system["shape"], 2, {a: 2 for a in HEADS}).to(device)
    method.scheduled.update({k: cfg.adapt.grl.max if k == "lambda" else 1.0
                             for k in method.scheduled})
    return cfg, method


def serda_epoch(system, source, target, device, root):
    cfg, method = build(system, device)
    data = TrainingData(source, target=target if system["target"] else None, n_classes=2,
                        vocab={a: ["a", "b"] for a in HEADS})
    loop = TrainingLoop(OneModel(method, cfg), cfg, [Member(1, data, root)], root / "last.pt",
                        False, False)
    start = time.perf_counter()
    list(loop.fit())
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def bare_epoch(system, source, target, device):
    cfg, method = build(system, device)
    method.train()
    opt = make_optimizer(cfg.optim, list(method.parameters()))
    b = cfg.train.batch_size
    batches = [Batch(xs=source.x[i:i + b], ys=source.y[i:i + b],
                     xt=target.x[i:i + b] if system["target"] else None,
                     ds={a: c[i:i + b] for a, c in source.domains.items()})
               for i in range(0, source.x.shape[0] - b + 1, b)]
    steps = method.steps()
    start = time.perf_counter()
    for batch in batches:
        for step in steps:
            opt.zero_grad(set_to_none=True)
            sum(v for k, v in step.loss(batch).items() if not k.startswith("_")).backward()
            opt.step()
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start, len(batches) * b


def random_batch(system, cfg, device, lead=()):
    """One batch of random rows, with a leading trial dimension ``lead``."""
    b = cfg.train.batch_size
    return Batch(xs=torch.randn(*lead, b, *system["shape"], device=device),
                 ys=torch.randint(0, 2, (*lead, b), device=device),
                 xt=torch.randn(*lead, b, *system["shape"], device=device)
                 if system["target"] else None,
                 ds={a: torch.randint(0, 2, (*lead, b), device=device) for a in HEADS})


def vectorised_speedup(system, device):
    """(one trial's iteration, TRIALS trials' vectorised iteration), seconds."""
    cfg, _ = build(system, device)

    def make(k):
        m = build_method(cfg, system["shape"], 2, {a: 2 for a in HEADS}).to(device)
        m.scheduled.update({n: cfg.adapt.grl.max if n == "lambda" else 1.0 for n in m.scheduled})
        return m
    one = OneModel(make(0), cfg)
    one.train_mode()
    t_one = median_time(iteration_of(one, random_batch(system, cfg, device)), 3, 1, device)
    stacked = StackedModels(make, cfg, list(range(1, TRIALS + 1)))
    stacked.train_mode()
    t_vec = median_time(iteration_of(stacked, random_batch(system, cfg, device, (TRIALS,))),
                        3, 1, device)
    return t_one, t_vec


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=2048)
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    print(f"{args.rows} labelled rows per system, {args.device}, "
          f"{torch.get_num_threads()} thread(s)")
    for name, system in SYSTEMS.items():
        source = frames(args.rows, system["shape"], args.device, 0)
        target = frames(args.rows, system["shape"], args.device, 1)
        warm = frames(256, system["shape"], args.device, 2)
        bare_epoch(system, warm, warm, args.device)       # warm-up (allocator, kernels)
        t_serda, t_bare = [], []
        for _ in range(2):
            with tempfile.TemporaryDirectory() as tmp:
                t_serda.append(serda_epoch(system, source, target, args.device, Path(tmp)))
            t, n_bare = bare_epoch(system, source, target, args.device)
            t_bare.append(t)
        rate_serda, rate_bare = args.rows / min(t_serda), n_bare / min(t_bare)
        print(name)
        print(f"  serda training loop: {min(t_serda):7.2f} s  {rate_serda:8.1f} labelled rows/s")
        print(f"  bare fwd+bwd+step:   {min(t_bare):7.2f} s  {rate_bare:8.1f} labelled rows/s")
        print(f"  time per row, serda / bare: {rate_bare / rate_serda:.2f}")
        t_one, t_vec = vectorised_speedup(system, args.device)
        print(f"  one iteration: one trial {t_one * 1e3:.0f} ms, {TRIALS} trials vectorised "
              f"{t_vec * 1e3:.0f} ms; speed-up {TRIALS} x one / vectorised: "
              f"{TRIALS * t_one / t_vec:.2f}")


if __name__ == "__main__":
    main()
