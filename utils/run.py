#!/usr/bin/env python3
"""Run a job line on this machine (Kaldi run.pl interface).

usage: utils/run.py [--max-jobs-run N] [--num-threads T] [--mem M] [--gpu G]
                    [--time T] [JOB=1:N] <log-file> <command> ...
"""
import sys

from serda.jobs.local import main

if __name__ == "__main__":
    sys.exit(main())
