#!/usr/bin/env python3
"""Pool data directories into one.

usage: utils/combine_data.py <dest> <src1> <src2> [...]
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.combine import combine_data_dirs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dest")
    p.add_argument("srcs", nargs="+")
    args = p.parse_args(argv)
    n, dropped = combine_data_dirs(args.srcs, args.dest)
    print(f"combine_data: wrote {n} utterances to {args.dest}")
    if dropped:
        print(f"combine_data: tables not in every input, left out: {' '.join(dropped)}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
