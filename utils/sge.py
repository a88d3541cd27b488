#!/usr/bin/env python3
"""Run a job line as one Grid Engine array job (Kaldi queue.pl interface).

usage: utils/sge.py [--max-jobs-run N] [--num-threads T] [--mem M] [--gpu G]
                      [--time T] [--config conf/queue.conf] [JOB=1:N] <log-file> <command> ...

Untested on a real Grid Engine (none is available to serda's CI); the
submission command it builds is tested as text.
"""
import sys

from serda.jobs.cluster import sge_main

if __name__ == "__main__":
    sys.exit(sge_main())
