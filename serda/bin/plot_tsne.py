"""Figure: t-SNE of a trained model's shared layers (Abdelwahab & Busso
Figs. 8-9, MRD paper Fig. 2).

python -m serda.bin.plot_tsne --systems exp/arousal/src exp/arousal/dann [--trial 1] \
    [--sets source_test target_test] [--layers last | all | 1 2 ...] \
    [--color domain | label | domain_label | attr:<name>] [--max-points 400] [--out exp/arousal/figs/tsne.png]

One panel per system (rows) and shared layer (columns): the encoder's
hidden-layer outputs for utterances of ``--sets`` (config keys such as
source_test, target_test; at most ``--max-points`` per set, drawn with a
fixed seed) embedded in 2-D with t-SNE (scikit-learn, PCA init, seed 0).
``--color domain`` colours source vs target sets (the adaptation should mix
them); ``--color label`` colours low vs high values of the task label,
split at ``--threshold`` on the training scale (default 0 = the middle of
[-3, 3]); ``--color domain_label`` does both (colour = low / high, marker =
set: the MRD paper's Fig. 2); ``--color attr:corpus`` colours each utterance by
a data-dir attribute (utt2corpus of a pooled set). Layer outputs are per row; frame-level sets are averaged per
utterance first (serda.plots.tsne).
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.plots.tsne import tsne_figure


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--systems", nargs="+", required=True, help="exp/<tag>/<system> dirs")
    p.add_argument("--names", nargs="+", help="row names (default: system dir names)")
    p.add_argument("--trial", type=int, default=1)
    p.add_argument("--sets", nargs="+", default=["source_test", "target_test"])
    p.add_argument("--layers", nargs="+", default=["last"], help="last, all, or 1-based numbers")
    p.add_argument("--color", default="domain",
                   help="domain | label | domain_label | attr:<name> (e.g. attr:corpus)")
    p.add_argument("--threshold", type=float, default=0.0, help="low/high split of --color label")
    p.add_argument("--max-points", type=int, default=400, help="per set")
    p.add_argument("--projection", choices=("tsne", "pca"), default="tsne",
                   help="t-SNE, or the first two principal components (Cai et al.'s Fig. 2)")
    p.add_argument("--title", default="t-SNE of the shared layers")
    p.add_argument("--out", help="PNG (default <exp>/figs/tsne_<color>.png)")
    args = p.parse_args(argv)
    if args.color not in ("domain", "label", "domain_label") and \
            not (args.color.startswith("attr:") and len(args.color) > 5):
        p.error(f"--color: domain, label, domain_label or attr:<name>, not '{args.color}'")
    names = args.names or [Path(s).name for s in args.systems]
    if len(names) != len(args.systems):
        p.error("--names needs one name per system")
    colour = args.color.replace(":", "_")
    out = args.out or str(Path(args.systems[0]).parent / "figs" / f"tsne_{colour}.png")
    cols = tsne_figure(args.systems, names, args.trial, args.sets, args.layers, args.color,
                       args.threshold, args.max_points, args.title, out, args.projection)
    print(f"plot_tsne: wrote {out} ({len(args.systems)} system(s) x {cols} layer(s))")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
