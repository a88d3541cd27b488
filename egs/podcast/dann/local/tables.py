#!/usr/bin/env python3
"""Tables I-III of Abdelwahab & Busso (2018) from this recipe's exp dir.

python local/tables.py depth --exp exp/<tag>/<attribute> --layers 1 2 3 4 \
    --attribute arousal --depths dev|"arousal=1 valence=2 dominance=3"
    prints the number of shared layers of the deep models: the given one, or
    (dev) the one whose DANN has the best mean CCC on target dev (Table I's
    protocol: it uses target-dev labels, and the tables say so).
python local/tables.py tables --exp exp/<tag> --attributes arousal valence dominance \
    --layers 1 2 3 4 --depths ... --source iemocap|msp_improv|all [--mini] --out exp/<tag>/tables.md

Numbers are means ± std over trials of trial<k>/decode_<set>/metrics.json;
* marks dann above src at p < 0.05 (one-tailed Welch t-test over trials).
The paper's numbers stand beside ours where METHODS.md / the paper give them
(on the synthetic pair they are a reference for shape, not for value).
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from serda.cli import run_cli
from serda.errors import InputError
from serda.results import better_mark, cell, publish_tables, trial_metrics

# The paper's Table II (deep, CCC, Podcast test) and Table III (domain
# classifier accuracy on Podcast test, %), as quoted in shared/METHODS.md
# and the paper's text.
PAPER_CCC = {("iemocap", "arousal"): {"src": 0.452, "dann": 0.489, "target": 0.776},
             ("msp_improv", "arousal"): {"src": 0.267, "dann": 0.381, "target": 0.776},
             ("all", "arousal"): {"src": 0.386, "dann": 0.499, "target": 0.776}}
PAPER_DOMAIN_ACC = {("iemocap", "arousal"): 71.2, ("iemocap", "valence"): 60.2,
                    ("iemocap", "dominance"): 66.7, ("msp_improv", "arousal"): 70.6,
                    ("msp_improv", "valence"): 75.0, ("msp_improv", "dominance"): 72.5,
                    ("all", "arousal"): 46.8, ("all", "valence"): 54.0,
                    ("all", "dominance"): 61.2}
METRICS = ("rmse", "pr", "ccc")


def best_layers(exp, layers):
    scores = {k: np.mean(trial_metrics(Path(exp) / f"dann_l{k}", "target_dev")["ccc"])
              for k in layers}
    return max(scores, key=scores.get)


def depth(exp, layers, attribute, depths):
    """Shared layers of the deep models of ``attribute``: from ``depths``
    ("dev", or "attribute=k ..."), chosen on target dev for "dev"."""
    if depths.strip() == "dev":
        return best_layers(exp, layers)
    given = dict(item.split("=") for item in depths.split())
    if attribute not in given:
        raise InputError(exp, f"--depths '{depths}' gives no depth for {attribute}")
    return int(given[attribute])


def depth_note(depths):
    if depths.strip() == "dev":
        return ("chosen in this run on the target dev set (Podcast dev labels: the best mean "
                "CCC of Table I) †")
    return ("as the paper chose them on Podcast dev for every source (\"one for arousal, two "
            "for valence and three for dominance\") †")


def table_one(exp, attributes, layers):
    head = "| shared layers | " + " | ".join(f"{a} {m.upper()}" for a in attributes
                                             for m in METRICS) + " |"
    rows = [head, "|" + "---|" * (1 + 3 * len(attributes))]
    for k in layers:
        cells = []
        for a in attributes:
            v = trial_metrics(Path(exp) / a / f"dann_l{k}", "target_dev")
            cells += [cell(v[m]) for m in METRICS]
        rows.append(f"| {k} | " + " | ".join(cells) + " |")
    return rows


def table_two(exp, attributes, chosen, source):
    head = "| model | system | " + " | ".join(f"{a} {m.upper()}" for a in attributes
                                             for m in METRICS) + " | paper CCC (arousal) |"
    depth_cells = [cell for a in attributes for cell in
                   (f"{chosen[a]} shared layer{'s' if chosen[a] > 1 else ''} †", "", "")]
    depth_row = "| deep | (depth) | " + " | ".join(depth_cells) + " | |"
    rows = [head, "|" + "---|" * (3 + 3 * len(attributes)), depth_row]
    for depth in ("deep", "shallow"):
        for system in ("target", "src", "dann"):
            cells = []
            for a in attributes:
                name = f"{system}_l{chosen[a]}" if depth == "deep" else f"{system}_shallow"
                v = trial_metrics(Path(exp) / a / name, "target_test")
                mark = ""
                if system == "dann":
                    base = f"src_l{chosen[a]}" if depth == "deep" else "src_shallow"
                    b = trial_metrics(Path(exp) / a / base, "target_test")
                    mark = better_mark(v["ccc"], b["ccc"])
                cells += [cell(v[m], mark if m == "ccc" else "") for m in METRICS]
            paper = PAPER_CCC.get((source, "arousal"), {}).get(system) if depth == "deep" else None
            rows.append(f"| {depth} | {system} | " + " | ".join(cells)
                        + f" | {paper if paper is not None else '—'} |")
    return rows


def table_three(exp, attributes, chosen, source):
    rows = ["| attribute | dann deep: target test detected as target (%) | dann shallow (%) "
            "| paper (%) |", "|---|---|---|---|"]
    for a in attributes:
        deep = trial_metrics(Path(exp) / a / f"dann_l{chosen[a]}", "target_test")
        shallow = trial_metrics(Path(exp) / a / "dann_shallow", "target_test")
        paper = PAPER_DOMAIN_ACC.get((source, a))
        rows.append(f"| {a} | {cell(100 * np.array(deep['domain_acc']), digits=1)} | "
                    f"{cell(100 * np.array(shallow['domain_acc']), digits=1)} | "
                    f"{paper if paper is not None else '—'} |")
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    b = sub.add_parser("depth")
    b.add_argument("--exp", required=True)
    b.add_argument("--layers", nargs="+", type=int, required=True)
    b.add_argument("--attribute", required=True)
    b.add_argument("--depths", required=True)
    t = sub.add_parser("tables")
    t.add_argument("--exp", required=True)
    t.add_argument("--attributes", nargs="+", required=True)
    t.add_argument("--layers", nargs="+", type=int, required=True)
    t.add_argument("--depths", required=True)
    t.add_argument("--source", required=True)
    t.add_argument("--mini", action="store_true")
    t.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if args.what == "depth":
        print(depth(args.exp, args.layers, args.attribute, args.depths))
        return 0
    chosen = {a: depth(Path(args.exp) / a, args.layers, a, args.depths) for a in args.attributes}
    where = "the synthetic pair (mini configuration)" if args.mini else \
        f"{args.source} -> MSP-Podcast"
    lines = [f"# Abdelwahab & Busso (2018) tables: {where}", "",
             "Mean ± std over trials. Paper numbers are the published ones for the real corpora.",
             "", "## Table I: DANN with 1-4 shared layers, target dev (Podcast dev labels)", ""]
    lines += table_one(args.exp, args.attributes, args.layers)
    lines += ["", "Shared layers of the deep models: "
              + ", ".join(f"{a} {chosen[a]}" for a in args.attributes)
              + f", {depth_note(args.depths)} (paper: arousal 1, valence 2, dominance 3).", "",
              "## Table II: target / src / dann, deep and shallow, target test", "",
              "* = dann above src at p < 0.05 (one-tailed Welch t-test over trials, CCC). "
              "† = chosen with target (Podcast) dev labels: the deep rows' number of shared "
              f"layers ({', '.join(f'{a} {chosen[a]}' for a in args.attributes)}), "
              f"{depth_note(args.depths)[:-2]}. Every model keeps its last epoch "
              "(no target label selects an epoch).", ""]
    lines += table_two(args.exp, args.attributes, chosen, args.source)
    lines += ["", "## Table III: domain classifier on the target test set", "",
              "dann deep has the shared layers of Table II (†: chosen with target dev labels).",
              ""]
    lines += table_three(args.exp, args.attributes, chosen, args.source)
    publish_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
