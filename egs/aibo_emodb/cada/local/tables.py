#!/usr/bin/env python3
"""Tables 2-3 and Figs. 2-3 of Zhou & Chen (2019) from this recipe's exp dir.

python local/tables.py --exp exp[/mini] --schools ohm mont --shots 2 4 6 8 10 12 \
    --curve-shots 20 30 40 50 --source aibo --target emodb --out exp/tables.md --figs exp/figs

UA (%) over the whole target corpus (each utterance predicted by the fold
that tested it, pooled), mean ± std over trials, per method and k labelled
target examples per class; * = above all-source at p < 0.05 (one-tailed
Welch t-test over trials). The paper's numbers (its Tables 2-3) stand
under ours; label-target is reported from k > 10 per class, as the paper.
Early stopping used the held-out 10 % of each target training fold (target
labels, as the paper) for every system but all-source.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from serda.cli import run_cli
from serda.plots import pyplot, save_figure, wrapped
from serda.results import better_mark, cell, publish_tables, trial_metrics

METHODS = (("finetune", "fine-tune"), ("fada", "FADA"), ("cada", "CADA"),
           ("label_target", "label-target"))
PAPER_SHOTS = (2, 4, 6, 8, 10, 12)
# Zhou & Chen (2019), Tables 2 (Aibo-Ohm -> EmoDB) and 3 (Aibo-Mont -> EmoDB): UA %
PAPER = {
    "ohm": {"finetune": (55, 57, 59, 60, 61, 62), "fada": (54, 54, 54, 55, 55, 55),
            "cada": (58, 59, 62, 63, 63, 64), "all_source": "55 ± 2", "all_target": "81 ± 3"},
    "mont": {"finetune": (55, 55, 57, 58, 59, 61), "fada": (50, 50, 51, 52, 52, 53),
             "cada": (57, 59, 60, 60, 61, 63), "all_source": "51 ± 1", "all_target": "81 ± 3"},
}
TITLES = {"ohm": ("Table 2", "Fig. 2", "Aibo-Ohm"), "mont": ("Table 3", "Fig. 3", "Aibo-Mont")}


def ua(system_dir):
    """UA values (%) per trial of a system's target_test decodes."""
    return [100 * v for v in trial_metrics(system_dir, "target_test")["ua"]]


def school_table(exp, tag, school, shots, source, target, all_target):
    base = ua(exp / tag / "all_source")
    head = "| method | " + " | ".join(f"k = {k}" for k in shots) + " |"
    lines = [head, "|---|" + "---|" * len(shots)]
    for name, label in METHODS:
        cells = []
        for k in shots:
            if name == "label_target" and k <= 10:
                cells.append("—")
                continue
            v = ua(exp / tag / f"{name}_k{k}")
            cells.append(cell(v, better_mark(v, base), digits=1))
        lines.append(f"| {label} (serda) | " + " | ".join(cells) + " |")
        paper = PAPER.get(school, {}).get(name)
        if paper:
            lines.append(f"| {label} (paper) | " + " | ".join(
                str(paper[PAPER_SHOTS.index(k)]) if k in PAPER_SHOTS else "—" for k in shots)
                + " |")
    lines += ["", f"all-source (no target information): {cell(base, digits=1)} "
              f"(paper: {PAPER.get(school, {}).get('all_source', '—')}); all-target (every "
              f"target training example): {cell(all_target, digits=1)} "
              f"(paper: {PAPER.get(school, {}).get('all_target', '—')})."]
    return lines


def school_figure(exp, tag, school, shots, source, target, all_target, out):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.0, 4.8), dpi=100)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (name, label) in enumerate(METHODS):
        ks = [k for k in shots if (exp / tag / f"{name}_k{k}").is_dir()]
        values = [ua(exp / tag / f"{name}_k{k}") for k in ks]
        mean = np.array([np.mean(v) for v in values])
        std = np.array([np.std(v) for v in values])
        ax.plot(ks, mean, "o-", color=colours[i], label=label, markersize=4)
        ax.fill_between(ks, mean - std, mean + std, color=colours[i], alpha=0.15, linewidth=0)
    for values, label, style in ((ua(exp / tag / "all_source"), "all-source", ":"),
                                 (all_target, "all-target", "--")):
        ax.axhline(np.mean(values), color="grey", linestyle=style, label=f"{label} (mean)")
    ax.set_xlabel("labelled target examples per class (k)")
    ax.set_ylabel(f"UA on {target} (%), 5-fold CV pooled")
    ax.set_xticks(shots)
    title = f"{TITLES.get(school, ('', 'Figure', school))[1]}: {source} {school} -> {target}, " \
            "mean ± std over trials"
    ax.set_title(wrapped(title, 6.2, 11), fontsize=11)
    fig.legend(loc="lower center", ncol=3, fontsize=8, frameon=False)
    save_figure(fig, out, rect=(0, 0.1, 1, 1))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True, help="exp or exp/mini")
    p.add_argument("--schools", nargs="+", required=True)
    p.add_argument("--shots", nargs="+", type=int, required=True)
    p.add_argument("--curve-shots", nargs="*", type=int, default=[])
    p.add_argument("--source", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--figs", required=True)
    args = p.parse_args(argv)
    exp = Path(args.exp)
    all_target = ua(exp / "target" / "all_target")
    lines = [f"# Zhou & Chen (2019) Tables 2-3: few-shot DA {args.source} -> {args.target}", "",
             "UA % over the whole target corpus (5-fold speaker-dependent CV, each utterance "
             "predicted by the fold that held it out), mean ± std over trials; * = above "
             "all-source at p < 0.05 (one-tailed Welch t-test over trials). k = labelled target "
             "examples per class. Early stopping: every system but all-source kept the epoch with "
             "the best UA on the held-out 10 % of its target training fold (target labels, as "
             "the paper). label-target is reported from k > 10, as the paper. The paper's rows "
             "are its published means for FAU Aibo -> EmoDB.", ""]
    for school in args.schools:
        table, fig, name = TITLES.get(school, ("Table", "Figure", school))
        lines += [f"## {table}: {name} ({args.source}) -> {args.target}", ""]
        lines += school_table(exp, school, school, args.shots, args.source, args.target,
                              all_target)
        lines.append("")
        school_figure(exp, school, school, args.shots + args.curve_shots, args.source,
                      args.target, all_target, Path(args.figs) / f"{fig.replace('. ', '')}"
                      f"_{school}.png".lower())
    publish_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
