"""Cluster backends: the tasks of one job line as one array job.

``utils/slurm.py [options] JOB=1:N log/name.JOB.log command ... JOB ...``
``utils/sge.py [options] JOB=1:N log/name.JOB.log command ... JOB ...``
``utils/slurm.py [options] --tasks FILE`` (one ``<log><TAB><command>`` per line)

One submission per call (``sbatch --parsable --array=1-N%M``, then
``squeue`` polled every second until the array has left the queue; or
``qsub -t 1-N -tc M -sync y``, which blocks). Interrupting the call
(Ctrl-C, or the recipe being killed) cancels the Slurm array.
Each array task runs ``python -m serda.jobs.task <log> <command>``, so its
log starts with the command line and ends with ``# Ended (code N)``, as
with the local backend, and OMP/MKL/OpenBLAS threads set to the CPUs the
scheduler gave the task (``SLURM_CPUS_PER_TASK``, ``NSLOTS``; 1 when
unset). The submission script and the scheduler's own output go to
``<log dir>/q/`` (a task list's: ``<its dir>/q/``). A task whose log has no ``# Ended`` line
(cancelled, killed, node failure) counts as failed; any failure makes the
call exit 1 after naming each failed task's log.

Options map to submit flags through the site conf (see
:mod:`serda.jobs.queue_conf`): ``--config FILE``, else ``conf/slurm.conf``
or ``conf/queue.conf`` in the current directory, else the defaults below
(the same text as ``egs/TEMPLATE/conf/``).
"""
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from serda.jobs.local import report_failures
from serda.jobs.queue_conf import parse_queue_conf
from serda.jobs.spec import JobSpecError, parse_job_args
from serda.textfile import read_utf8
from serda.threads import THREAD_VARS

ENDED_RE = re.compile(r"^# Ended \(code (\d+)\)")
CONF_DIR = Path(__file__).resolve().parents[2] / "egs" / "TEMPLATE" / "conf"


@dataclass(frozen=True)
class Backend:
    """What differs between schedulers: the conf file name, the variables
    holding the array index and the task's CPUs, and the array / wait flags."""
    name: str
    conf_name: str
    task_var: str
    cpus_var: str

    def array_flags(self, n_tasks, max_jobs, name, qdir):
        if self.name == "slurm":
            limit = f"%{max_jobs}" if max_jobs else ""
            return ["--parsable", "--array", f"1-{n_tasks}{limit}", "--job-name", name,
                    "--output", f"{qdir}/{name}.%a.out"]
        flags = ["-t", f"1-{n_tasks}", "-sync", "y", "-N", name, "-o", str(qdir), "-j", "y"]
        return flags + (["-tc", str(max_jobs)] if max_jobs else [])


SLURM = Backend("slurm", "slurm.conf", "SLURM_ARRAY_TASK_ID", "SLURM_CPUS_PER_TASK")
SGE = Backend("sge", "queue.conf", "SGE_TASK_ID", "NSLOTS")


def load_conf(backend, path=None):
    path = Path(path) if path else Path("conf") / backend.conf_name
    if not path.is_file():
        path = CONF_DIR / backend.conf_name
    return parse_queue_conf(read_utf8(path), path)


def job_script(spec, backend, cwd):
    """Bash script run by every array task: picks its log and command by
    the scheduler's task index and runs it through serda.jobs.task."""
    lines = ["#!/bin/bash", f"cd {shlex.quote(str(cwd))}",
             *(f"export {var}=${{{backend.cpus_var}:-1}}" for var in THREAD_VARS),
             f'case "${{{backend.task_var}:-1}}" in']
    for task_id in spec.task_ids:
        index = task_id - spec.start + 1
        lines.append(f"  {index}) log={shlex.quote(spec.log_path(task_id))}; "
                     f"cmd={shlex.quote(spec.command(task_id))} ;;")
    lines += [f'  *) echo "no task ${backend.task_var}" >&2; exit 2 ;;', "esac",
              f'exec {shlex.quote(sys.executable)} -m serda.jobs.task "$log" "$cmd"', ""]
    return "\n".join(lines)


def job_name(spec):
    """Scheduler job name from the log template (train.JOB.log -> train) or
    the task list's file name (train.1.tasks -> train.1)."""
    if spec.tasks is not None:
        return re.sub(r"[^A-Za-z0-9_.-]", "_", Path(spec.options["tasks"]).stem) or "serda"
    name = Path(spec.log).name
    if spec.var:
        name = name.replace(f".{spec.var}", "").replace(spec.var, "")
    name = re.sub(r"\.log$", "", name)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "serda"


def submit_command(spec, backend, conf, script, qdir):
    """The argv of the single submission of ``spec``."""
    given = {k.replace("-", "_"): v for k, v in spec.options.items()
             if k not in ("max-jobs-run", "config", "tasks")}
    name = job_name(spec)
    max_jobs = spec.int_option("max-jobs-run", 0)
    return (conf.command + conf.submit_flags(given)
            + backend.array_flags(len(spec.task_ids), max_jobs, name, qdir) + [str(script)])


def task_codes(spec):
    """Exit code of each task read from its log; None when it has no
    '# Ended' line (the task never finished)."""
    codes = []
    for task_id in spec.task_ids:
        code = None
        try:
            with open(spec.log_path(task_id), encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = ENDED_RE.match(line)
                    if m:
                        code = int(m.group(1))
        except OSError:
            pass
        codes.append(code)
    return codes


def submit_and_poll(argv, runner=subprocess.run, poll_s=1.0):
    """sbatch ``argv`` (with --parsable), then wait until the job id has
    left squeue. Returns the sbatch CompletedProcess (its returncode is
    the submission's). SIGINT/SIGTERM while waiting cancel the job."""
    sub = runner(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if sub.returncode != 0:
        return sub
    job_id = sub.stdout.strip().split(";")[0].splitlines()[-1]

    def cancel(signum, _frame):
        subprocess.run(["scancel", job_id], check=False)
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, cancel) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            q = runner(["squeue", "-h", "-j", job_id, "-o", "%i"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
            if q.returncode != 0 and "Invalid job id" not in q.stdout:
                time.sleep(poll_s)  # controller busy: ask again
                continue
            if q.returncode != 0 or not q.stdout.strip():
                return sub
            time.sleep(poll_s)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_cluster(spec, backend, prog, runner=subprocess.run):
    """Submit, wait, check every task's log; 0 when all succeeded, else 1."""
    conf = load_conf(backend, spec.options.get("config"))
    listed = spec.options.get("tasks")
    qdir = Path(listed if listed else spec.log_path(spec.start)).resolve().parent / "q"
    qdir.mkdir(parents=True, exist_ok=True)
    for task_id in spec.task_ids:  # a stale log must not pass for this run's
        Path(spec.log_path(task_id)).unlink(missing_ok=True)
    name = job_name(spec)
    script = qdir / f"{name}.sh"
    script.write_text(job_script(spec, backend, Path.cwd()), encoding="utf-8")
    script.chmod(0o755)
    argv = submit_command(spec, backend, conf, script, qdir)
    (qdir / f"{name}.submit").write_text(" ".join(shlex.quote(w) for w in argv) + "\n",
                                         encoding="utf-8")
    if backend is SLURM:
        result = submit_and_poll(argv, runner)
    else:
        result = runner(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    codes = task_codes(spec)
    if result.returncode != 0 and all(c == 0 for c in codes):
        print(f"{prog}: {argv[0]} exited {result.returncode} although every task log ends "
              f"with code 0:\n{result.stdout}", file=sys.stderr)
        return 1
    for task_id, code in zip(spec.task_ids, codes):
        if code is None:
            print(f"{prog}: task {task_id} did not finish (no '# Ended' line: cancelled or "
                  f"killed by the scheduler); see {spec.log_path(task_id)} and {qdir}",
                  file=sys.stderr)
    if any(c is None for c in codes) and result.returncode == 0:
        print(f"{prog}: {argv[0]} reported success but tasks did not finish:\n{result.stdout}",
              file=sys.stderr)
    return report_failures(prog, spec, [1 if c is None else c for c in codes])


def main(backend, argv=None):
    argv = sys.argv[1:] if argv is None else argv
    prog = f"{backend.name}.py"
    try:
        spec = parse_job_args(argv)
    except JobSpecError as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return 2
    return run_cluster(spec, backend, prog)


def slurm_main(argv=None):
    return main(SLURM, argv)


def sge_main(argv=None):
    return main(SGE, argv)

