#!/usr/bin/env python3
"""Train / dev / test sets of a speaker-independent cross-validation.

usage: utils/make_cv_sets.py <fold-dir1> <fold-dir2> <fold-dir3> [...] <out-prefix>
       utils/make_cv_sets.py --speaker-folds N --fold-prefix P <src-dir> <out-prefix>
       utils/make_cv_sets.py --random-folds N [--dev-share 0.1] [--seed 1]
                             [--stratify utt2emo] <src-dir> <out-prefix>

Fold f of N becomes <out-prefix><f>_test; the next fold (f+1 mod N) is
<out-prefix><f>_dev (model selection), the rest <out-prefix><f>_train.
The folds are given (e.g. the sessions of IEMOCAP) or made by dealing the
speakers of one dir into N gender-balanced folds P1 .. PN. --random-folds:
speaker-dependent folds of utterances dealt at random (stratified by the
--stratify table), the dev set a --dev-share of each training part. Works
on data dirs and on finished feature dirs (dump/<feat>/<set>) alike.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.data.folds import make_cv_sets, random_cv_sets, split_by_speaker


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--speaker-folds", type=int, help="split the one input dir into N speaker folds")
    p.add_argument("--fold-prefix", help="where the speaker folds go: <prefix>1 .. <prefix>N")
    p.add_argument("--random-folds", type=int, help="speaker-dependent folds of random utterances")
    p.add_argument("--dev-share", type=float, default=0.1, help="with --random-folds")
    p.add_argument("--seed", type=int, default=1, help="with --random-folds")
    p.add_argument("--stratify", default="utt2emo", help="with --random-folds ('' for none)")
    p.add_argument("dirs", nargs="+", help="fold dirs (or one dir to split), then the output prefix")
    args = p.parse_args(argv)
    *srcs, prefix = args.dirs
    if args.random_folds:
        if len(srcs) != 1:
            p.error("--random-folds takes one input dir")
        for train, dev, test in random_cv_sets(srcs[0], prefix, args.random_folds,
                                               args.dev_share, args.seed, args.stratify):
            print(f"make_cv_sets: {test.name}: train {train.name}, dev {dev.name}")
        return 0
    if args.speaker_folds:
        if len(srcs) != 1 or not args.fold_prefix:
            p.error("--speaker-folds takes one input dir and needs --fold-prefix")
        srcs = split_by_speaker(srcs[0], args.speaker_folds, args.fold_prefix)
    elif len(srcs) < 3:
        p.error("give at least 3 fold dirs (or --speaker-folds N with one dir)")
    for train, dev, test in make_cv_sets(srcs, prefix):
        print(f"make_cv_sets: {test.name}: train {train.name}, dev {dev.name}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
