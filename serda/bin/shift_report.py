"""What separates the corpora of a cross-corpus benchmark, and what each
method does about it: the diagnostics behind a leaderboard.

python -m serda.bin.shift_report --exp exp/<tag> --corpora emodb emovo ravdess \
    --methods src dann mcc [--out exp/<tag>/SHIFT.md]

Per ordered pair (<exp>/<s>2<t>/<method>/, after stage 5):

- input domain accuracy: 5-fold cross-validated (shuffled, stratified)
  balanced accuracy of gradient-boosted trees telling the source train rows
  from the target rows, on the features the systems train on (normalised
  per corpus, as in training: means and variances already match, so a
  linear classifier has little to go on); 50 % = the corpora are
  indistinguishable;
- class 1 share: of the labels in source train, in the target, and of each
  method's target decisions (mean over trials): a method that shifts it
  towards the target's own share corrects label shift, one that moves it
  away confuses classes;
- domain head accuracy (methods with one) on source dev vs target dev at the
  selected epoch, mean over trials: near 50 % = the encoder output no
  longer tells the corpora apart.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

from serda import layout
from serda.cli import run_cli
from serda.config import load_config
from serda.results import publish_tables
from serda.train.data import load_set
from serda.train.scoring import input_rows


def domain_accuracy(source, target, seed=0):
    """5-fold CV balanced accuracy (%) of gradient-boosted trees on rows
    (n_s, d) = source vs (n_t, d) = target."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    x = np.concatenate([source, target])
    y = np.r_[np.zeros(len(source)), np.ones(len(target))]
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    clf = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    return 100 * cross_val_score(clf, x, y, cv=folds, scoring="balanced_accuracy").mean()


def decided_share(system_dir, set_name):
    """Share (%) of class-1 decisions on ``set_name``, mean over trials."""
    shares = []
    for _, trial in layout.trial_dirs(system_dir):
        pred = layout.decode_dir(trial, set_name) / layout.PRED
        if pred.is_file():
            values = [int(line.split()[1]) for line in pred.read_text().splitlines() if line]
            shares.append(100 * np.mean(np.asarray(values) == 1))
    return np.mean(shares) if shares else None


def selected_domain_accuracy(system_dir):
    """Domain head accuracy (%) at each trial's selected epoch, mean over trials."""
    values = []
    for _, trial in layout.trial_dirs(system_dir):
        summary = json.loads((trial / layout.SUMMARY).read_text())
        for line in (trial / layout.METRICS).read_text().splitlines():
            record = json.loads(line)
            if record["epoch"] == summary["selected_epoch"] and "dev/domain_acc" in record:
                values.append(100 * record["dev/domain_acc"])
    return np.mean(values) if values else None


def pair_rows(pair_dir, methods):
    cfg = load_config(layout.config_path(pair_dir / methods[0]))
    d = cfg.data
    train = load_set(d.source_train, cfg, True)
    target = load_set(d.target_test, cfg, True)
    row = {"domain": domain_accuracy(input_rows(train), input_rows(target)),
           "source share": 100 * float((train.y_utt == 1).float().mean()),
           "target share": 100 * float((target.y_utt == 1).float().mean())}
    name = Path(d.target_test).name
    for m in methods:
        row[f"{m} share"] = decided_share(pair_dir / m, name)
        row[f"{m} domain head"] = selected_domain_accuracy(pair_dir / m)
    return row


def fmt(v):
    return "—" if v is None else f"{v:.1f}"


def write_shift_report(exp, corpora, methods, out):
    pairs = [(s, t) for s in corpora for t in corpora if s != t]
    rows = {p: pair_rows(Path(exp) / f"{p[0]}2{p[1]}", methods) for p in pairs}
    lines = ["# What separates the corpora, and what each method does about it", "",
             "Input domain accuracy: 5-fold CV balanced accuracy (%) of gradient-boosted trees "
             "telling source train from target rows on the training features (50 = "
             "indistinguishable). Class 1 share (%): of the labels, and of each method's "
             "target decisions (mean over trials).", "",
             "| pair | input domain acc | source class 1 | target class 1 | "
             + " | ".join(f"{m} decides 1" for m in methods) + " |",
             "|---|---|---|---|" + "---|" * len(methods)]
    for (s, t), r in rows.items():
        lines.append(f"| {s} -> {t} | {fmt(r['domain'])} | {fmt(r['source share'])} | "
                     f"{fmt(r['target share'])} | "
                     + " | ".join(fmt(r[f'{m} share']) for m in methods) + " |")
    heads = [m for m in methods if any(r[f"{m} domain head"] is not None for r in rows.values())]
    if heads:
        lines += ["", "Domain head accuracy (%) on source dev vs target dev at the selected "
                  "epoch, mean over trials (50 = the encoder output no longer tells the corpora "
                  "apart).", "", "| pair | " + " | ".join(heads) + " |",
                  "|---|" + "---|" * len(heads)]
        for (s, t), r in rows.items():
            lines.append(f"| {s} -> {t} | "
                         + " | ".join(fmt(r[f'{m} domain head']) for m in heads) + " |")
    publish_tables(lines + [""], out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exp", required=True)
    p.add_argument("--corpora", nargs="+", required=True)
    p.add_argument("--methods", nargs="+", required=True)
    p.add_argument("--out")
    args = p.parse_args(argv)
    out = args.out or Path(args.exp) / "SHIFT.md"
    write_shift_report(args.exp, args.corpora, args.methods, out)
    print(f"shift_report: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
