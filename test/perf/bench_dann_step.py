"""Throughput of one full-size Abdelwahab DANN training step vs its GEMMs.

Network as in Abdelwahab & Busso (2018): 6,373 ComParE inputs, 1 shared
layer, 2-layer task and domain heads, 256 units, BatchNorm, dropout
0.2 / 0.5, max-norm 4, clip-norm 10, Adam; batch 256 source + 256 target.
The step runs through serda's OneModel.update (the code recipes use).
The reference is the same matrix products alone (forward and backward of
every Linear layer, with the batch sizes the step uses), timed in the same
process; the ratio says how much the rest (BatchNorm, dropout, GRL, Adam,
clipping, max-norm, Python) costs on top of the arithmetic.
"""
import time

import torch

from serda.config import load_config
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.one_model import OneModel

D, H, B = 6373, 256, 256


def median_time(fn, repeat=7, inner=5):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return sorted(times)[len(times) // 2]


def dann_step():
    cfg = load_config(None, ["method=dann", f"model.*.hidden={H}", "model.*.max_norm=4.0",
                             "model.encoder.layers=1", "model.encoder.dropout_in=0.2",
                             "adapt.grl.schedule=constant"])
    torch.manual_seed(0)
    method = build_method(cfg, (D,), 1)
    method.scheduled["lambda"] = 1.0
    engine = OneModel(method, cfg)
    batch = Batch(torch.randn(B, D), torch.randn(B), torch.randn(B, D))
    return lambda: engine.update(0, batch)


def gemms_only():
    """Forward + backward products of the same layers: encoder on 2B rows,
    task head (H->H->H->1) on B rows, domain head (H->H->H->2) on 2B rows."""
    layers = [(2 * B, D, H, False)]                       # (rows, in, out, needs grad wrt input)
    layers += [(B, H, H, True), (B, H, H, True), (B, H, 1, True)]
    layers += [(2 * B, H, H, True), (2 * B, H, H, True), (2 * B, H, 2, True)]
    mats = [(torch.randn(n, i), torch.randn(i, o), torch.randn(n, o), g) for n, i, o, g in layers]

    def run():
        for x, w, gy, needs_input_grad in mats:
            x @ w                      # forward
            x.T @ gy                   # weight gradient
            if needs_input_grad:
                gy @ w.T               # input gradient
    return run


def main():
    threads = torch.get_num_threads()
    t_step = median_time(dann_step())
    t_gemm = median_time(gemms_only())
    print(f"DANN step, 6373 -> 256, batch {B} source + {B} target, {threads} thread(s)")
    print(f"  full step:   {t_step * 1e3:8.2f} ms  = {2 * B / t_step:9.0f} samples/s")
    print(f"  GEMMs alone: {t_gemm * 1e3:8.2f} ms  = {2 * B / t_gemm:9.0f} samples/s")
    print(f"  ratio step / GEMMs: {t_step / t_gemm:.2f}")


if __name__ == "__main__":
    main()
