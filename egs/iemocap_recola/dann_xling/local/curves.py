#!/usr/bin/env python3
"""Fig. 3 of Cai et al.: the domain (language) loss, the domain UAR on the
training batches and the emotion UAR on the dev set, per epoch, of one
system (mean over its seeds, shaded +- one std).

python local/curves.py --system exp/rec2iem_arousal/our --out exp/figs/fig3_curves.png
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from serda import layout
from serda.cli import run_cli
from serda.errors import InputError
from serda.plots import pyplot, save_figure, wrapped

CURVES = (("main/language", "domain (language) loss", "tab:blue", "left"),
          ("main/lang_uar", "domain UAR (training batches)", "tab:green", "right"),
          ("target_dev/ua", "emotion UAR (dev set)", "tab:red", "right"))


def histories(system):
    rows = layout.metrics_histories(system)
    if not rows:
        raise InputError(system, "no trial*/metrics.jsonl (run stage 4 first)")
    out = {}
    for key, *_ in CURVES:
        for trial, records in rows:
            if key not in records[0]:
                raise InputError(trial / layout.METRICS, f"no '{key}' (not an adversarial system?)")
        out[key] = np.array([[r[key] for r in records] for _, records in rows])
    return np.array([r["epoch"] for r in rows[0][1]]), out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--system", required=True)
    p.add_argument("--title", default="Training curves")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    epochs, curves = histories(Path(args.system))
    plt = pyplot()
    fig, left = plt.subplots(figsize=(7.5, 4.5), dpi=100)
    right = left.twinx()
    for key, label, colour, side in CURVES:
        ax = left if side == "left" else right
        v = curves[key]
        m, s = v.mean(axis=0), v.std(axis=0)
        ax.plot(epochs + 1, m, color=colour, label=label)
        ax.fill_between(epochs + 1, m - s, m + s, color=colour, alpha=0.15)
    left.set_xlabel("epoch")
    left.set_ylabel("domain loss ((1 - alpha) L_l)")
    right.set_ylabel("UAR")
    handles = sum((ax.get_legend_handles_labels()[0] for ax in (left, right)), [])
    labels = sum((ax.get_legend_handles_labels()[1] for ax in (left, right)), [])
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    left.set_title(wrapped(args.title, 6.5, 10), fontsize=10)
    save_figure(fig, args.out, rect=(0, 0.07, 1, 1))
    print(f"curves: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
