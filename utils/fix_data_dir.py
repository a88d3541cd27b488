#!/usr/bin/env python3
"""Sort a data directory and keep only utterances present in all its tables.

usage: utils/fix_data_dir.py <data-dir>
Dropped utterances are appended to <data-dir>/bad_utts with the files that
lacked them.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.fix import fix_data_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data_dir")
    args = p.parse_args(argv)
    kept, dropped = fix_data_dir(args.data_dir)
    print(f"fix_data_dir: {args.data_dir}: kept {kept} utterances, dropped {len(dropped)}"
          + (f" (also in {args.data_dir}/bad_utts):" if dropped else ""))
    for utt, why in dropped:
        print(f"  {utt} {why}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
