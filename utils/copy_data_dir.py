#!/usr/bin/env python3
"""Copy a data directory (its tables, attributes and normalisation stats).

usage: utils/copy_data_dir.py <src> <dest>
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.datadir import DataDir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("src")
    p.add_argument("dest")
    args = p.parse_args(argv)
    DataDir.load(args.src).save(args.dest, copy_from=args.src)
    print(f"copy_data_dir: {args.src} -> {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
