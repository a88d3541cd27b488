"""Stages 4-5 of a cross-corpus leaderboard: one system at a time vs every system at once.

Prepares egs/cross_corpus/mlp's mini leaderboard over six synthetic corpora
(30 ordered pairs and 6 within-corpus cross-validations = 36 experiments;
methods src and dann: 66 systems, 3 vectorised trials each) once (stages
0-3, in a temporary folder), then times stages 4-5 in fresh experiment dirs,
in one run, alternating:

  serial    ./run.sh ... --serial true   one system's jobs after the other's
  parallel  ./run.sh ... --nj <CPUs>     every system of the leaderboard submitted at once

With ``--load`` each is timed again with a CPU-bound process running beside
it (a second user's job on the machine). Checks that every decoded metric of
every run is the same, number for number (``metrics.json`` of every trial,
fold and pooled system), and prints the times and ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cpu_load import cpu_bound_process

REPO = Path(__file__).resolve().parents[2]
RECIPE = REPO / "egs" / "cross_corpus" / "mlp"
CORPORA = "mini_en mini_de mini_acted_de mini_improv_en mini_studio_en mini_dyad_fr"


def env_for(work):
    env = os.environ.copy()
    env["PATH"] = f"{Path(sys.executable).parent}:{REPO / 'utils'}:{env['PATH']}"
    env["LC_ALL"] = "C"
    env["CMD_BACKEND"] = "local"
    for name in CORPORA.split():
        env[f"{name.upper()}_CROSS"] = str(work / "corpora" / name)
    return env


def recipe(work, *options, log):
    argv = ["./run.sh", "--mini", "true", "--mini-corpora", CORPORA, "--methods", "src dann",
            "--task", "arousal", "--mini-train-args", "train.epochs=10",
            "--mini-sim-opts", "--utts-per-speaker 10 --unlab-per-speaker 0",
            "--datadir", str(work / "data"), "--dumpdir", str(work / "dump"), *options]
    with open(log, "w") as out:
        r = subprocess.run(argv, cwd=RECIPE, env=env_for(work), stdout=out,
                           stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"bench_experiments: {' '.join(argv)} failed; see {log}")


def stages_4_5(work, name, options):
    """Seconds of stages 4-5 into a fresh exp dir; its metrics."""
    exp = work / f"exp_{name}"
    start = time.perf_counter()
    recipe(work, "--stage", "4", "--stop-stage", "5", "--expdir", str(exp), *options,
           log=work / f"{name}.log")
    seconds = time.perf_counter() - start
    # a pooled system's metrics name its fold dirs: compare them relative to the exp dir
    metrics = {str(p.relative_to(exp)): p.read_text().replace(str(exp), "<exp>")
               for p in sorted(exp.rglob("metrics.json"))}
    return seconds, metrics


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=1, help="timings of each mode (median kept)")
    p.add_argument("--load", action="store_true",
                   help="time both modes again with a CPU-bound process beside")
    p.add_argument("--work", help="folder to keep the runs in [a temporary one]")
    args = p.parse_args()
    cpus = len(os.sched_getaffinity(0))
    modes = {"serial": ["--serial", "true"], "parallel": ["--nj", str(cpus)]}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        recipe(work, "--stop-stage", "3", "--expdir", str(work / "exp_prep"),
               log=work / "prepare.log")
        print(f"stages 0-3 (6 corpora): {time.perf_counter() - start:.0f} s")
        conditions = [("alone", False)] + ([("beside a CPU-bound process", True)]
                                           if args.load else [])
        times, reference = {}, None
        for label, loaded in conditions:
            with cpu_bound_process(loaded):
                for r in range(args.rounds):
                    for mode, options in modes.items():
                        name = f"{mode}_{'load' if loaded else 'alone'}_{r}"
                        seconds, metrics = stages_4_5(work, name, options)
                        times.setdefault((label, mode), []).append(seconds)
                        reference = reference or metrics
                        if metrics != reference:
                            differ = [k for k in reference if metrics.get(k) != reference[k]]
                            sys.exit(f"bench_experiments: {name} differs from the first run in "
                                     f"{len(differ)} metrics file(s), e.g. {differ[:3]}")
    print(f"{cpus} usable CPUs; stages 4-5 of 36 experiments x (src, dann), 66 systems; "
          f"{len(reference)} metrics files, identical in every run; median of {args.rounds}")
    print(f"{'condition':<28} {'serial s':>9} {'parallel s':>11} {'speed-up':>9}")
    for label, _ in conditions:
        s = statistics.median(times[(label, "serial")])
        q = statistics.median(times[(label, "parallel")])
        print(f"{label:<28} {s:9.1f} {q:11.1f} {s / q:8.2f}x")
    if args.load:
        alone = statistics.median(times[("alone", "parallel")])
        loaded = statistics.median(times[("beside a CPU-bound process", "parallel")])
        print(f"parallel beside a CPU-bound process / alone: {loaded / alone:.2f}x the time")


if __name__ == "__main__":
    main()
