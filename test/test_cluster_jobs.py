"""Cluster backends: site conf, submission text, task scripts, failure
reporting; against a real Slurm when one is up (tools/start_slurm.sh)."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, UTILS, run_env
from serda.errors import InputError
from serda.jobs.cluster import CONF_DIR, SGE, SLURM, job_script, run_cluster, submit_command
from serda.jobs.queue_conf import parse_queue_conf
from serda.jobs.spec import parse_job_args


def slurm_is_up():
    if not shutil.which("sinfo"):
        return False
    r = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, timeout=20)
    return r.returncode == 0 and bool({"idle", "mix", "alloc"} & set(r.stdout.split()))


needs_slurm = pytest.mark.skipif(not slurm_is_up(), reason="no Slurm (run tools/start_slurm.sh)")


def test_conf_maps_options_exact_before_wildcard_and_fills_defaults():
    conf = parse_queue_conf((CONF_DIR / "slurm.conf").read_text(), "slurm.conf")
    assert conf.command == ["sbatch", "--export=ALL"]
    assert conf.flags("gpu", "0") == [] and conf.flags("gpu", "2") == ["--gres=gpu:2"]
    assert conf.submit_flags({"mem": "4G"}) == ["--mem-per-cpu=4G", "--cpus-per-task=1"]
    with pytest.raises(InputError, match="slurm.conf: no 'option exclusive=...' line"):
        conf.flags("exclusive", "1")
    with pytest.raises(InputError, match=r"my.conf:2: expected"):
        parse_queue_conf("command sbatch\nfrobnicate yes\n", "my.conf")


def test_sge_submission_text():
    spec = parse_job_args(["--mem", "4G", "--num-threads", "2", "--max-jobs-run", "3",
                           "JOB=1:5", "exp/log/train.JOB.log", "echo", "JOB"])
    conf = parse_queue_conf((CONF_DIR / "queue.conf").read_text(), "queue.conf")
    argv = submit_command(spec, SGE, conf, "exp/log/q/train.sh", "exp/log/q")
    assert " ".join(argv) == ("qsub -V -cwd -S /bin/bash -l mem_free=4G,ram_free=4G -pe smp 2 "
                              "-t 1-5 -sync y -N train -o exp/log/q -j y -tc 3 exp/log/q/train.sh")


def test_slurm_submission_text_with_gpu_and_time():
    spec = parse_job_args(["--gpu", "1", "--time", "2:00:00", "JOB=1:20", "log/t.JOB.log", "x"])
    conf = parse_queue_conf((CONF_DIR / "slurm.conf").read_text(), "slurm.conf")
    argv = submit_command(spec, SLURM, conf, "log/q/t.sh", "log/q")
    assert " ".join(argv) == ("sbatch --export=ALL --gres=gpu:1 --cpus-per-task=1 --time=2:00:00 "
                              "--parsable --array 1-20 --job-name t --output log/q/t.%a.out log/q/t.sh")


def _fake_scheduler(var, skip=()):
    """A runner that plays the scheduler: runs the array script once per
    task index (except ``skip``: tasks 'cancelled' before they ran)."""
    def run(argv, **_kw):
        if argv[0] == "squeue":
            return subprocess.CompletedProcess(argv, 0, "", "")
        n = int(next(a for a in argv if a.startswith("1-")).split("-")[1].split("%")[0])
        codes = []
        for i in range(1, n + 1):
            if i in skip:
                continue
            env = dict(os.environ, **{var: str(i)})
            codes.append(subprocess.run(["bash", argv[-1]], env=env).returncode)
        return subprocess.CompletedProcess(argv, max(codes + [1 if skip else 0]), "42\n", "")
    return run


@pytest.mark.parametrize("backend", [SLURM, SGE])
def test_task_script_runs_each_task_through_serda_task(tmp_path, monkeypatch, capsys, backend):
    monkeypatch.chdir(tmp_path)
    spec = parse_job_args(["JOB=1:3", "log/t.JOB.log", "echo", "out", "JOB", ";", "test", "JOB",
                           "-ne", "2"])
    assert run_cluster(spec, backend, "x.py", runner=_fake_scheduler(backend.task_var)) == 1
    err = capsys.readouterr().err
    assert "task 2 failed (exit code 1); see log/t.2.log" in err and "1 of 3" in err
    for k in (1, 3):
        text = (tmp_path / f"log/t.{k}.log").read_text()
        assert text.startswith(f"# echo out {k} ; test {k} -ne 2") and f"out {k}\n" in text
        assert "# Ended (code 0)" in text


def test_task_that_never_finished_counts_as_failed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "log").mkdir()
    (tmp_path / "log/t.2.log").write_text("# Ended (code 0) from an earlier run\n")
    spec = parse_job_args(["JOB=1:3", "log/t.JOB.log", "true"])
    assert run_cluster(spec, SLURM, "slurm.py",
                       runner=_fake_scheduler(SLURM.task_var, skip={2})) == 1
    err = capsys.readouterr().err
    assert "task 2 did not finish" in err and "log/t.2.log" in err


def test_job_script_offsets_a_range_not_starting_at_1(tmp_path):
    spec = parse_job_args(["JOB=4:5", "log/t.JOB.log", "echo", "JOB"])
    script = job_script(spec, SLURM, tmp_path)
    assert "1) log=log/t.4.log; cmd='echo 4' ;;" in script
    assert "2) log=log/t.5.log; cmd='echo 5' ;;" in script


def test_task_list_script_name_and_threads_from_the_allocation(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs/train.3.tasks").write_text(
        "a/log/train.log\techo a $OMP_NUM_THREADS $OPENBLAS_NUM_THREADS\n"
        "b/log/train.1.log\tfalse\n")
    spec = parse_job_args(["--max-jobs-run", "2", "--tasks", "jobs/train.3.tasks"])
    conf = parse_queue_conf((CONF_DIR / "slurm.conf").read_text(), "slurm.conf")
    argv = submit_command(spec, SLURM, conf, "jobs/q/train.3.sh", "jobs/q")
    assert argv[-8:] == ["--parsable", "--array", "1-2%2", "--job-name", "train.3",
                         "--output", "jobs/q/train.3.%a.out", "jobs/q/train.3.sh"]
    script = job_script(spec, SLURM, tmp_path)
    assert "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}" in script
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "3")
    assert run_cluster(spec, SLURM, "slurm.py", runner=_fake_scheduler(SLURM.task_var)) == 1
    assert "task 2 failed (exit code 1); see b/log/train.1.log" in capsys.readouterr().err
    assert "a 3 3\n" in (tmp_path / "a/log/train.log").read_text()
    assert (tmp_path / "jobs/q/train.3.sh").is_file()


# ------------------------------------------------------------- real Slurm
@needs_slurm
def test_slurm_failing_task_fails_the_call_and_names_its_log(tmp_path):
    r = subprocess.run([sys.executable, str(UTILS / "slurm.py"), "JOB=1:3", "log/t.JOB.log",
                        "echo", "done", "JOB", ">", "out.JOB", ";", "test", "JOB", "-ne", "2"],
                       cwd=tmp_path, capture_output=True, text=True, env=run_env(), timeout=300)
    assert r.returncode == 1
    assert "task 2 failed (exit code 1); see log/t.2.log" in r.stderr
    assert (tmp_path / "out.1").read_text() == "done 1\n"
    assert (tmp_path / "out.3").read_text() == "done 3\n"
    assert "# Ended (code 1)" in (tmp_path / "log/t.2.log").read_text()


@needs_slurm
def test_slurm_cancelled_task_is_a_failure(tmp_path):
    proc = subprocess.Popen([sys.executable, str(UTILS / "slurm.py"), "JOB=1:2", "log/t.JOB.log",
                             "touch", "started.JOB", ";", "sleep", "$((JOB*60))"],
                            cwd=tmp_path, stderr=subprocess.PIPE, text=True, env=run_env())
    deadline = time.time() + 120
    while not (tmp_path / "started.2").exists() and time.time() < deadline:
        time.sleep(0.5)
    assert (tmp_path / "started.2").exists(), "the array never started"
    jobs = subprocess.run(["squeue", "-h", "-n", "t", "-o", "%i"], capture_output=True,
                          text=True).stdout.split()
    cancel = [j for j in jobs if j.endswith("_2")]
    assert cancel, jobs
    subprocess.run(["scancel", cancel[0]], check=True)
    subprocess.run(["scancel", "-n", "t"], check=True)  # and the rest, to end the test quickly
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "task 2 did not finish" in err or "task 2 failed" in err
    assert "log/t.2.log" in err


def test_cmd_sh_backends_and_unknown_backend():
    for backend, tool in (("local", "utils/run.py"), ("slurm", "utils/slurm.py"),
                          ("sge", "utils/sge.py")):
        r = subprocess.run(["bash", "-c", ". egs/TEMPLATE/cmd.sh && echo $train_cmd/$cuda_cmd"],
                           cwd=REPO, capture_output=True, text=True,
                           env=dict(os.environ, CMD_BACKEND=backend))
        assert r.returncode == 0 and r.stdout.startswith(tool), r.stderr
        assert "--gpu 1" in r.stdout.split("/", 2)[-1]
    r = subprocess.run(["bash", "-c", ". egs/TEMPLATE/cmd.sh"], cwd=REPO, capture_output=True,
                       text=True, env=dict(os.environ, CMD_BACKEND="pbs"))
    assert r.returncode == 1 and "unknown CMD_BACKEND 'pbs'" in r.stderr


def test_every_recipe_links_the_template_cmd_sh():
    for recipe in Path(REPO / "egs").glob("*/*/run.sh"):
        assert (recipe.parent / "cmd.sh").resolve() == (REPO / "egs/TEMPLATE/cmd.sh").resolve()
