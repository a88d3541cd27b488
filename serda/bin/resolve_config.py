"""Stage 4 set-up: resolve a recipe config into exp/<tag>/<system>/config.yaml.

python -m serda.bin.resolve_config --conf conf/dann.yaml --out exp/t/dann/config.yaml
       [--train-args "optim.lr=1e-3 train.epochs=5"] [--print train.trials ...] [key=value ...]

Defaults (serda.config) <- the recipe YAML <- --train-args <- key=value
(the driver passes the data dirs this way). The file starts with comment
lines giving the serda commit, library versions and the command.
"""
import argparse
import hashlib
import shlex
import sys
from pathlib import Path

import yaml

from serda.cli import run_cli
from serda.config import ConfigError, config_to_dict, load_config
from serda.methods import method_names
from serda.train.provenance import provenance_lines


DATA_FILES = (".done", "feats.scp", "norm_stats.npz")


def data_stamp(cfg):
    """A line naming the state of the feature dirs the config reads: their
    feature stamps (which fingerprint the audio), feats.scp and norm stats."""
    h = hashlib.sha256()
    for key, value in sorted(config_to_dict(cfg)["data"].items()):
        if isinstance(value, str) and value and Path(value).is_dir():
            for name in DATA_FILES:
                if (Path(value) / name).is_file():
                    h.update(f"{key}/{name}\0".encode() + (Path(value) / name).read_bytes())
    return f"# data: {h.hexdigest()[:16]}"


def _old_stamp(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# data: "):
            return line
    return None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--conf", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--train-args", default="", help="space-separated key=value overrides")
    p.add_argument("--print", dest="print_keys", action="append", default=[],
                   help="print this dotted key of the result (repeatable; one line each)")
    p.add_argument("overrides", nargs="*")
    args = p.parse_args(argv)
    cfg = load_config(args.conf, shlex.split(args.train_args) + args.overrides)
    if cfg.method not in method_names():  # fails here, before any job
        raise ConfigError(f"{args.conf}: unknown method '{cfg.method}' "
                          f"(known: {', '.join(method_names())})")
    body = yaml.safe_dump(config_to_dict(cfg), sort_keys=False)
    out = Path(args.out)
    if out.is_file() and out != Path(args.conf):
        old = config_to_dict(load_config(out))  # keys added to serda since: defaults
        trained = any(out.parent.glob("trial*/summary.json"))
        if old != config_to_dict(cfg) and trained:
            raise ConfigError(f"{out}: this experiment was trained with another config; "
                              "choose another --tag or remove the directory")
        if trained and _old_stamp(out) not in (None, data_stamp(cfg)):
            raise ConfigError(f"{out}: the features or normalisation statistics changed since "
                              f"these trials were trained; remove {out.parent} to retrain")
    if str(out) != "/dev/null":
        out.parent.mkdir(parents=True, exist_ok=True)
        header = "".join(f"# {line}\n" for line in provenance_lines())
        tmp = out.with_suffix(".tmp")
        tmp.write_text(header + f"# recipe config: {args.conf}\n{data_stamp(cfg)}\n" + body,
                       encoding="utf-8")
        tmp.replace(out)
    for key in args.print_keys:
        value = config_to_dict(cfg)
        for part in key.split("."):
            value = value[part]
        print(value)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
