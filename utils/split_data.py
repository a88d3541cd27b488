#!/usr/bin/env python3
"""Split a data directory into N parts for N parallel jobs.

usage: utils/split_data.py [--per-utt] <data-dir> <num-parts>
Writes <data-dir>/split<N>[utt]/{1..N}; by default no speaker is split.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.split import split_data_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-utt", action="store_true", help="split by utterance, not speaker")
    p.add_argument("data_dir")
    p.add_argument("num_parts", type=int)
    args = p.parse_args(argv)
    for part in split_data_dir(args.data_dir, args.num_parts, per_utt=args.per_utt):
        print(part)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
