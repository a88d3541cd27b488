"""Stage 2, one shard: features of every utterance of a data dir into one ark.

python -m serda.bin.extract_features --feat is13 [--feat-opt key=value ...]
        <data-dir> <out-prefix>

Writes <out-prefix>.ark, <out-prefix>.scp (the shard's commit mark, renamed
into place last), <out-prefix>.bad (utterances left out, with the reason)
and, for frame features, <out-prefix>.num_frames. A shard whose .scp exists
is complete and skipped.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.features.extract import extract_shard
from serda.features.extractors import feature_names, make_extractor, parse_feat_opts


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--feat", required=True, choices=feature_names())
    p.add_argument("--feat-opt", action="append", default=[], help="key=value, repeatable")
    p.add_argument("--sample-rate", type=int, default=16000)
    p.add_argument("data_dir")
    p.add_argument("out_prefix")
    args = p.parse_args(argv)
    extractor = make_extractor(args.feat, **parse_feat_opts(args.feat_opt))
    extract_shard(args.data_dir, args.out_prefix, extractor, args.sample_rate)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
