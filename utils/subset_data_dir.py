#!/usr/bin/env python3
"""Copy part of a data directory.

usage: utils/subset_data_dir.py (--utt-list F | --spk-list F | --first N |
                                 --last N | --random N [--seed S]) <src> <dest>
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.subset import subset_data_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--utt-list", help="file whose first column lists utterances")
    group.add_argument("--spk-list", help="file whose first column lists speakers")
    group.add_argument("--first", type=int)
    group.add_argument("--last", type=int)
    group.add_argument("--random", type=int, dest="random_n")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("src")
    p.add_argument("dest")
    args = p.parse_args(argv)
    n = subset_data_dir(args.src, args.dest, utt_list=args.utt_list,
                        spk_list=args.spk_list, first=args.first, last=args.last,
                        random_n=args.random_n, seed=args.seed)
    print(f"subset_data_dir: wrote {n} utterances to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
