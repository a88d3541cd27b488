"""The cross-corpus leaderboard (egs/cross_corpus): LEADERBOARD.md and heatmaps.

python -m serda.bin.leaderboard --exp exp/<tag> --corpora emodb emovo ravdess \
    --methods src dann [--out exp/<tag>/LEADERBOARD.md] [--figs exp/<tag>/figs]

Reads <exp>/<s>2<t>/<method>/ and <exp>/within_<c>/src/ (serda.leaderboard).
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.leaderboard import RECOMMEND, write_leaderboard
from serda.selection.leaderboard import RULES


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True)
    p.add_argument("--corpora", nargs="+", required=True)
    p.add_argument("--methods", nargs="+", required=True)
    p.add_argument("--out")
    p.add_argument("--figs")
    p.add_argument("--title", default="Cross-corpus leaderboard")
    p.add_argument("--recommend", default=":".join(RECOMMEND), metavar="METHOD:RULE",
                   help="the per-pair recommendation: a method and the rule (source_dev, iwv, "
                        "dev, snd, entropy) choosing its setting and epoch [%(default)s]")
    args = p.parse_args(argv)
    if len(args.corpora) < 2:
        p.error("--corpora needs at least two corpora")
    method, _, rule = args.recommend.partition(":")
    if rule not in RULES[:-1]:
        p.error(f"--recommend {args.recommend}: expected METHOD:RULE, RULE one of "
                f"{', '.join(RULES[:-1])}")
    exp = Path(args.exp)
    out = args.out or exp / "LEADERBOARD.md"
    figs = args.figs or exp / "figs"
    write_leaderboard(exp, args.corpora, args.methods, out, figs, args.title, (method, rule))
    print(f"leaderboard: wrote {out} and {figs}/ua_*.png, gain_*.png")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
