#!/usr/bin/env python3
"""Table 1 of the MRD paper from this recipe's exp dir, every direction run so far.

python local/table1.py --exp exp --out exp/table1.md

Reads exp/iemocap_to_msp_improv, exp/msp_improv_to_iemocap and exp/mini
(those present). For each direction: the paper's layout (PR and CCC in %
of Source-Only, Train-on-Target, DANN, Deep Coral, MRD on the whole target
corpus), our mean ± std over trials with * where a system beats
Source-Only at p < 0.05 (one-tailed Welch t-test over trials), and the
paper's row right under ours. The synthetic pair's block shows the paper's
IEM -> MSP numbers as a reference for the shape of the table only.
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.errors import InputError
from serda.results import better_mark, cell, publish_tables, trial_metrics

SYSTEMS = (("source_only", "Source-Only"), ("target", "Train-on-Target"), ("dann", "DANN"),
           ("coral", "Deep Coral"), ("mrd", "MRD"))
# The paper's Table 1 (mean of 10 repetitions, %), in SYSTEMS order.
PAPER = {
    "iemocap_to_msp_improv": {"pr": (21.15, 42.62, 22.09, 25.30, 29.11),
                              "ccc": (17.77, 38.50, 21.28, 23.09, 28.18)},
    "msp_improv_to_iemocap": {"pr": (22.86, 43.57, 22.88, 24.20, 24.83),
                              "ccc": (19.22, 39.56, 21.61, 14.25, 24.33)},
}
DIRECTIONS = (("iemocap_to_msp_improv", "Source: IEM, Target: MSP", "iemocap_to_msp_improv"),
              ("msp_improv_to_iemocap", "Source: MSP, Target: IEM", "msp_improv_to_iemocap"),
              ("mini", "Source: mini_en, Target: mini_de (synthetic pair, mini configuration)",
               "iemocap_to_msp_improv"))


def direction_block(exp_dir, title, paper):
    """Markdown lines of one direction."""
    scores = {s: trial_metrics(exp_dir / s, "target_test") for s, _ in SYSTEMS}
    trials = sorted({len(v["ccc"]) for v in scores.values()})
    lines = [f"## {title}", "",
             "| | " + " | ".join(name for _, name in SYSTEMS) + " |",
             "|---|" + "---|" * len(SYSTEMS)]
    for metric in ("pr", "ccc"):
        base = scores["source_only"][metric]
        cells = [cell(scores[s][metric], "" if s == "source_only" else
                      better_mark(scores[s][metric], base), digits=2, scale=100)
                 for s, _ in SYSTEMS]
        lines.append(f"| {metric.upper()} % (serda) | " + " | ".join(cells) + " |")
        lines.append(f"| {metric.upper()} % (paper) | "
                     + " | ".join(f"{v:.2f}" for v in PAPER[paper][metric]) + " |")
    lines += ["", f"Trials per system: {', '.join(map(str, trials))}. Scored set: the whole "
              "target corpus (Train-on-Target: each utterance predicted by the fold that held "
              "it out, pooled).", ""]
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", default="exp")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    exp = Path(args.exp)
    lines = ["# MRD paper, Table 1: cross-corpus valence regression (PR and CCC, %)", "",
             "Mean ± std over trials; * = above Source-Only at p < 0.05 (one-tailed Welch "
             "t-test over trials). The paper's rows are its published means.", ""]
    found = 0
    for tag, title, paper in DIRECTIONS:
        if (exp / tag / "source_only").is_dir():
            lines += direction_block(exp / tag, title, paper)
            found += 1
    if not found:
        raise InputError(exp, "no direction has results (run stages 4-5): expected one of "
                         + ", ".join(t for t, _, _ in DIRECTIONS))
    publish_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
