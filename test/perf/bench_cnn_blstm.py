"""Paper 4's CNN-BLSTM: training throughput through serda's loop vs the bare
network.

The DANN_2 S+C system of egs/iemocap_multi/dann_center (conf/cnn_blstm.yaml:
3 conv blocks 32-64-64, BLSTM 2 x 128, gender + language + corpus heads
behind the GRL, center loss, Adadelta, batch 128) on ROWS synthetic 32 x 129
spectrogram segments of two corpora. Measured side by side in one run:

- serda: one epoch of serda.train.loop.TrainingLoop with the OneModel
  engine (batch assembly, domain codes, schedules, the centre update,
  clipping off, per-epoch bookkeeping and checkpoint);
- bare: the same number of forward + backward + Adadelta steps of the same
  network on batches sliced beforehand, no data pipeline around them.

Each is timed twice, interleaved, and the faster run kept. Prints
segments/s of both and the ratio serda / bare (the pipeline's overhead); ``--device cuda`` on a GPU machine.

    tools/venv/bin/python test/perf/bench_cnn_blstm.py [--rows 2048] [--device cpu]
"""
import argparse
import tempfile
import time
from pathlib import Path

import torch

from serda.config import load_config
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.data import SetTensors, TrainingData
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel

CONF = Path(__file__).resolve().parents[2] / "egs/iemocap_multi/dann_center/conf/cnn_blstm.yaml"
SHAPE = (32, 129)
HEADS = ("gender", "lang", "corpus")


def segments(rows, device, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, *SHAPE, generator=g)
    y = torch.randint(0, 2, (rows,), generator=g)
    codes = {a: torch.randint(0, 2, (rows,), generator=g) for a in HEADS}
    s = SetTensors("train", [f"u{i}" for i in range(rows)], x.to(device), y.to(device),
                   torch.arange(rows, device=device))
    s.domains = {a: c.to(device) for a, c in codes.items()}
    return s


def config(device):
    return load_config(CONF, ["adapt.domain_heads=[gender, lang, corpus]",
                              "adapt.softmax_weight=0.5", "adapt.domain_rows=labelled",
                              "train.epochs=1", f"train.device={device}"])


def serda_epoch(cfg, data, device, root):
    torch.manual_seed(1)
    method = build_method(cfg, SHAPE, 2, {a: 2 for a in HEADS}).to(device)
    member = Member(1, TrainingData(data, n_classes=2, vocab={a: ["a", "b"] for a in HEADS}), root)
    loop = TrainingLoop(OneModel(method, cfg), cfg, [member], root / "last.pt", False, False)
    start = time.perf_counter()
    list(loop.fit())
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def bare_epoch(cfg, data, device):
    torch.manual_seed(1)
    method = build_method(cfg, SHAPE, 2, {a: 2 for a in HEADS}).to(device)
    method.train()
    method.scheduled["lambda"] = 0.3
    opt = torch.optim.Adadelta(method.parameters(), lr=cfg.optim.lr)
    b = cfg.train.batch_size
    batches = [Batch(xs=data.x[i:i + b], ys=data.y[i:i + b],
                     ds={a: c[i:i + b] for a, c in data.domains.items()})
               for i in range(0, data.x.shape[0] - b + 1, b)]
    start = time.perf_counter()
    for batch in batches:
        opt.zero_grad(set_to_none=True)
        sum(v for k, v in method.losses(batch).items() if not k.startswith("_")).backward()
        opt.step()
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start, len(batches) * b


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=2048)
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    cfg = config(args.device)
    data = segments(args.rows, args.device)
    bare_epoch(cfg, segments(256, args.device), args.device)     # warm-up (allocator, kernels)
    t_serda, t_bare = [], []
    for _ in range(2):          # interleaved, the faster of two each: no order effect
        with tempfile.TemporaryDirectory() as tmp:
            t_serda.append(serda_epoch(cfg, data, args.device, Path(tmp)))
        t, n_bare = bare_epoch(cfg, data, args.device)
        t_bare.append(t)
    t_serda, t_bare = min(t_serda), min(t_bare)
    rate_serda, rate_bare = args.rows / t_serda, n_bare / t_bare
    print(f"CNN-BLSTM DANN_2 S+C, {args.rows} segments of {SHAPE[0]} x {SHAPE[1]}, batch "
          f"{cfg.train.batch_size}, {args.device}, {torch.get_num_threads()} thread(s)")
    print(f"  serda training loop: {t_serda:7.2f} s  {rate_serda:8.1f} segments/s")
    print(f"  bare fwd+bwd+step:   {t_bare:7.2f} s  {rate_bare:8.1f} segments/s")
    print(f"  time per segment, serda / bare: {rate_bare / rate_serda:.2f}")


if __name__ == "__main__":
    main()
