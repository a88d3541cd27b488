"""Pack a trained system into one folder that serda.bin.infer runs from.

python -m serda.bin.export --system exp/<tag>/<system> [--trials all | 1 3] \
    [--norm-from target | source | <feature dir>] [--norm-corpus NAME] --out DIR

DIR holds config.yaml, trial<k>/{model.pt,summary.json} of the chosen
trials, norm/ (the normalisation statistics and the feature spec, chosen
as for infer) and export.yaml (where it came from, the label names); no exp
or dump dir is needed around it: python -m serda.bin.infer --system DIR ...
"""
import argparse
import sys

from serda.cli import run_cli
from serda.infer import export_system


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--system", required=True)
    p.add_argument("--trials", nargs="+", default=["all"])
    p.add_argument("--norm-from", default="target")
    p.add_argument("--norm-corpus")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    trials = "all" if args.trials == ["all"] else [int(t) for t in args.trials]
    out = export_system(args.system, args.out, trials, args.norm_from, args.norm_corpus)
    print(f"export: {out}: run it with python -m serda.bin.infer --system {out} ...")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
