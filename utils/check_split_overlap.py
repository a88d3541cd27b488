#!/usr/bin/env python3
"""Fail when two data directories (splits) share a speaker.

usage: utils/check_split_overlap.py <data-dir> <data-dir> [...]
Prints each offending pair with the shared speaker ids and exits 1;
exits 0 and prints OK when every pair is speaker-disjoint.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.overlap import shared_speakers

MAX_LISTED = 10


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data_dirs", nargs="+")
    args = p.parse_args(argv)
    if len(args.data_dirs) < 2:
        p.error("give at least two data directories")
    bad = shared_speakers(args.data_dirs)
    for a, b, spk in bad:
        more = f" and {len(spk) - MAX_LISTED} more" if len(spk) > MAX_LISTED else ""
        print(f"check_split_overlap: {a} and {b} share {len(spk)} speaker(s): "
              f"{' '.join(spk[:MAX_LISTED])}{more}", file=sys.stderr)
    if bad:
        return 1
    print(f"check_split_overlap: OK, {len(args.data_dirs)} data dirs are speaker-disjoint")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
