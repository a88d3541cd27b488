"""One full-size training iteration vs its matrix products, with its parts.

Systems (full size, CPU, the thread setting of the process):

- paper 1, Abdelwahab & Busso (2018) DANN: 6,373 ComParE inputs, 1 shared
  layer, 2-layer task and domain heads, 256 units, BatchNorm, dropout
  0.2 (input) / 0.5, max-norm 4, clip-norm 10, Adam; batch 256 source +
  256 target;
- paper 2, MRD: 1,582 IS10 inputs, encoder 4 x 1024, regressors 4 and 5 x
  1024, BatchNorm, SELU, dropout 0.5, clip-norm 10, one Adam per part;
  batch 128 + 128; one iteration = source step, regressor step, 3 encoder
  steps.

Every iteration runs through serda's OneModel.update (the code the recipes
run). The reference is the arithmetic alone: the forward and backward
products of every Linear layer call the iteration made (recorded by hooks:
rows, in, out, whether the weight and the input need gradients), timed as
bare GEMMs in the same process. The parts printed beside it are timed the
same way on their own: the dropout masks of every Dropout call, and the
update (penalties, clipping, optimiser, max-norm) on the gradients of one
iteration. ``rest`` = iteration - GEMMs - masks - update: BatchNorm,
activations, losses, the GRL, autograd and Python. The four are timed in
turn within each of 7 rounds, and the ratio printed is the median of the
rounds' ratios with its range: on a VM whose speed drifts by 10 % or more
between runs, both sides of a ratio then see the same machine.
"""
import time

import torch
from torch import nn

from serda.config import load_config
from serda.methods import build_method
from serda.methods.base import Batch
from serda.nets.blocks import Dropout
from serda.train.one_model import OneModel
from serda.train.updates import finish_update

SYSTEMS = {
    "paper 1 DANN (6373 -> 256, batch 256 + 256)": (6373, 256, [
        "method=dann", "model.*.hidden=256", "model.*.max_norm=4.0", "model.encoder.layers=1",
        "model.encoder.dropout_in=0.2", "adapt.grl.schedule=constant"]),
    "paper 2 MRD (1582 -> 4 x 1024, batch 128 + 128)": (1582, 128, [
        "method=mrd", "model.*.hidden=1024", "model.*.batchnorm=true", "model.*.activation=selu",
        "model.*.dropout=0.5", "model.encoder.dropout_in=0.0", "model.encoder.max_norm=0.0",
        "model.encoder.layers=4", "model.task_head.layers=4", "model.task_head2.layers=5",
        "optim.lr=2e-4", "optim.state=per_part", "train.frozen_bn=keep"]),
}


def median_time(fn, repeat=7, inner=3, device="cpu"):
    """Median over ``repeat`` timings of ``inner`` calls of ``fn`` (seconds
    per call), after one warm-up call; on ``cuda`` the device is synchronised
    when the clock is read."""
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        if device == "cuda":
            torch.cuda.synchronize()
        times.append((time.perf_counter() - start) / inner)
    return sorted(times)[len(times) // 2]


def interleaved_times(fns, rounds=7, inner=3):
    """Per function of ``fns``: the median seconds per call over ``rounds``
    in which every function runs ``inner`` times in turn (after one
    warm-up call each), and the per-round times themselves. Alternating
    keeps a ratio of two of them honest on a machine whose speed drifts
    (another process, the neighbours of a VM): both sides of every round
    see the same machine."""
    for fn in fns:
        fn()
    rounds_ = [[] for _ in fns]
    for _ in range(rounds):
        for times, fn in zip(rounds_, fns):
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            times.append((time.perf_counter() - start) / inner)
    return [sorted(t)[len(t) // 2] for t in rounds_], rounds_


def round_ratios(a, b):
    """The median, smallest and largest of a[i] / b[i] over rounds, as text,
    for per-round times ``a`` and ``b`` of two functions timed in turn."""
    ratios = sorted(x / y for x, y in zip(a, b))
    return (f"{ratios[len(ratios) // 2]:.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f} over "
            f"{len(ratios)} rounds, each timing both in turn)")


def iteration_of(engine, batch):
    """One training iteration of ``engine`` on ``batch``: every update of
    every step (OneModel or StackedModels)."""
    def iteration():
        for index, step in enumerate(engine.steps):
            for _ in range(step.repeat):
                engine.update(index, batch)
    return iteration


def build(dim, rows, overrides):
    cfg = load_config(None, overrides)
    torch.manual_seed(0)
    method = build_method(cfg, (dim,), 1)
    method.scheduled.update({k: 1.0 for k in method.scheduled})
    engine = OneModel(method, cfg)
    batch = Batch(torch.randn(rows, dim), torch.randn(rows), torch.randn(rows, dim))
    method.train()
    return engine, iteration_of(engine, batch)


def record_calls(engine, iteration):
    """(Linear calls [(rows, in, out, weight grad?, input grad?)], Dropout
    input shapes [(shape, p)]) of one iteration."""
    linears, drops = [], []

    def on_linear(module, args, out):
        x = args[0]
        linears.append((x.shape[0], module.in_features, module.out_features,
                        module.weight.requires_grad, x.requires_grad))

    def on_dropout(module, args, out):
        if module.training and module.p > 0:
            drops.append((args[0].shape, module))
    hooks = [m.register_forward_hook(on_linear if isinstance(m, nn.Linear) else on_dropout)
             for m in engine.method.modules() if isinstance(m, (nn.Linear, Dropout))]
    iteration()
    for h in hooks:
        h.remove()
    return linears, drops


def gemms_only(linears):
    mats = [(torch.randn(n, i), torch.randn(i, o), torch.randn(n, o), wg, ig)
            for n, i, o, wg, ig in linears]

    def run():
        for x, w, gy, weight_grad, input_grad in mats:
            x @ w                      # forward
            if weight_grad:
                x.T @ gy               # weight gradient
            if input_grad:
                gy @ w.T               # input gradient
    return run


def masks_only(drops):
    inputs = [(torch.randn(shape), module) for shape, module in drops]

    def run():
        with torch.no_grad():
            for x, module in inputs:
                module(x)
    return run


def update_only(engine):
    """The update of the last step (penalties, clipping, optimiser,
    max-norm: serda.train.updates.finish_update) on the gradients the
    iteration timed beside it left (random ones before its first call)."""
    method = engine.method
    for p in method.parameters():
        p.grad = torch.randn_like(p) * 1e-3
    step = engine.steps[-1]
    params = method.parameters_of(step.parts)
    optimizers = [engine.optimizers[k] for k in engine.step_optimizers[step.name]]
    updates = sum(s.repeat for s in engine.steps)
    return lambda: [finish_update(optimizers, params, engine.cfg.optim, engine.constrained)
                    for _ in range(updates)]


def main():
    print(f"{torch.get_num_threads()} thread(s); times are medians of 7 rounds, "
          "the four timings alternating within each round")
    for name, (dim, rows, overrides) in SYSTEMS.items():
        engine, iteration = build(dim, rows, overrides)
        linears, drops = record_calls(engine, iteration)
        (t_iter, t_gemm, t_mask, t_update), per_round = interleaved_times(
            [iteration, gemms_only(linears), masks_only(drops), update_only(engine)])
        samples = 2 * rows
        print(f"{name}")
        print(f"  iteration:   {t_iter * 1e3:8.2f} ms = {samples / t_iter:8.0f} samples/s")
        print(f"  GEMMs alone: {t_gemm * 1e3:8.2f} ms ({len(linears)} Linear calls)")
        print(f"  parts: dropout masks {t_mask * 1e3:.2f} ms, update {t_update * 1e3:.2f} ms, "
              f"rest {(t_iter - t_gemm - t_mask - t_update) * 1e3:.2f} ms")
        print(f"  ratio iteration / GEMMs: {round_ratios(per_round[0], per_round[1])}")


if __name__ == "__main__":
    main()
