"""Domain-classifier accuracy vs epoch (Abdelwahab & Busso, Fig. 7), read
from every trial's metrics.jsonl: mean over trials (shaded: +- one std) on
the training batches (solid) and on source dev + target dev (dashed), the
GRL coefficient lambda on a second axis (dotted)."""
import numpy as np

from serda import layout
from serda.errors import InputError
from serda.plots import pyplot, save_figure, wrapped

TRAIN_KEY, DEV_KEY = "main/domain_acc", "dev/domain_acc"


def read_curves(system_dir):
    """(epochs (E,), train (K, E), dev (K, E) or None, lambda (E,)) over
    the K trials of ``system_dir``; InputError when a trial has no domain
    accuracy (a method without a domain head) or trials disagree in length."""
    histories = layout.metrics_histories(system_dir)
    if not histories:
        raise InputError(system_dir, "no trial*/metrics.jsonl (run stage 4 first)")
    train, dev, lam, epochs = [], [], None, None
    for trial, rows in histories:
        path = trial / layout.METRICS
        if not rows or TRAIN_KEY not in rows[0]:
            raise InputError(path, f"no '{TRAIN_KEY}': this method has no domain classifier")
        e = np.array([r["epoch"] for r in rows])
        if epochs is not None and not np.array_equal(e, epochs):
            raise InputError(path, f"{len(e)} epochs, other trials have {len(epochs)}")
        epochs = e
        train.append([r[TRAIN_KEY] for r in rows])
        dev.append([r.get(DEV_KEY, np.nan) for r in rows])
        lam = np.array([r.get("lambda", np.nan) for r in rows])
    dev = np.array(dev, dtype=float)
    return epochs, np.array(train, dtype=float), (None if np.isnan(dev).all() else dev), lam


def plot(curves, labels, title, out):
    """Write the PNG ``out`` from {label: read_curves(...)}: one colour per
    system, line style per curve (solid train, dashed dev, dotted lambda);
    the legend below the axes."""
    plt = pyplot()
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(7.5, 5.2), dpi=100)
    lam_ax = ax.twinx()
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    handles = []
    for i, label in enumerate(labels):
        epochs, train, dev, lam = curves[label]
        c = colours[i % len(colours)]
        for values, style in ((train, "-"), (dev, "--")):
            if values is None:
                continue
            mean, std = values.mean(axis=0), values.std(axis=0)
            ax.plot(epochs, mean, style, color=c)
            ax.fill_between(epochs, mean - std, mean + std, color=c, alpha=0.15, linewidth=0)
        lam_ax.plot(epochs, lam, ":", color=c)
        handles.append(Line2D([], [], color=c, linewidth=4, label=wrapped(label, 3.4, 8)))
    handles += [Line2D([], [], color="black", linestyle=ls, label=text) for ls, text in
                (("-", "domain accuracy, training batches"),
                 ("--", "domain accuracy, source + target dev"),
                 (":", "GRL coefficient lambda (right axis)"))]
    ax.axhline(0.5, color="grey", linewidth=0.8)
    ax.text(ax.get_xlim()[0], 0.505, " chance", color="grey", fontsize=8, va="bottom")
    ax.set_xlabel("epoch")
    ax.set_ylabel("domain classifier accuracy")
    ax.set_ylim(0.3, 1.02)
    lam_ax.set_ylabel("GRL coefficient lambda (dotted)")
    lam_ax.set_ylim(-0.05, 1.6)
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
    ax.set_title(wrapped(title, 6.5, 12))
    rows = (len(handles) + 1) // 2
    save_figure(fig, out, rect=(0, 0.045 * rows + 0.02, 1, 1))
