"""Stage 2, after the jobs: merge N feature shards into a data dir.

python -m serda.bin.merge_feats <data-dir> <shard-prefix-with-JOB> <nj>
e.g. ... dump/is13/mini_en_train dump/is13/mini_en_train/data/feats.JOB 4
"""
import argparse
import sys

from serda.cli import run_cli
from serda.features.merge import merge_feature_shards


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data_dir")
    p.add_argument("prefix", help="shard path prefix containing JOB")
    p.add_argument("nj", type=int)
    args = p.parse_args(argv)
    prefixes = [args.prefix.replace("JOB", str(k)) for k in range(1, args.nj + 1)]
    n_ok, n_bad = merge_feature_shards(args.data_dir, prefixes)
    print(f"merge_feats: {args.data_dir}: {n_ok + n_bad} utterances in, {n_ok} with features, "
          f"{n_bad} left out" + (f" (reasons in {args.data_dir}/bad_utts)" if n_bad else ""))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
