#!/usr/bin/env python3
"""Tables 2-4 of Gao et al. (ICASSP 2022) from this recipe's exp dir.

python local/tables.py --exp exp[/mini] --source iemocap \
    --targets msp_improv savee emodb [--tasks arousal valence] [--protocols multi cross] \
    --out exp/tables.md

UA (%) per test corpus (the utterances of each corpus in the pooled test set,
utt2corpus), mean ± std over trials; "Average" = the mean of the corpus
columns per trial (the paper's Average), then mean ± std; * = above the
baseline at p < 0.05 (one-tailed Welch t-test over trials). The paper's
numbers stand under ours. Every model is the last epoch's (the paper names
no early stopping): no test label chose anything.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from serda.cli import run_cli
from serda.results import better_mark, cell, publish_tables, ua_by_attribute

SYSTEMS = (("baseline_s", "Baseline", "S"), ("dann1_s", "DANN_1", "S"),
           ("dann2_s", "DANN_2", "S"), ("dann2_sc", "DANN_2", "S+C"))
NAMES = {"iemocap": "IEMOCAP", "msp_improv": "MSP", "savee": "SAVEE", "emodb": "Emodb"}
STAND_IN = {"mini_dyad_en": "iemocap", "mini_improv_en": "msp_improv",
            "mini_studio_en": "savee", "mini_acted_de": "emodb"}
# Gao et al. (2022), UA %: Table 2 (multi-corpus; IEMOCAP, MSP, SAVEE, Emodb, Average),
# Tables 3-4 (cross-corpus from IEMOCAP; MSP, SAVEE, Emodb, Average)
PAPER = {
    ("multi", "arousal"): {"baseline_s": (75.90, 62.05, 85.83, 90.95, 78.68),
                           "dann1_s": (79.47, 63.15, 82.55, 90.48, 78.91),
                           "dann2_s": (77.62, 62.74, 86.67, 88.01, 78.76),
                           "dann2_sc": (78.59, 64.53, 84.16, 92.12, 79.85)},
    ("multi", "valence"): {"baseline_s": (69.51, 59.44, 64.16, 53.03, 61.54),
                           "dann1_s": (70.32, 60.40, 63.83, 56.47, 62.76),
                           "dann2_s": (69.44, 61.15, 65.33, 58.85, 63.69),
                           "dann2_sc": (75.56, 61.33, 67.50, 63.48, 66.97)},
    ("cross", "arousal"): {"baseline_s": (59.72, 73.75, 67.35, 66.94),
                           "dann1_s": (60.51, 74.58, 66.05, 67.05),
                           "dann2_s": (63.57, 74.79, 69.58, 69.31),
                           "dann2_sc": (62.97, 75.20, 71.64, 69.94)},
    ("cross", "valence"): {"baseline_s": (59.52, 54.79, 49.73, 54.68),
                           "dann1_s": (59.19, 56.15, 47.53, 54.29),
                           "dann2_s": (57.57, 57.08, 49.05, 54.57),
                           "dann2_sc": (57.26, 58.12, 49.46, 54.95)},
}
TITLES = {("multi", "arousal"): "Table 2 (arousal): multi-corpus",
          ("multi", "valence"): "Table 2 (valence): multi-corpus",
          ("cross", "arousal"): "Table 3: arousal, cross-corpus (train on the source corpus)",
          ("cross", "valence"): "Table 4: valence, cross-corpus (train on the source corpus)"}


def column_name(corpus):
    real = STAND_IN.get(corpus, corpus)
    name = NAMES.get(real, corpus)
    return f"{corpus} ({name})" if corpus in STAND_IN else name


def system_columns(system_dir, corpora):
    """[[UA % per trial] per corpus] + [average per trial]."""
    by_corpus = ua_by_attribute(system_dir, "target_test", "corpus")
    missing = [c for c in corpora if c not in by_corpus]
    if missing:
        raise SystemExit(f"{system_dir}: no test utterance of {missing} in its decodes")
    cols = [[100 * v for v in by_corpus[c]] for c in corpora]
    return cols + [list(np.mean(cols, axis=0))]


def table(exp, protocol, task, corpora):
    tag = exp / f"{protocol}_{task}"
    head = "| model | loss | " + " | ".join(column_name(c) for c in corpora) + " | Average |"
    lines = [f"## {TITLES[(protocol, task)]}", "", head, "|---|---|" + "---|" * (len(corpora) + 1)]
    base = system_columns(tag / "baseline_s", corpora)
    for system, model, loss in SYSTEMS:
        cols = system_columns(tag / system, corpora)
        marks = [better_mark(v, b) if system != "baseline_s" else "" for v, b in zip(cols, base)]
        lines.append(f"| {model} (serda) | {loss} | "
                     + " | ".join(cell(v, m, digits=1) for v, m in zip(cols, marks)) + " |")
        paper = PAPER[(protocol, task)][system]
        lines.append(f"| {model} (paper) | {loss} | " + " | ".join(f"{v:.2f}" for v in paper)
                     + " |")
    return lines + [""]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True)
    p.add_argument("--source", required=True, help="the cross-corpus source corpus")
    p.add_argument("--targets", nargs="+", required=True, help="the other corpora")
    p.add_argument("--tasks", nargs="+", default=["arousal", "valence"])
    p.add_argument("--protocols", nargs="+", default=["multi", "cross"])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    exp = Path(args.exp)
    lines = ["# Gao et al. (ICASSP 2022): CNN-BLSTM with domain heads and center loss", "",
             "UA % per test corpus, mean ± std over trials (serda) with the paper's "
             "numbers under them; Average = mean of the corpus columns; * = above the "
             "baseline at p < 0.05 (one-tailed Welch t-test over trials). Last-epoch "
             "models (no early stopping, as no dev set is named in the paper): no test "
             "label chose anything.", ""]
    for protocol in args.protocols:
        corpora = [args.source] + args.targets if protocol == "multi" else args.targets
        for task in args.tasks:
            lines += table(exp, protocol, task, corpora)
    publish_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
