"""Stage 4 set-up: resolve recipe configs into exp/<tag>/<system>/config.yaml.

One config:
  python -m serda.bin.resolve_config --conf conf/dann.yaml --out exp/t/dann/config.yaml
         [--train-args "optim.lr=1e-3 train.epochs=5"] [--print train.trials ...] [key=value ...]
Every system of an experiment (the driver's stage 4; checks them all before any job):
  python -m serda.bin.resolve_config --exp exp/t --systems "conf/src.yaml dann=conf/dann.yaml,k=v" \
         --feats dump/is13 --source mini_en --target mini_de [--folds "1 2 3"] \
         [--train-args ...] [--shared-args ...] [--decode-sets ...] [--check | --list] [key=value ...]
  prints one line per system (and fold): name <TAB> dir <TAB> trials <TAB> vectorize

Defaults (serda.config) <- the recipe YAML <- data sets <- key=value <-
--train-args <- --shared-args <- the system's own overrides.
"""
import argparse
import shlex
import sys

from serda.cli import run_cli
from serda.train.resolve import resolve, resolve_experiment, value_of


def main(argv=None):
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
    p.add_argument("overrides", nargs="*")
    args = p.parse_args(argv)
    decode_sets = args.decode_sets.split()
    if args.conf:
        cfg = resolve(args.conf, args.out,
                      args.overrides + shlex.split(args.train_args) + shlex.split(args.shared_args),
                      decode_sets, write=not args.check)
        for key in args.print_keys:
            print(value_of(cfg, key))
        return 0
    if not (args.exp and args.systems and args.feats):
        p.error("give --conf (one config) or --exp, --systems and --feats (an experiment)")
    mode = "list" if args.list else "check" if args.check else "write"
    for name, system, cfg in resolve_experiment(
            args.exp, args.systems.split(), args.feats, args.source, args.target,
            args.folds.split(), args.train_args, args.overrides, args.shared_args, decode_sets,
            mode):
        print(f"{name}\t{system}\t{cfg.train.trials}\t{str(cfg.train.vectorize).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
