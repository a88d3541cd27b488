"""Stage 2 bookkeeping of feature shards (serda.features.merge).

python -m serda.bin.merge_feats todo <data-dir> <todo-dir>
    the utterances no finished shard holds -> <todo-dir>; prints "<count> <next run>"
python -m serda.bin.merge_feats merge <data-dir>
    every finished shard of <data-dir>/data -> feats.scp, utt2num_frames, bad_utts
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.features.merge import NOTES, merge_feature_shards, plan_remaining


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    t = sub.add_parser("todo")
    t.add_argument("data_dir")
    t.add_argument("todo_dir")
    m = sub.add_parser("merge")
    m.add_argument("data_dir")
    args = p.parse_args(argv)
    if args.what == "todo":
        n, run = plan_remaining(args.data_dir, args.todo_dir,
                                log=lambda text: print(text, file=sys.stderr))
        print(n, run)
        return 0
    n_ok, n_bad = merge_feature_shards(args.data_dir)
    print(f"merge_feats: {args.data_dir}: {n_ok + n_bad} utterances in, {n_ok} with features, "
          f"{n_bad} left out" + (f" (reasons in {args.data_dir}/bad_utts)" if n_bad else ""))
    notes = Path(args.data_dir) / NOTES
    if notes.is_file():
        n = len(notes.read_text(encoding="utf-8").splitlines())
        print(f"merge_feats: {n} utterance(s) used with a remark (a data chunk cut short, "
              f"channels that cancel), listed in {notes}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
