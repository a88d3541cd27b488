"""The systems of an experiment: names, configs, data sets.

A system is given to the driver (``--systems``) as ``conf/dann.yaml`` or
``name=conf/dann.yaml,key=value,...`` (its own overrides; a value may be a
YAML flow list or mapping, whose commas stay inside its brackets). Its
name is the given name or the config's file name, plus the experiment's
``--train-args`` when there are any (``dann_train.epochs=5``), so an
override never mixes with trials of the plain config.

Its data sets come from the feature dirs that exist:
``data.<role>_<split> = <feats>/<corpus>_<split>`` for role source/target
and split train/dev/test (and target unlab). A cross-validated experiment
(``folds``) trains each system once per fold f with the target sets
``<target><f>_{train,dev,test}`` (utils/make_cv_sets.py names them so)
in ``exp/<tag>/<system>/fold<f>/``; stage 5 pools the folds' test
predictions into the system's own trials.
"""
import re
from pathlib import Path

from serda.settings import ConfigError

ROLES = (("source", ("train", "dev", "test")), ("target", ("train", "dev", "test", "unlab")))


def split_overrides(text):
    """"a=1,b=[x, y],c={k: v}" -> ["a=1", "b=[x, y]", "c={k: v}"]."""
    items, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    if current:
        items.append(current)
    return [i.strip() for i in items if i.strip()]


def parse_spec(spec, plain_name=False):
    """(name or None, conf path, [overrides]) of one system spec; with
    ``plain_name`` a bare name ("src", as --baseline gives it) is (name, None, [])."""
    head, _, rest = spec.partition(",")
    name, sep, conf = head.partition("=")
    if not sep:
        name, conf = None, head
    if plain_name and not sep and not rest and not conf.endswith((".yaml", ".yml")):
        return conf, None, []
    if not conf.endswith((".yaml", ".yml")):
        raise ConfigError(f"system '{spec}': expected conf.yaml or name=conf.yaml[,key=value...]")
    if name is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", name):
        raise ConfigError(f"system '{spec}': a name takes letters, digits and _ . + -")
    return name, conf, split_overrides(rest)


def system_name(spec, train_args=""):
    """The directory name of a system under exp/<tag>/."""
    name, conf, _ = parse_spec(spec, plain_name=True)
    name = name or Path(conf).name.rsplit(".", 1)[0]
    if train_args.strip():
        name += "_" + re.sub(r"_+", "_", re.sub(r"[\s/]+", "_", train_args.strip()))
    return name


def data_overrides(feats, source, target, fold=None):
    """(["data.<role>_<split>=<dir>", ...], [sets left out]) from the feature
    dirs under ``feats`` that exist; with ``fold`` the target's
    train/dev/test are fold ``fold``'s (``<target><fold>_<split>``)."""
    out, absent = [], []
    for role, splits in ROLES:
        name = source if role == "source" else target
        for split in splits:
            set_name = f"{name}{fold}_{split}" if role == "target" and fold is not None \
                else f"{name}_{split}"
            path = Path(feats) / set_name
            if path.is_dir():
                out.append(f"data.{role}_{split}={path}")
            else:
                absent.append(str(path))
    return out, absent


if __name__ == "__main__":  # python -m serda.systems name <spec> [<train args>]: the driver's names
    import sys
    if len(sys.argv) not in (3, 4) or sys.argv[1] != "name":
        sys.exit("usage: python -m serda.systems name <system spec> [<train args>]")
    print(system_name(*sys.argv[2:]))
