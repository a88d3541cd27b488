"""The local job runner: Kaldi's interface, logs, failure reporting."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import UTILS, run_env
from serda.jobs.spec import JobSpecError, parse_job_args


def run(*args):
    return subprocess.run([sys.executable, str(UTILS / "run.py"), *map(str, args)],
                          capture_output=True, text=True, env=run_env())


def test_parse_job_line():
    spec = parse_job_args(["--max-jobs-run", "2", "--mem=4G", "JOB=1:3", "x/log.JOB",
                           "echo", "JOB", "a b"])
    assert spec.options == {"max-jobs-run": "2", "mem": "4G"}
    assert spec.task_ids == [1, 2, 3]
    assert spec.log_path(2) == "x/log.2"
    assert spec.command(3) == "echo 3 'a b'"
    with pytest.raises(JobSpecError, match="unknown option --foo"):
        parse_job_args(["--foo", "1", "log", "true"])
    with pytest.raises(JobSpecError, match="must contain JOB"):
        parse_job_args(["JOB=1:2", "log", "true"])
    with pytest.raises(JobSpecError, match="empty job range"):
        parse_job_args(["JOB=3:2", "log.JOB", "true"])


def test_all_tasks_succeed_and_logs_are_framed(tmp_path):
    r = run("JOB=1:3", tmp_path / "log/t.JOB.log", "echo", "task", "JOB", "|", "tr", "a-z", "A-Z")
    assert r.returncode == 0, r.stderr
    for k in (1, 2, 3):
        lines = (tmp_path / f"log/t.{k}.log").read_text().splitlines()
        assert lines[0] == f"# echo task {k} | tr a-z A-Z"
        assert f"TASK {k}" in lines
        assert lines[-1].startswith("# Ended (code 0)")


def test_one_failing_task_fails_the_call_and_names_its_log(tmp_path):
    r = run("JOB=1:4", tmp_path / "t.JOB.log", "test", "JOB", "-ne", "3")
    assert r.returncode == 1
    assert f"task 3 failed (exit code 1); see {tmp_path}/t.3.log" in r.stderr
    assert "1 of 4 tasks failed" in r.stderr
    assert (tmp_path / "t.3.log").read_text().splitlines()[-1].startswith("# Ended (code 1)")
    assert (tmp_path / "t.4.log").read_text().splitlines()[-1].startswith("# Ended (code 0)")


def test_single_task_without_range(tmp_path):
    assert run(tmp_path / "one.log", "true").returncode == 0
    assert run(tmp_path / "two.log", "false").returncode == 1


def test_max_jobs_run_limits_concurrency(tmp_path):
    marker = tmp_path / "running"
    marker.mkdir()
    # each task records how many tasks run at its start
    cmd = f"touch {marker}/JOB; ls {marker} | wc -l > {tmp_path}/n.JOB; sleep 0.3; rm {marker}/JOB"
    r = run("--max-jobs-run", 1, "JOB=1:3", tmp_path / "t.JOB.log", "bash", "-c", cmd)
    assert r.returncode == 0, r.stderr
    assert [int((tmp_path / f"n.{k}").read_text()) for k in (1, 2, 3)] == [1, 1, 1]


def test_killed_task_is_a_failure(tmp_path):
    pidfile = tmp_path / "pid"
    cmd = f"echo $$ > {pidfile}; sleep 30"
    proc = subprocess.Popen([sys.executable, str(UTILS / "run.py"), tmp_path / "k.log",
                             "bash", "-c", cmd], stderr=subprocess.PIPE, text=True, env=run_env())
    for _ in range(100):
        if pidfile.is_file() and pidfile.read_text().strip():
            break
        time.sleep(0.05)
    os.kill(int(pidfile.read_text()), signal.SIGKILL)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert "exit code 137" in err
    assert (tmp_path / "k.log").read_text().splitlines()[-1].startswith("# Ended (code 137)")


def test_task_list_parsing_and_its_errors(tmp_path):
    tasks = tmp_path / "train.1.tasks"
    tasks.write_text("a/log/train.log\tpython -m x --config 'a b'\nb/log/train.2.log\techo 2\n")
    spec = parse_job_args(["--max-jobs-run", "3", "--tasks", str(tasks)])
    assert spec.task_ids == [1, 2]
    assert spec.log_path(2) == "b/log/train.2.log"
    assert spec.command(1) == "python -m x --config 'a b'"
    tasks.write_text("a.log\techo 1\nno tab here\n")
    with pytest.raises(JobSpecError, match=rf"{tasks}:2: not '<log file><TAB><command>'"):
        parse_job_args(["--tasks", str(tasks)])
    tasks.write_text("")
    with pytest.raises(JobSpecError, match="has no tasks"):
        parse_job_args(["--tasks", str(tasks)])
    with pytest.raises(JobSpecError, match="cannot read it"):
        parse_job_args(["--tasks", str(tmp_path / "missing.tasks")])
    tasks.write_text("a.log\techo 1\n")
    with pytest.raises(JobSpecError, match="takes no job range, log or command"):
        parse_job_args(["--tasks", str(tasks), "JOB=1:2", "l.JOB", "true"])


def test_task_list_runs_every_task_with_its_share_of_threads(tmp_path):
    tasks = tmp_path / "jobs.tasks"
    tasks.write_text("".join(f"{tmp_path}/log/{k}.log\techo task {k} threads $OMP_NUM_THREADS"
                             f" $MKL_NUM_THREADS; test {k} -ne 3\n" for k in range(1, 5)))
    r = run("--max-jobs-run", "2", "--tasks", tasks)
    assert r.returncode == 1
    assert f"task 3 failed (exit code 1); see {tmp_path}/log/3.log" in r.stderr
    from serda.threads import threads_per_task
    share = threads_per_task(4, 2)
    for k in (1, 2, 4):
        text = (tmp_path / f"log/{k}.log").read_text()
        assert f"task {k} threads {share} {share}\n" in text
        assert f"# Accounting: time=" in text and f"threads={share}\n" in text
    r = run("--num-threads", "3", "--tasks", tasks)
    assert "task 1 threads 3 3" in (tmp_path / "log/1.log").read_text()
