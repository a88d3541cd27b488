"""Local backend: the tasks of one job line as parallel processes here.

``utils/run.py [--max-jobs-run N] JOB=1:N log/name.JOB.log command ... JOB ...``
``utils/run.py [--max-jobs-run N] --tasks FILE`` (one ``<log><TAB><command>`` per line)

At most ``--max-jobs-run`` tasks (default: the number of CPUs) run at once.
Each task's OMP/MKL/OpenBLAS thread count is ``--num-threads T`` when given,
else its share of the CPUs this process may use (affinity mask) over the
tasks that run at once (:func:`serda.threads.threads_per_task`).
``--mem``, ``--time``, ``--gpu`` and ``--config`` are accepted for
compatibility with the cluster backends and have no effect here. The runner
exits 1 if any task fails, after naming the log of each failed task.
"""
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from serda.jobs.spec import JobSpecError, parse_job_args
from serda.jobs.task import run_task
from serda.threads import thread_env, threads_per_task, usable_cpus


def task_env(spec, max_jobs):
    """The tasks' environment: this one with the thread variables set."""
    threads = spec.int_option("num-threads", None) \
        or threads_per_task(len(spec.task_ids), max_jobs)
    return thread_env(threads)


def report_failures(prog, spec, codes):
    """Print the failed tasks' logs; return the runner's exit status."""
    failed = [(t, c) for t, c in zip(spec.task_ids, codes) if c != 0]
    for task_id, code in failed:
        print(f"{prog}: task {task_id} failed (exit code {code}); "
              f"see {spec.log_path(task_id)}", file=sys.stderr)
    if failed:
        print(f"{prog}: {len(failed)} of {len(codes)} tasks failed", file=sys.stderr)
        return 1
    return 0


def run_local(spec, prog="run.py"):
    """Run every task of ``spec``; return 0 when all succeeded, else 1."""
    max_jobs = max(1, spec.int_option("max-jobs-run", usable_cpus()))
    env = task_env(spec, max_jobs)
    running, lock = set(), threading.Lock()

    def track(proc):
        with lock:
            running.add(proc)

    def one(task_id):
        return run_task(spec.command(task_id), spec.log_path(task_id), env, track)

    def stop_children(signum, _frame):
        with lock:
            for proc in running:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop_children)
    try:
        with ThreadPoolExecutor(max_workers=max_jobs) as pool:
            codes = list(pool.map(one, spec.task_ids))
    finally:
        signal.signal(signal.SIGTERM, previous)
    return report_failures(prog, spec, codes)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        spec = parse_job_args(argv)
    except JobSpecError as err:
        print(f"run.py: {err}", file=sys.stderr)
        return 2
    return run_local(spec)


if __name__ == "__main__":
    sys.exit(main())
