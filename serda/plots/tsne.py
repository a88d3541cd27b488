"""t-SNE of a trained model's shared layers (Abdelwahab & Busso Figs. 8-9,
MRD paper Fig. 2): one panel per system (rows) and layer (columns).

Layer outputs are per row; frame-level sets are averaged per utterance
first. ``color``: ``domain`` colours source vs target sets (the adaptation
should mix them); ``label`` colours low vs high values of the task label,
split at a threshold on the training scale; ``domain_label`` does both
(colour = low / high, marker = set: the MRD paper's Fig. 2); ``attr:<name>``
colours by a data-dir attribute of each utterance (``attr:corpus`` in a
pooled set: Gao et al.'s corpora).
"""
from pathlib import Path

import numpy as np
import torch

from serda import layout
from serda.errors import SerdaError
from serda.plots import pyplot, save_figure, suptitle
from serda.train.data import attribute_values, load_set
from serda.train.evaluate import chunked, group_mean
from serda.train.trained import load_trained


@torch.no_grad()
def layer_outputs(method, data):
    """[(n_utts, width)] per shared (encoder) layer, rows averaged per utterance;
    a method with ``embed`` (its representation after the encoder, e.g.
    BatchNorm'ed) gives that one layer."""
    was_training = method.training
    method.eval()
    fn = (lambda x: [method.embed(x)]) if hasattr(method, "embed") else \
        method.encoder.hidden_outputs
    try:
        return [group_mean(h, data.group, data.n_utts).numpy() for h in chunked(fn, data.x)]
    finally:
        method.train(was_training)


def pick(n, max_points, seed=0):
    """Sorted indices of at most ``max_points`` of ``n`` items (fixed seed)."""
    if n <= max_points:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=max_points, replace=False))


def embed(points, seed=0, projection="tsne"):
    """2-D t-SNE (or PCA: the first two principal components) of ``points`` (n, d)."""
    if projection == "pca":
        centred = points - points.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        return centred @ vt[:2].T
    from sklearn.manifold import TSNE
    perplexity = float(min(30, max(2, (len(points) - 1) // 3)))
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                learning_rate="auto").fit_transform(points)


def collect(system_dir, trial, set_keys, max_points, attribute=None):
    """(layer outputs per set, labels per set, set names) of one system; the
    labels are the values of data-dir ``attribute`` when one is given."""
    cfg, _, method = load_trained(layout.config_path(system_dir), trial)
    layers, labels, names = [], [], []
    for key in set_keys:
        path = getattr(cfg.data, key, None)
        if not path:
            raise SerdaError(f"{layout.config_path(system_dir)} has no data.{key}")
        data = load_set(path, cfg)
        keep = pick(data.n_utts, max_points)
        layers.append([h[keep] for h in layer_outputs(method, data)])
        labels.append(np.asarray(attribute_values(path, data.utts, attribute))[keep]
                      if attribute else data.y_utt.numpy()[keep])
        names.append(f"{key} ({Path(path).name})")
    return layers, labels, names


COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red")
MARKERS = ("o", "^", "s", "D")


def point_groups(labels, set_names, color, threshold):
    """(group index per point, group names, (colour, marker) per group).

    domain: one group per set; label: low / high label over all sets;
    domain_label: set x low/high, colour = label, marker = set; attr:<name>:
    one group per value of the attribute (``labels`` hold the values)."""
    y = np.concatenate(labels)
    which_set = np.concatenate([np.full(len(v), i) for i, v in enumerate(labels)])
    if color.startswith("attr:"):
        values = sorted(set(y.tolist()))
        return (np.array([values.index(v) for v in y]), [str(v) for v in values],
                [(f"C{i % 10}", MARKERS[i // 10 % 4]) for i in range(len(values))])
    high = (y > threshold).astype(int)
    levels = [f"low (<= {threshold:g})", f"high (> {threshold:g})"]
    if color == "domain":
        return which_set, list(set_names), [(COLOURS[i % 4], "o") for i in range(len(set_names))]
    if color == "label":
        return high, levels, [(COLOURS[0], "o"), (COLOURS[3], "o")]
    names = [f"{n}, {lvl}" for n in set_names for lvl in levels]
    styles = [(COLOURS[0 if h == 0 else 3], MARKERS[i % 4])
              for i in range(len(set_names)) for h in (0, 1)]
    return which_set * 2 + high, names, styles


def plot(panels, row_names, col_names, title, out, projection="tsne"):
    """``panels[r][c]`` = (xy (n, 2), groups (n,) ints, group names,
    (colour, marker) per group)."""
    plt = pyplot()

    rows, cols = len(panels), len(panels[0])
    side_by_side = cols == 1          # one layer: systems next to each other
    shape = (1, rows) if side_by_side else (rows, cols)
    fig, axes = plt.subplots(*shape, figsize=(max(7.0, 4.2 * shape[1]), 4.0 * shape[0] + 0.7),
                             dpi=100, squeeze=False)
    for r in range(rows):
        for c in range(cols):
            xy, groups, group_names, styles = panels[r][c]
            ax = axes[0][r] if side_by_side else axes[r][c]
            for g, (name, (colour, marker)) in enumerate(zip(group_names, styles)):
                sel = groups == g
                ax.scatter(xy[sel, 0], xy[sel, 1], s=9, alpha=0.6, color=colour, marker=marker,
                           label=f"{name} ({int(sel.sum())})")
            ax.set_title(f"{row_names[r]}: {col_names[c]}", fontsize=10)
            axis = "PC" if projection == "pca" else "t-SNE "
            ax.set_xlabel(f"{axis}1")
            ax.set_ylabel(f"{axis}2")
            ax.tick_params(labelsize=7)
    # one legend below all panels (same sets and points in each): inside a
    # panel it would hide points
    handles, labels = axes.flat[0].get_legend_handles_labels()
    n_rows = (len(labels) + 1) // 2
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, markerscale=2,
               frameon=False)
    suptitle(fig, title)
    save_figure(fig, out, rect=(0, 0.06 * n_rows / shape[0], 1, 1))


def tsne_figure(systems, names, trial, set_keys, layers, color, threshold, max_points, title,
                out, projection="tsne"):
    """Write the figure ``out``; returns the number of layer columns."""
    panels, col_names = [], None
    for system in systems:
        attribute = color[len("attr:"):] if color.startswith("attr:") else None
        outputs, labels, set_names = collect(system, trial, set_keys, max_points, attribute)
        n_layers = len(outputs[0])
        chosen = (list(range(n_layers)) if layers == ["all"] else
                  [n_layers - 1] if layers == ["last"] else
                  [int(k) - 1 for k in layers])
        if any(not 0 <= k < n_layers for k in chosen):
            raise SerdaError(f"{system}: the encoder has {n_layers} layer(s); asked {layers}")
        this_cols = [f"shared layer {k + 1} of {n_layers}" for k in chosen]
        col_names = col_names or this_cols
        if this_cols != col_names:
            raise SerdaError(f"{system}: layers {this_cols} differ from the first system's "
                             f"{col_names}; plot systems with the same depth together")
        groups, group_names, styles = point_groups(labels, set_names, color, threshold)
        row = []
        for k in chosen:
            xy = embed(np.concatenate([layer[k] for layer in outputs]), projection=projection)
            row.append((xy, groups, group_names, styles))
        panels.append(row)
    plot(panels, names, col_names, title, out, projection)
    return len(col_names)
