#!/usr/bin/env python3
"""Tables 1-3 of Cai et al. (Interspeech 2021) from this recipe's exp dir.

python local/tables.py --exp exp[/mini] [--directions rec2iem iem2rec] \
    [--tasks arousal valence] --out exp/tables.md

UAR (%) on the target test set, mean (std) over seeds, per direction and
task; "average" = the mean of the four cells. Rows selected by early
stopping on the target dev set (30 % of the target corpus' speakers, with
their labels) are marked so, as the paper's own protocol; the same base and
our systems selected on held-out source speakers stand beside them. The
paper's numbers stand under ours.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from serda.cli import run_cli
from serda.results import publish_tables, trial_metrics

# Cai et al. (2021), UAR % (std): Rec2Iem arousal, valence, Iem2Rec arousal, valence, average
PAPER = {
    "base": ("62.49(2.96)", "54.15(0.51)", "60.73(0.45)", "58.11(0.51)", "58.87"),
    "our": ("71.99(0.33)", "54.54(0.77)", "63.18(0.32)", "61.43(1.38)", "62.78"),
    "mono": ("75.55(0.78)", "63.20(2.23)", "66.28(1.71)", "62.90(1.12)", "66.98"),
    "base_nobn": ("58.04(1.90)", "52.34(0.79)", "58.69(0.95)", "53.79(0.87)", "55.71"),
    "our_nobn": ("63.62(1.74)", "52.94(0.36)", "59.76(0.77)", "57.81(2.07)", "58.32"),
    "bn2": ("72.22(0.18)", "54.99(0.84)", "62.34(0.92)", "61.37(1.15)", "62.73"),
    "bn3": ("72.27(0.39)", "54.07(0.42)", "61.83(1.03)", "58.48(0.78)", "61.66"),
    "bn4": ("72.01(0.33)", "53.68(1.26)", "60.95(0.90)", "56.77(2.84)", "60.85"),
}
TARGET_DEV = "early stopping on target labels (as the paper)"
TABLES = (
    ("Table 1: base, our (BN1) and mono",
     (("base", "base", "", TARGET_DEV), ("our", "our", "", TARGET_DEV),
      ("base", "base", "_srcdev", "early stopping on source speakers"),
      ("our", "our", "_srcdev", "early stopping on source speakers"),
      ("mono", "mono", "_mono", "within the target corpus, 5 % dev"))),
    ("Table 2: without BatchNorm",
     (("base_nobn", "base", "", TARGET_DEV), ("our_nobn", "our", "", TARGET_DEV))),
    ("Table 3: where BatchNorm normalises",
     (("our", "BN1", "", TARGET_DEV), ("bn2", "BN2", "", TARGET_DEV),
      ("bn3", "BN3", "", TARGET_DEV), ("bn4", "BN4", "", TARGET_DEV))),
)


def uar(exp, direction, task, suffix, system):
    return [100 * v for v in trial_metrics(exp / f"{direction}_{task}{suffix}" / system,
                                           "target_test")["ua"]]


def row(exp, cells, system, label, suffix, note):
    values = [uar(exp, d, t, suffix, system) for d, t in cells]
    text = [f"{np.mean(v):.2f}({np.std(v):.2f})" for v in values]
    average = np.mean([np.mean(v) for v in values])
    return f"| {label} (serda) | {note} | " + " | ".join(text) + f" | {average:.2f} |"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True)
    p.add_argument("--directions", nargs="+", default=["rec2iem", "iem2rec"])
    p.add_argument("--tasks", nargs="+", default=["arousal", "valence"])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    exp = Path(args.exp)
    cells = [(d, t) for d in args.directions for t in args.tasks]
    paper_cols = [("rec2iem", "arousal"), ("rec2iem", "valence"), ("iem2rec", "arousal"),
                  ("iem2rec", "valence")]
    head = "| model | selection | " + " | ".join(f"{d} {t}" for d, t in cells) + " | average |"
    lines = ["# Cai et al. (Interspeech 2021): cross-lingual DANN", "",
             "UAR % on the target test set, mean(std) over seeds (serda), the paper's numbers "
             "under ours. **Rows marked \"" + TARGET_DEV + "\" chose their epoch on 30 % of the "
             "target corpus' speakers with their labels, as the paper does**; the rows selected "
             "on source speakers use no target label.", ""]
    for title, rows in TABLES:
        lines += [f"## {title}", "", head, "|---|---|" + "---|" * (len(cells) + 1)]
        for system, label, suffix, note in rows:
            lines.append(row(exp, cells, system, label, suffix, note))
            if suffix in ("", "_mono"):
                paper = PAPER[system]
                shown = [paper[paper_cols.index(c)] for c in cells]
                lines.append(f"| {label} (paper) | {note} | " + " | ".join(shown)
                             + f" | {paper[4]} |")
        lines.append("")
    publish_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
