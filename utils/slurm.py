#!/usr/bin/env python3
"""Run a job line as one Slurm array job (Kaldi slurm.pl interface).

usage: utils/slurm.py [--max-jobs-run N] [--num-threads T] [--mem M] [--gpu G]
                      [--time T] [--config conf/slurm.conf] [JOB=1:N] <log-file> <command> ...
"""
import sys

from serda.jobs.cluster import slurm_main

if __name__ == "__main__":
    sys.exit(slurm_main())
