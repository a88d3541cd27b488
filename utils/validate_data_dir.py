#!/usr/bin/env python3
"""Validate Kaldi-style data directories (see DESIGN.md for the format).

usage: utils/validate_data_dir.py [--no-check-audio] [--no-check-feats] <data-dir> [...]
Exits non-zero and lists every problem (file:line: what) when one fails.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.validate import ValidationError, validate_data_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-check-audio", action="store_true", help="do not stat audio files")
    p.add_argument("--no-check-feats", action="store_true", help="do not stat feature arks")
    p.add_argument("data_dirs", nargs="+")
    args = p.parse_args(argv)
    status = 0
    for d in args.data_dirs:
        try:
            n = validate_data_dir(d, check_audio=not args.no_check_audio,
                                  check_feats=not args.no_check_feats)
            print(f"{d}: OK ({n} utterances)")
        except ValidationError as err:
            print(err, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(run_cli(main))
