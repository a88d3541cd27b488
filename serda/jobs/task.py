"""Run one task: its log gets the command line first and ``# Ended`` last.

Every backend runs tasks through :func:`run_task` (locally in-process, on a
cluster as ``python -m serda.jobs.task <log> <command>``), so logs look the
same whichever backend ran them.
"""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path


def run_task(command, log_path, env=None, on_start=None):
    """Run ``command`` (a shell line) with output to ``log_path``.

    Returns the exit code (128 + signal number when killed by a signal).
    ``on_start(proc)`` is called with the child process once it runs.
    """
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.time()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"# {command}\n")
        log.write(f"# Started at {time.strftime('%c')} on {socket.gethostname()}\n")
        log.flush()
        proc = subprocess.Popen(["bash", "-c", command], stdout=log,
                                stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        if on_start:
            on_start(proc)
        code = proc.wait()
        if code < 0:
            code = 128 - code
        elapsed = time.time() - start
        threads = (os.environ if env is None else env).get("OMP_NUM_THREADS", "unset")
        log.write(f"# Accounting: time={elapsed:.0f} threads={threads}\n")
        log.write(f"# Ended (code {code}) at {time.strftime('%c')}, "
                  f"elapsed time {elapsed:.0f} seconds\n")
    return code


def main(argv=None):
    """``python -m serda.jobs.task <log> <command line>``."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m serda.jobs.task <log-file> <command-line>", file=sys.stderr)
        return 2
    return run_task(argv[1], argv[0], env=os.environ.copy())


if __name__ == "__main__":
    sys.exit(main())
