"""ssl feature extraction against the bare forward pass and the usual per-file loop.

A Base-size model of a family (random weights: the arithmetic of the trained
model, serda.features.ssl_random) and utterances of 2-8 s (an emotion
corpus' lengths), in one run, interleaved over rounds:

  serda     SSLFeatures.compute_many (sorted, batched, masked; pooled per
            layer) with the device's default batch_s (0 on CPU)
  bare      the model's forward pass alone on the same padded batches, hidden
            states out, nothing else: the limit
  serda-120, bare-120  the same with batch_s=120 (the GPU default)
  per-file  the usual loop: the library's feature extractor and the model per
            file, the hidden states averaged over frames

and, each in a fresh process, the peak memory (max RSS) of loading the
model and pooling one file of 1, 3 and 10 minutes (chunked: bounded by
one window, not by the file). Prints seconds, seconds of audio per
second and the ratios. ``--device cuda --dtype float16`` on a GPU.
"""
import argparse
import multiprocessing
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from serda.features.ssl import SSLFeatures
from serda.features.ssl_random import save_random_checkpoint


def utterances(n, seed=0):
    rng = np.random.default_rng(seed)
    return [(0.1 * rng.standard_normal(int(rng.uniform(2.0, 8.0) * 16000))).astype(np.float32)
            for _ in range(n)]


def run_serda(ex, xs):
    return ex.compute_many(xs)


@torch.inference_mode()
def run_bare(ex, xs):
    """The model on serda's own batches, padded and masked, nothing around it."""
    pieces = [p for i, x in enumerate(xs) for p in ex.pieces(i, len(x))]
    for group in ex.batches(pieces):
        lengths = torch.tensor([p.end - p.start for p in group])
        x = torch.zeros(len(group), int(lengths.max()))
        for b, p in enumerate(group):
            x[b, :p.end - p.start] = torch.from_numpy(xs[p.utt][p.start:p.end])
        mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).long()
        padded = bool((lengths < x.shape[1]).any())
        ex.encoder(x.to(ex.device, ex.dtype), output_hidden_states=True,
                   attention_mask=mask.to(ex.device) if padded else None)


@torch.inference_mode()
def run_per_file(ckpt, model, xs, device, dtype):
    """The usual loop: feature extractor + model per file, mean over frames."""
    import transformers
    fe = transformers.Wav2Vec2FeatureExtractor.from_pretrained(str(ckpt))
    out = []
    for x in xs:
        inputs = fe(x, sampling_rate=16000, return_tensors="pt").input_values
        states = model(inputs.to(device, dtype), output_hidden_states=True).hidden_states
        out.append(torch.stack([h[0].float().mean(0) for h in states]).cpu().numpy())
    return out


def timed(fn, device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def peak_memory(ckpt, minutes, device, dtype, queue):
    """In a fresh process: its peak RSS (MiB) while loading the model and
    computing serda's pooled features of one file of ``minutes``."""
    ex = SSLFeatures(model=str(ckpt), device=device, dtype=dtype)
    long_file = np.resize(utterances(1)[0], int(minutes * 60 * 16000))
    ex.compute(long_file, 16000)
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--family", default="wavlm", choices=("wavlm", "hubert", "wav2vec2",
                                                         "data2vec-audio"))
    p.add_argument("--size", default="base", choices=("base", "large"))
    p.add_argument("--utterances", type=int, default=40)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="float32")
    args = p.parse_args()
    xs = utterances(args.utterances)
    seconds = sum(len(x) for x in xs) / 16000
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = save_random_checkpoint(args.family, args.size, Path(tmp) / "model")
        ex = SSLFeatures(model=str(ckpt), device=args.device, dtype=args.dtype)
        batched = SSLFeatures(model=str(ckpt), device=args.device, dtype=args.dtype,
                              batch_s=120.0)
        runs = {"serda": lambda: run_serda(ex, xs), "bare": lambda: run_bare(ex, xs),
                "per-file": lambda: run_per_file(ckpt, ex.encoder, xs, args.device, ex.dtype),
                "serda-120": lambda: run_serda(batched, xs),
                "bare-120": lambda: run_bare(batched, xs)}
        run_serda(ex, xs)              # warm-up: the kernels of every input shape, for all
        run_serda(batched, xs)
        times = {name: [] for name in runs}
        names = list(runs)
        for r in range(args.rounds):   # each round in another order
            for name in names[r % len(names):] + names[:r % len(names)]:
                times[name].append(timed(runs[name], args.device))
        ctx = multiprocessing.get_context("spawn")
        memory = {}
        for minutes in (1, 3, 10):
            queue = ctx.Queue()
            proc = ctx.Process(target=peak_memory, args=(ckpt, minutes, args.device, args.dtype,
                                                         queue))
            proc.start()
            memory[minutes] = queue.get()
            proc.join()
    t = {name: statistics.median(v) for name, v in times.items()}
    print(f"{args.size} {args.family}, random weights, {args.device} {args.dtype}, "
          f"{torch.get_num_threads()} threads; {len(xs)} utterances of 2-8 s ({seconds:.0f} s of "
          f"audio); median of {args.rounds} rounds")
    for name in runs:
        print(f"  {name:<9} {t[name]:8.2f} s  {seconds / t[name]:7.1f} s of audio per s")
    print(f"serda (batch_s={ex.budget / 16000:g}) / bare forward: "
          f"{t['serda'] / t['bare']:.3f}x the time")
    print(f"per-file loop / serda: {t['per-file'] / t['serda']:.2f}x (serda's speed-up)")
    print(f"batch_s=120 / batch_s={ex.budget / 16000:g}: {t['serda-120'] / t['serda']:.2f}x the "
          f"time (bare forward on those batches {t['bare-120'] / t['bare']:.2f}x)")
    print("peak RSS of a process loading the model and pooling one file: " + ", ".join(
        f"{m} min {v:.0f} MiB" for m, v in memory.items())
          + f" ({memory[10] / memory[1]:.2f}x for 10x the audio)")


if __name__ == "__main__":
    main()
