"""Pack a trained system into one folder that serda.bin.infer runs from.

python -m serda.bin.export --system exp/<tag>/<system> [--trials all | 1 3] \
    [--norm-from target | source | <feature dir>] [--norm-corpus NAME] --out DIR

DIR (new or empty; --force replaces a non-empty one whole) holds config.yaml, trial<k>/{model.pt,summary.json} of the chosen
trials, norm/ (the normalisation statistics and the feature spec, chosen
as for infer) and export.yaml (where it came from, the label names); no exp
or dump dir is needed around it: python -m serda.bin.infer --system DIR ...
"""
import argparse
import sys

from serda.cli import run_cli
from serda.infer import export_system, parse_trials


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--system", required=True)
    p.add_argument("--trials", nargs="+", default=["all"])
    p.add_argument("--norm-from", default="target")
    p.add_argument("--norm-corpus")
    p.add_argument("--out", required=True)
    p.add_argument("--force", action="store_true",
                   help="replace a non-empty --out whole (never merged with it)")
    args = p.parse_args(argv)
    out = export_system(args.system, args.out, parse_trials(args.trials), args.norm_from,
                        args.norm_corpus, args.force)
    print(f"export: {out}: run it with python -m serda.bin.infer --system {out} ...")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
