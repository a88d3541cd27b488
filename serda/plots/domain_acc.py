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
    """Write the PNG ``out`` from {label: read_curves(...)}."""
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=100)
    lam_ax = ax.twinx()
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, label in enumerate(labels):
        epochs, train, dev, lam = curves[label]
        c = colours[i % len(colours)]
        for values, style, what in ((train, "-", "train"), (dev, "--", "dev")):
            if values is None:
                continue
            mean, std = values.mean(axis=0), values.std(axis=0)
            ax.plot(epochs, mean, style, color=c, label=f"{label}: {what}")
            ax.fill_between(epochs, mean - std, mean + std, color=c, alpha=0.15, linewidth=0)
        lam_ax.plot(epochs, lam, ":", color=c, label=f"{label}: lambda")
    ax.axhline(0.5, color="grey", linewidth=0.8)
    ax.text(ax.get_xlim()[0], 0.505, " chance", color="grey", fontsize=8, va="bottom")
    ax.set_xlabel("epoch")
    ax.set_ylabel("domain classifier accuracy")
    ax.set_ylim(0.3, 1.02)
    lam_ax.set_ylabel("GRL coefficient lambda (dotted)")
    lam_ax.set_ylim(-0.05, 1.6)
    handles = ax.get_legend_handles_labels()
    lam_handles = lam_ax.get_legend_handles_labels()
    ax.legend(handles[0] + lam_handles[0], handles[1] + lam_handles[1], fontsize=8,
              loc="upper right", ncol=1 if len(labels) == 1 else 2)
    ax.set_title(wrapped(title, 6.5, 12))
    save_figure(fig, out)
