"""serda.threads: thread counts from the allocation, never from the machine."""
import os

import torch

from serda import threads


def test_allocation_variables_in_order_then_affinity():
    assert threads.allocated_threads({"OMP_NUM_THREADS": "3", "SLURM_CPUS_PER_TASK": "8"}) == 3
    assert threads.allocated_threads({"SLURM_CPUS_PER_TASK": "8", "NSLOTS": "4"}) == 8
    assert threads.allocated_threads({"NSLOTS": "4"}) == 4
    # unusable values are passed over
    assert threads.allocated_threads({"OMP_NUM_THREADS": "0", "NSLOTS": "x",
                                      "SLURM_CPUS_PER_TASK": "2"}) == 2
    assert threads.allocated_threads({}) == len(os.sched_getaffinity(0))


def test_thread_env_sets_every_library_variable():
    env = threads.thread_env(2, {"PATH": "/bin", "OMP_NUM_THREADS": "16"})
    assert env == {"PATH": "/bin", "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2",
                   "OPENBLAS_NUM_THREADS": "2"}


def test_share_per_task():
    assert threads.threads_per_task(10, 4, cpus=16) == 4
    assert threads.threads_per_task(2, 4, cpus=16) == 8   # only two run at once
    assert threads.threads_per_task(10, 4, cpus=2) == 1   # never below one
    assert threads.threads_per_task(1, 1, cpus=6) == 6


def test_forward_macs_and_the_one_thread_rule():
    mlp = torch.nn.Sequential(torch.nn.Linear(88, 256), torch.nn.Linear(256, 4))
    weights = 88 * 256 + 256 + 256 * 4 + 4
    assert threads.forward_macs(mlp, 32) == weights * 32
    assert threads.forward_macs(mlp, 32, (100, 88)) == weights * 32 * 100
    env = {"SLURM_CPUS_PER_TASK": "8"}
    assert threads.training_threads(threads.ONE_THREAD_BELOW - 1, env) == 1
    assert threads.training_threads(threads.ONE_THREAD_BELOW, env) == 8
