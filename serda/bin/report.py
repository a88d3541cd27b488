"""Stage 6: the paper-shaped table of an experiment: exp/<tag>/RESULTS.md.

python -m serda.bin.report --exp exp/arousal --systems target src dann \
        --baseline src --set target_test

Rows are systems, columns RMSE / PR / CCC (regression) or UA / accuracy
(classification) as mean ± std over the trials found; a * marks a system
that beats the baseline at p < 0.05 (one-tailed Welch t-test over trials;
RMSE: lower is better). Also writes results.csv with every trial's numbers
(serda.report).
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.report import write_report


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True)
    p.add_argument("--systems", nargs="+", required=True)
    p.add_argument("--baseline", help="system the others are tested against")
    p.add_argument("--set", default="target_test", help="data.* key of the scored set")
    p.add_argument("--title", default="")
    p.add_argument("--metrics", nargs="+", help="columns (default: rmse pr ccc or ua acc)")
    p.add_argument("--percent", action="store_true", help="show values x 100 (paper 2 style)")
    args = p.parse_args(argv)
    command = " ".join(["python -m serda.bin.report"] + (argv or sys.argv[1:]))
    lines = write_report(Path(args.exp), args.systems, args.baseline, args.set, args.title,
                         args.metrics, args.percent, command)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
