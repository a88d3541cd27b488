"""The mini recipe through the Slurm backend gives the local backend's table.

Feature extraction (nj = 2) and training (3 trials) run as Slurm array jobs
(CMD_BACKEND=slurm); with the same seeds the RESULTS table must equal the
one the local backend writes. Skipped when no Slurm is up (CI starts one
with tools/start_slurm.sh).
"""
import subprocess

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
    train_q = next((tmp_path / "slurm/exp/arousal").glob("src*/log/q/train.submit"))
    assert "--array 1-3" in train_q.read_text()
