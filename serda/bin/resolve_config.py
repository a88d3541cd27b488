"""Stage 4 set-up: resolve recipe configs into exp/<tag>/<system>/config.yaml.

One config:
  python -m serda.bin.resolve_config --conf conf/dann.yaml --out exp/t/dann/config.yaml
         [--train-args "optim.lr=1e-3 train.epochs=5"] [--print train.trials ...] [key=value ...]
Every system of an experiment (the driver's stage 4; checks them all before any job):
  python -m serda.bin.resolve_config --exp exp/t --systems "conf/src.yaml dann=conf/dann.yaml,k=v" \
         --feats dump/is13 --source mini_en --target mini_de [--folds "1 2 3"] \
         [--train-args ...] [--shared-args ...] [--decode-sets ...] [--check | --list] [key=value ...]
  prints one line per system (and fold): name <TAB> dir <TAB> trials <TAB> vectorize
Every experiment of a wave in one process (the driver; the library is imported once):
  python -m serda.bin.resolve_config --batch FILE [--check | --list] [key=value ...]
  FILE: one experiment per line, its --exp --systems --feats ... options shell-quoted;
  prints <line number> <TAB> the experiment's lines as above. Every experiment is
  checked before any config is written.

Defaults (serda.config) <- the recipe YAML <- data sets <- key=value <-
--train-args <- --shared-args <- the system's own overrides.
"""
import argparse
import shlex
import sys

from serda.cli import run_cli
from serda.settings import ConfigError
from serda.train.resolve import resolve, resolve_experiment, value_of


def parser():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--conf", help="one recipe config")
    p.add_argument("--out", help="its resolved config.yaml (with --conf)")
    p.add_argument("--exp", help="an experiment dir exp/<tag> (with --systems)")
    p.add_argument("--systems", default="", help="system specs, space-separated")
    p.add_argument("--feats", help="the feature dirs' root, e.g. dump/is13")
    p.add_argument("--source", default="")
    p.add_argument("--target", default="")
    p.add_argument("--folds", default="", help="fold names of a cross-validated experiment")
    p.add_argument("--train-args", default="", help="overrides that name the systems")
    p.add_argument("--shared-args", default="", help="overrides that do not")
    p.add_argument("--decode-sets", default="", help="data.* keys stage 5 decodes")
    p.add_argument("--check", action="store_true", help="check only, write nothing")
    p.add_argument("--list", action="store_true", help="read the configs stage 4 wrote")
    p.add_argument("--print", dest="print_keys", action="append", default=[],
                   help="print this dotted key of the result (repeatable; one line each)")
    p.add_argument("--batch", help="a file of experiments, one option line each")
    p.add_argument("overrides", nargs="*")
    return p


def experiment_of(args, mode):
    """[(name, system dir, config)] of the experiment ``args`` gives."""
    return resolve_experiment(
        args.exp, args.systems.split(), args.feats, args.source, args.target,
        args.folds.split(), args.train_args, args.overrides, args.shared_args,
        args.decode_sets.split(), mode)


def batch(path, mode, overrides):
    """Resolve every experiment of ``path``; [(line number, systems)]."""
    experiments = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                args = parser().parse_args(shlex.split(line) + list(overrides))
            except SystemExit:
                raise ConfigError(f"{path}:{number}: not an experiment's options") from None
            if not (args.exp and args.systems and args.feats):
                raise ConfigError(f"{path}:{number}: needs --exp, --systems and --feats")
            experiments.append((number, args))
    if mode == "write":   # every experiment valid before the first config is written
        for _, args in experiments:
            experiment_of(args, "check")
    return [(number, experiment_of(args, mode)) for number, args in experiments]


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    decode_sets = args.decode_sets.split()
    mode = "list" if args.list else "check" if args.check else "write"
    if args.batch:
        for number, systems in batch(args.batch, mode, args.overrides):
            for name, system, cfg in systems:
                print(f"{number}\t{line_of(name, system, cfg)}")
        return 0
    if args.conf:
        cfg = resolve(args.conf, args.out,
                      args.overrides + shlex.split(args.train_args) + shlex.split(args.shared_args),
                      decode_sets, write=not args.check)
        for key in args.print_keys:
            print(value_of(cfg, key))
        return 0
    if not (args.exp and args.systems and args.feats):
        p.error("give --conf (one config) or --exp, --systems and --feats (an experiment)")
    for name, system, cfg in experiment_of(args, mode):
        print(line_of(name, system, cfg))
    return 0


def line_of(name, system, cfg):
    return f"{name}\t{system}\t{cfg.train.trials}\t{str(cfg.train.vectorize).lower()}"


if __name__ == "__main__":
    sys.exit(run_cli(main))
