"""Stage 4 set-up: recipe configs resolved into exp/<tag>/<system>/config.yaml.

Defaults (serda.config) <- the recipe YAML <- overrides, in order: the
data sets, the driver's settings (device, trials), --train-args,
--shared-args, the system's own. The written file starts with comment
lines giving the serda commit, library versions, the command, the recipe
config and a ``# training data:`` stamp of the feature dirs training reads.
A system whose trials were trained with another config is refused rather
than mixed (choose another tag); one trained on features, statistics or
labels that changed since is trained again: stage 4 removes its trials and
says so, and decoding alone (stage 5) refuses the stale trials.
"""
import hashlib
import sys
from pathlib import Path

import yaml

from serda import layout
from serda.atomic import write_atomic
from serda.config import config_to_dict, load_config
from serda.data.fingerprint import LABEL_TABLES, tables_fingerprint
from serda.settings import ConfigError
from serda.train.preflight import check_config
from serda.train.provenance import provenance_lines

DATA_FILES = (".done", "feats.scp", "norm_stats.npz")


# the sets training reads (serda.train.data); test sets are read by decoding
# only, which stage 5 always redoes
TRAINING_SETS = ("source_train", "source_dev", "target_train", "target_dev", "target_unlab")
UNLABELLED_SETS = ("target_unlab",)
# a config.yaml of an older serda has another stamp line, which is not compared
# (its trials are kept, and the new stamp is written)
STAMP = "# training data: "


def data_stamp(cfg):
    """A line naming the state of the feature dirs training reads: their
    feature stamps (which fingerprint the audio), feats.scp, normalisation
    statistics (a pooled set's per corpus too) and tables
    (serda.data.fingerprint.tables_fingerprint: labels, speakers, genders,
    attributes.yaml; an unlabelled set's labels are not read, so not hashed).
    A changed label of a test set changes no trained system: stage 5
    scores it again."""
    h = hashlib.sha256()
    data = config_to_dict(cfg)["data"]
    for key in TRAINING_SETS:
        value = data.get(key)
        if isinstance(value, str) and value and Path(value).is_dir():
            d = Path(value)
            files = [d / name for name in DATA_FILES]
            files += sorted((d / "norm_stats_by_corpus").glob("*.npz"))
            for path in files:
                if path.is_file():
                    h.update(f"{key}/{path.relative_to(d)}\0".encode() + _content(path))
            skip = LABEL_TABLES if key in UNLABELLED_SETS else ()
            h.update(f"{key}/tables\0{tables_fingerprint(d, skip)}".encode())
    return f"{STAMP}{h.hexdigest()[:16]}"


def _content(path):
    """The bytes that matter of ``path``: an .npz's arrays (statistics
    written again with the same values are the same), else the file."""
    if path.suffix != ".npz":
        return path.read_bytes()
    import numpy as np
    with np.load(path) as z:
        return b"".join(name.encode() + np.ascontiguousarray(z[name]).tobytes()
                        for name in sorted(z.files))


def _stderr(text):
    print(text, file=sys.stderr)


def _old_stamp(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(STAMP):
            return line
    return None


def stale_message(out, cfg):
    """Why the trials beside ``out`` no longer match the data of ``cfg``, or None."""
    if _old_stamp(out) in (None, data_stamp(cfg)):
        return None
    return (f"{out}: the features, labels or normalisation statistics changed since these "
            "trials were trained")


def resolve(conf, out, overrides=(), decode_sets=(), write=True, argv=None, log=None):
    """The config of ``conf`` plus ``overrides`` ("key=value" items, or
    (where, items) groups), checked against its data and an existing
    ``out`` (refused when trained with another config; its trials removed,
    saying so through ``log``, when trained on other data and ``write``),
    then written to ``out`` (when ``write``)."""
    system = f"{conf}" + (f" (system {Path(out).parent.name})" if out else "")
    groups = list(overrides)
    if groups and isinstance(groups[0], str):
        groups = [("command line", groups)]
    try:
        cfg = load_config(conf, [(f"{system}, {where}", items) for where, items in groups])
    except ConfigError as err:
        text = str(err)
        if text.startswith(f"{conf}: "):
            text = f"{system}: " + text[len(f"{conf}: "):]
        raise ConfigError(text if text.startswith(system) else f"{system}: {text}") from None
    check_config(cfg, system, decode_sets)
    out = Path(out) if out else None
    if out is not None and out.is_file() and out != Path(conf):
        trained = layout.any_trained(out.parent)
        if trained:
            try:
                old = config_to_dict(load_config(out))
            except ConfigError as err:
                raise ConfigError(f"{out}: these trials were trained with a config this serda "
                                  f"cannot read ({err}); choose another --tag or remove "
                                  f"{out.parent}") from None
            if old != config_to_dict(cfg):
                raise ConfigError(f"{out}: this experiment was trained with another config; "
                                  "choose another --tag or remove the directory")
            stale = stale_message(out, cfg)
            if stale and write:
                removed = layout.clear_trained(out.parent)
                (log or _stderr)(f"resolve: {stale}: {len(removed)} trained trial dir(s) removed, "
                               "the system is trained again")
    if write and out is not None and str(out) != "/dev/null":
        out.parent.mkdir(parents=True, exist_ok=True)
        header = "".join(f"# {line}\n" for line in provenance_lines(argv))
        text = (header + f"# recipe config: {conf}\n{data_stamp(cfg)}\n"
                + yaml.safe_dump(config_to_dict(cfg), sort_keys=False))
        write_atomic(out, lambda f: f.write(text), "w")
    return cfg


def value_of(cfg, key):
    """The value of dotted ``key`` of ``cfg``."""
    value = config_to_dict(cfg)
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ConfigError(f"no key '{key}' in the config")
        value = value[part]
    return value


def resolve_experiment(exp_dir, specs, feats, source, target, folds=(), train_args="",
                       settings=(), shared_args="", decode_sets=(), mode="write", argv=None,
                       log=None):
    """Resolve every system of one experiment before any job starts.

    ``specs``: system specs (serda.systems); ``settings``: driver overrides
    (device, trials); ``folds``: fold names of a cross-validated experiment.
    ``mode``: "write" (stage 4: write each config.yaml), "check" (check
    only) or "list" (read the configs stage 4 wrote). Returns one
    (name, system dir, config) per system, or per system and fold.
    """
    import shlex

    from serda.systems import data_overrides, parse_spec, system_name

    log = log or (lambda text: print(text, file=sys.stderr))

    out = []
    for spec in specs:
        name, conf, own = parse_spec(spec)
        name = system_name(spec, train_args)
        for fold in (folds or [None]):
            system = Path(exp_dir) / name
            if fold is not None:
                system = layout.fold_dir(system, fold)
            config = layout.config_path(system)
            if mode == "list":
                if not config.is_file():
                    raise ConfigError(f"{config}: missing (stage 4 resolves it)")
                cfg = load_config(config)
                stale = stale_message(config, cfg)
                if stale and layout.any_trained(system):
                    raise ConfigError(f"{stale}: run stage 4 to train it again")
                out.append((name, system, cfg))
                continue
            data, absent = data_overrides(feats, source, target, fold)
            if mode == "write" and spec == specs[0] and fold in (None, *folds[:1]):
                for path in absent:
                    log(f"resolve: no {path}: its data key is left empty")
            overrides = [("data sets", data), ("driver settings", list(settings)),
                         ("--train-args", shlex.split(train_args)),
                         ("--shared-args", shlex.split(shared_args)),
                         (f"overrides of {spec.split(',')[0]}", own)]
            cfg = resolve(conf, config, overrides, decode_sets, write=(mode == "write"),
                          argv=argv, log=log)
            out.append((name, system, cfg))
    return out
