"""Figure: domain-classifier accuracy vs epoch (Abdelwahab & Busso, Fig. 7).

python -m serda.bin.plot_domain_acc --exp exp/arousal --systems dann dann_switch20 \
    [--labels "GRL from the start" "GRL after 20 epochs"] [--out exp/arousal/figs/domain_acc.png]

For each system, the mean over its trials (shaded: +- one std) of the
domain accuracy on the training batches (``main/domain_acc``, solid) and on
source dev + target dev (``dev/domain_acc``, dashed), read from every
``trial<k>/metrics.jsonl``; the GRL coefficient lambda on a second axis
(dotted). 0.5 is chance: adversarial training should pull both curves
towards it once lambda is up.
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.plots.domain_acc import plot, read_curves


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True, help="exp/<tag>")
    p.add_argument("--systems", nargs="+", required=True)
    p.add_argument("--labels", nargs="+", help="legend names (default: the system names)")
    p.add_argument("--title", default="Domain classifier accuracy during training")
    p.add_argument("--out", help="PNG path (default <exp>/figs/domain_acc.png)")
    args = p.parse_args(argv)
    labels = args.labels or args.systems
    if len(labels) != len(args.systems):
        p.error("--labels needs one name per system")
    curves = {label: read_curves(Path(args.exp) / system)
              for label, system in zip(labels, args.systems)}
    out = args.out or str(Path(args.exp) / "figs" / "domain_acc.png")
    plot(curves, labels, args.title, out)
    for label in labels:
        epochs, train, dev, lam = curves[label]
        print(f"plot_domain_acc: {label}: train {train.mean(axis=0)[0]:.3f} -> "
              f"{train.mean(axis=0)[-1]:.3f} over {len(epochs)} epochs, {len(train)} trials")
    print(f"plot_domain_acc: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
