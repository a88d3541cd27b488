"""Checks of a resolved config against the experiment's data, before any job.

Values are checked where they are read (serda.config); what needs the
method and the data sets together is checked here, when stage 4 resolves
the configs: a selection rule without its dev set, a method without the
target rows it trains on, labels or domain attributes the data dirs do not
have, features the input layout or the encoder cannot take. Every message
names the recipe config and the dotted key.
"""
from pathlib import Path

from serda.data.datadir import read_attributes
from serda.data.features import is_frame_level
from serda.methods import get_method
from serda.nets import get_encoder
from serda.settings import ConfigError

DATA_KEYS = ("source_train", "source_dev", "source_test", "target_train", "target_dev",
             "target_test", "target_unlab")


def _has_attribute(path, attribute):
    table = "utt2spk" if attribute == "spk" else f"utt2{attribute}"
    if (Path(path) / table).is_file():
        return True
    fallback = {"corpus": "corpus", "lang": "language"}.get(attribute)
    return bool(fallback and read_attributes(path).get(fallback))


def check_config(cfg, where, decode_sets=()):
    """Raise ConfigError (naming ``where`` and the key) when ``cfg`` cannot
    train or decode with its data sets."""
    d, t = cfg.data, cfg.train
    sets = {k: getattr(d, k) for k in DATA_KEYS if getattr(d, k)}
    if cfg.task.class_weights == "balanced" and (cfg.task.type != "classification"
                                             or not get_method(cfg.method).class_weighted):
        raise ConfigError(f"{where}: 'task.class_weights' is {cfg.task.class_weights}, but "
                          + ("the task is regression" if cfg.task.type != "classification"
                             else f"method {cfg.method} does not weight its loss by class"))

    def need(key, why, name):
        if key not in sets:
            raise ConfigError(f"{where}: '{name}' {why}, but the experiment has no "
                              f"data.{key} set")

    for key, path in sets.items():
        if not Path(path).is_dir():
            raise ConfigError(f"{where}: data.{key}: {path} does not exist")
    reads = "target_train" if t.train_on == "target_shots" else f"{t.train_on}_train"
    need(reads, f"is {t.train_on}: training reads data.{reads}", "train.train_on")
    if t.train_on == "target_shots" and t.target_shots == 0:
        raise ConfigError(f"{where}: 'train.train_on' is target_shots: set 'train.target_shots' "
                          "(k labelled target utterances per class)")

    if t.select != "last":
        dev = "target_dev" if t.select == "target_dev" or t.train_on == "target" else "source_dev"
        need(dev, f"is {t.select}: model selection needs a labelled dev set", "train.select")
    method = get_method(cfg.method)
    if cfg.task.type not in method.tasks:
        raise ConfigError(f"{where}: 'task.type' is {cfg.task.type}, but method {cfg.method} "
                          f"trains {' or '.join(method.tasks)} only")
    if method.reads_target(cfg):
        need("target_unlab", f"is {cfg.method}, which trains on unlabelled target rows",
             "method")
    if method.uses_target_labels and t.target_shots == 0:
        raise ConfigError(f"{where}: method {cfg.method} trains on labelled target rows: "
                          "set 'train.target_shots' (k per class)")
    if t.target_shots > 0:
        need("target_train", "draws the few labelled target rows from data.target_train",
             "train.target_shots")
    for key in decode_sets:
        if key not in DATA_KEYS:
            raise ConfigError(f"{where}: decode set '{key}' is not one of {', '.join(DATA_KEYS)}")
    label = f"utt2{cfg.task.attribute}"
    for key, path in sets.items():
        if key != "target_unlab" and not (Path(path) / label).is_file():
            raise ConfigError(f"{where}: 'task.attribute' is {cfg.task.attribute}, but "
                              f"{Path(path) / label} does not exist (data.{key})")
    for attribute in method.domain_attributes(cfg):
        for key, path in sets.items():
            if not _has_attribute(path, attribute):
                raise ConfigError(f"{where}: method {cfg.method} has a domain head on "
                                  f"'{attribute}', but data.{key} ({path}) has no utt2{attribute}")
    _check_input(cfg, where, sets)


def _check_input(cfg, where, sets):
    encoder = get_encoder(cfg.model.encoder.type)
    utterance = cfg.input.layout == "utterance"
    if (encoder.input_rank == 1) != utterance:
        takes = "utterance-level vectors" if encoder.input_rank == 1 else "frame sequences"
        raise ConfigError(f"{where}: 'model.encoder.type' {cfg.model.encoder.type} takes "
                          f"{takes}, but 'input.layout' is {cfg.input.layout}")
    for key, path in sets.items():
        if (Path(path) / "feats.scp").is_file() and is_frame_level(path) == utterance:
            kind = "frame-level" if utterance else "utterance-level"
            raise ConfigError(f"{where}: 'input.layout' is {cfg.input.layout}, but data.{key} "
                              f"({path}) has {kind} features")
