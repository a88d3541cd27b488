"""The mini recipes through the Slurm backend give the local backend's tables.

Feature extraction (nj = 2) and training (3 trials) run as Slurm array jobs
(CMD_BACKEND=slurm); with the same seeds the RESULTS table must equal the
one the local backend writes. The mini leaderboard's training jobs, every
system of every experiment, go out as one array that runs several at once
and gives the serial run's leaderboard. Skipped when no Slurm is up (CI
starts one with tools/start_slurm.sh).
"""
import subprocess
import time

import pytest

from conftest import REPO, run_env
from test_cluster_jobs import slurm_is_up

RECIPE = REPO / "egs" / "mini_en2de" / "dann"
pytestmark = pytest.mark.skipif(not slurm_is_up(), reason="no Slurm (run tools/start_slurm.sh)")


def run(tmp, backend, name):
    env = run_env()
    env.update(MINI_EN=str(tmp / "corpora/mini_en"), MINI_DE=str(tmp / "corpora/mini_de"),
               CMD_BACKEND=backend)
    r = subprocess.run(
        ["./run.sh", "--nj", "2", "--datadir", str(tmp / name / "data"),
         "--dumpdir", str(tmp / name / "dump"), "--expdir", str(tmp / name / "exp"),
         "--sim-opts", "--utts-per-speaker 2 --unlab-per-speaker 2", "--ntrials", "3",
         "--systems", "conf/src.yaml conf/dann.yaml",
         "--train-args", "train.epochs=2 train.batch_size=8"],
        cwd=RECIPE, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert f"(backend: {backend})" in r.stdout
    table = (tmp / name / "exp/arousal/RESULTS.md").read_text().splitlines()
    return r.stdout, [line for line in table if line.startswith("|")]


def test_slurm_backend_reproduces_the_local_table(tmp_path):
    _, local = run(tmp_path, "local", "local")
    out, slurm = run(tmp_path, "slurm", "slurm")
    assert len(local) == 4 and slurm == local
    # the heavy stages really went through sbatch: array scripts and their submissions
    dump = tmp_path / "slurm/dump/is13/mini_en_train/log/q"
    assert (dump / "extract.1.sh").is_file()
    assert "--array 1-2" in (dump / "extract.1.submit").read_text()
    train_q = (tmp_path / "slurm/exp/jobs/q/train.1.submit").read_text()
    assert "--array 1-6%2 --job-name train.1" in train_q   # src and dann, 3 trials each


LEADERBOARD = REPO / "egs" / "cross_corpus" / "mlp"


def leaderboard(tmp, backend, exp, *options):
    env = run_env()
    env.update({f"{c.upper()}_CROSS": str(tmp / "corpora" / c)
                for c in ("mini_en", "mini_de", "mini_acted_de")}, CMD_BACKEND=backend)
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--methods", "src dann", "--task", "arousal",
         "--mini-sim-opts", "--utts-per-speaker 6 --unlab-per-speaker 0",
         "--mini-train-args", "train.epochs=3", "--mini-trials", "2",
         "--datadir", str(tmp / "data"), "--dumpdir", str(tmp / "dump"),
         "--expdir", str(tmp / exp), *options],
        cwd=LEADERBOARD, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    board = (tmp / exp / "mini_arousal/LEADERBOARD.md").read_text().splitlines()
    return [line for line in board if line.startswith("|")]


def sacct_rows(since):
    """(job name, start, end) of the jobs Slurm's job-completion log holds
    that started at or after ``since`` (sacct --completion: the single-node
    Slurm of tools/start_slurm.sh has no accounting database)."""
    r = subprocess.run(["sacct", "--completion", "-n", "-P", "-o", "JobName,Start,End",
                        "-S", since], capture_output=True, text=True, timeout=60)
    rows = [line.split("|") for line in r.stdout.splitlines() if line.count("|") == 2]
    return [(n, s, e) for n, s, e in rows if s >= since]


def test_leaderboard_trains_as_one_array_with_jobs_at_once_and_matches_serial(tmp_path):
    serial = leaderboard(tmp_path, "local", "exp_serial", "--serial", "true")
    since = time.strftime("%Y-%m-%dT%H:%M:%S")
    slurm = leaderboard(tmp_path, "slurm", "exp_slurm", "--stage", "4", "--nj", "2")
    assert slurm == serial and len(serial) > 6
    jobs = tmp_path / "exp_slurm/jobs"
    # 6 pairs x (src, dann) + 3 within-corpus src: one array of 15 training jobs
    tasks = (jobs / "train.1.tasks").read_text().splitlines()
    assert len(tasks) == 15
    assert "--array 1-15%2 --job-name train.1" in (jobs / "q/train.1.submit").read_text()
    train = sorted((s, e) for n, s, e in sacct_rows(since) if n == "train.1")
    assert len(train) == 15
    at_once = max(sum(1 for s, e in train if s <= t < e) for t, _ in train)
    assert at_once > 1, train
