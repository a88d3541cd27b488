#!/usr/bin/env python3
"""Validate Kaldi-style data directories (see DESIGN.md for the format).

usage: utils/validate_data_dir.py [--check-audio] [--check-feats]
                                  [--no-check-audio] [--no-check-feats] <data-dir> [...]
Exits non-zero and lists every problem (file:line: what) when one fails.
--check-audio decodes every file (unreadable, empty, too short, NaN, silent;
other rates / channel counts are noted); --check-feats reads every feature
row (non-finite values, inconsistent dims; every wav.scp utterance must be
in feats.scp or bad_utts). --no-check-* skip the existence checks.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.validate import ValidationError, validate_data_dir


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check-audio", action="store_true", help="decode every audio file")
    p.add_argument("--check-feats", action="store_true", help="read every feature row")
    p.add_argument("--no-check-audio", action="store_true", help="do not stat audio files")
    p.add_argument("--no-check-feats", action="store_true", help="do not stat feature arks")
    p.add_argument("data_dirs", nargs="+")
    args = p.parse_args(argv)
    status = 0
    for d in args.data_dirs:
        notes = {}
        try:
            n = validate_data_dir(d, check_audio=not args.no_check_audio,
                                  check_feats=not args.no_check_feats,
                                  decode_audio=args.check_audio, read_feats=args.check_feats,
                                  notes=notes)
            print(f"{d}: OK ({n} utterances)" + "".join(
                f"; note: {k} in {v} utterance(s), converted to 16 kHz mono by stage 2"
                for k, v in notes.items()))
        except ValidationError as err:
            print(err, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(run_cli(main))
