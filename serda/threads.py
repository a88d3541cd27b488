"""How many threads a job may use: what it was given, never the machine's core count.

A job gets its share from the runner that started it: ``OMP_NUM_THREADS``
(set per task by utils/run.py, and from the allocation by the Slurm and
Grid Engine job scripts), else the scheduler's own variable
(``SLURM_CPUS_PER_TASK``, ``NSLOTS``), else the CPUs this process may run on
(its affinity mask, which a cgroup or ``taskset`` narrows).

Small models run on one thread whatever the allocation: below
``ONE_THREAD_BELOW`` multiply-adds per update, intra-op threads gain little
alone and, on a shared machine, make every update wait for a descheduled
thread (test/perf/bench_threads.py measures both).
"""
import math
import os

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
ALLOCATION_VARS = ("OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK", "NSLOTS")

# multiply-adds of one forward pass of one update (all members of a vectorised
# system). test/perf/bench_threads.py on 2 cores (test/perf/README.md): alone,
# two threads were 1.1-1.35x faster than one below it and >= 1.5x from it; beside
# a CPU-bound process, two threads were slower at every size (0.3-0.9x)
ONE_THREAD_BELOW = 2_300_000_000


def usable_cpus():
    """The CPUs this process may run on (affinity mask), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def allocated_threads(environ=None):
    """Threads the job was given: the first whole number >= 1 among
    ``ALLOCATION_VARS``, else the affinity mask's CPUs."""
    environ = os.environ if environ is None else environ
    for var in ALLOCATION_VARS:
        value = environ.get(var, "").strip()
        if value.isdigit() and int(value) >= 1:
            return int(value)
    return usable_cpus()


def thread_env(threads, environ=None):
    """A copy of ``environ`` with every BLAS/OpenMP thread variable set to ``threads``."""
    env = dict(os.environ if environ is None else environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    return env


def forward_macs(model, rows, input_shape=()):
    """Multiply-adds of one forward pass, estimated as weights x rows, times the
    frames of a frame input (a (T, D) input runs its weights over about T
    positions); ``model``: any nn.Module (a vectorised system's stacked
    parameters count every member)."""
    weights = sum(p.numel() for p in model.parameters()) if hasattr(model, "parameters") \
        else int(model)
    frames = input_shape[0] if len(input_shape) > 1 else 1
    return weights * rows * frames


def training_threads(macs, environ=None):
    """Threads for training: 1 below ``ONE_THREAD_BELOW`` multiply-adds per
    update, else the allocation."""
    return 1 if macs < ONE_THREAD_BELOW else allocated_threads(environ)


def threads_per_task(n_tasks, max_at_once, cpus=None):
    """A local runner's share per task: its CPUs over the tasks that run at once."""
    cpus = usable_cpus() if cpus is None else cpus
    at_once = max(1, min(n_tasks, max_at_once))
    return max(1, math.floor(cpus / at_once))
