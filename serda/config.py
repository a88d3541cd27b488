"""Training configuration: defaults in code, recipe YAML holds overrides only.

A config file is a nested mapping whose keys must exist in the defaults
below; an unknown key is an error naming the file and the dotted key, so a
typo never silently falls back to a default. Command-line overrides use
dotted keys: ``--train-args "optim.lr=1e-3 train.epochs=5"``.

Example (Abdelwahab & Busso 2018, DANN, arousal)::

    method: dann
    task: {type: regression, attribute: arousal, label_map: scale_to_pm3}
    model:
      encoder: {layers: 1, hidden: 256, dropout_in: 0.2, dropout: 0.5, max_norm: 4.0}
      task_head: {layers: 2, hidden: 256}
      domain_head: {layers: 2, hidden: 256}
    adapt: {grl: {schedule: delayed_ramp, hold_epochs: 10, max: 1.0}}
    optim: {name: adam, lr: 5.0e-4, clip_norm: 10.0}
    train: {epochs: 100, batch_size: 256, trials: 20, seed: 1}
"""
import dataclasses
from dataclasses import dataclass, field

import yaml

from serda.errors import SerdaError


class ConfigError(SerdaError):
    """A configuration file or override is invalid."""


@dataclass
class TaskConfig:
    type: str = "regression"          # regression | classification
    attribute: str = "arousal"        # reads utt2<attribute>
    label_map: str = "scale_to_pm3"   # a function of serda.data.labels
    label_args: dict = field(default_factory=dict)


@dataclass
class MLPConfig:
    layers: int = 2                   # hidden layers
    hidden: int = 256
    dropout_in: float = 0.0           # dropout on the block's input
    dropout: float = 0.5              # dropout after each hidden layer
    batchnorm: bool = True
    activation: str = "relu"          # relu | selu
    max_norm: float = 0.0             # max L2 norm of each unit's weights; 0 = off


@dataclass
class ModelConfig:
    encoder: MLPConfig = field(default_factory=lambda: MLPConfig(layers=1, dropout_in=0.2,
                                                                 max_norm=4.0))
    task_head: MLPConfig = field(default_factory=MLPConfig)
    task_head2: MLPConfig = field(default_factory=lambda: MLPConfig(layers=3))
    domain_head: MLPConfig = field(default_factory=MLPConfig)


@dataclass
class ScheduleConfig:
    schedule: str = "constant"        # constant | ganin | delayed_ramp | switch_on
    max: float = 1.0
    hold_epochs: int = 0              # delayed_ramp: epochs at 0 before the ramp
    switch_epoch: int = 0             # switch_on: first epoch at max


@dataclass
class AdaptConfig:
    grl: ScheduleConfig = field(default_factory=ScheduleConfig)
    domain_weight: float = 1.0        # weight of the domain loss (DANN)
    coral_weight: float = 1.0         # weight of the CORAL loss
    encoder_steps: int = 3            # MRD: encoder updates per iteration (m)


@dataclass
class OptimConfig:
    name: str = "adam"                # adam | adadelta | sgd
    lr: float = 5.0e-4
    clip_norm: float = 10.0           # 0 = off
    weight_decay: float = 0.0


@dataclass
class TrainConfig:
    epochs: int = 100
    batch_size: int = 256
    trials: int = 20
    seed: int = 1
    train_on: str = "source"          # source | target (the within-corpus upper bound)
    select: str = "source_dev"        # last | source_dev | target_dev
    device: str = "cpu"
    vectorize: bool = False           # all trials as one batched model in one job


@dataclass
class DataConfig:
    """Data dirs (with feats.scp and norm_stats.npz) of one experiment; the
    recipe driver fills them in when it resolves the config."""
    source_train: str = ""
    source_dev: str = ""
    source_test: str = ""
    target_train: str = ""
    target_dev: str = ""
    target_test: str = ""
    target_unlab: str = ""
    norm: str = "abdelwahab"          # abdelwahab | minmax | zscore | none


@dataclass
class Config:
    method: str = "source_only"
    task: TaskConfig = field(default_factory=TaskConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    adapt: AdaptConfig = field(default_factory=AdaptConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    data: DataConfig = field(default_factory=DataConfig)


CHOICES = {
    "task.type": ("regression", "classification"),
    "train.train_on": ("source", "target"),
    "train.select": ("last", "source_dev", "target_dev"),
    "optim.name": ("adam", "adadelta", "sgd"),
    "data.norm": ("abdelwahab", "minmax", "zscore", "none"),
}


def _merge(obj, overrides, where, prefix=""):
    """A copy of dataclass ``obj`` with ``overrides`` (nested dict) applied."""
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: '{prefix.rstrip('.') or 'config'}' must be a mapping")
    fields = {f.name: f for f in dataclasses.fields(obj)}
    changes = {}
    for key, value in overrides.items():
        name = f"{prefix}{key}"
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{name}' (known: {', '.join(fields)})")
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            changes[key] = _merge(current, value, where, name + ".")
        elif isinstance(current, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{name}' must be a mapping")
            changes[key] = dict(value)
        else:
            changes[key] = _coerce(current, value, where, name)
    return dataclasses.replace(obj, **changes)


def _coerce(current, value, where, name):
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{name}' takes true or false, not {value!r}")
        return value
    if isinstance(current, (int, float)) and isinstance(value, str):
        try:  # YAML 1.1 reads 5e-4 (no dot) as a string
            value = float(value)
        except ValueError:
            pass
    if isinstance(current, (int, float)) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        if isinstance(current, float):
            return float(value)
        if float(value).is_integer():
            return int(value)
        raise ConfigError(f"{where}: '{name}' takes a whole number, not {value!r}")
    if isinstance(current, (int, float)):
        raise ConfigError(f"{where}: '{name}' takes a number, not {value!r}")
    if isinstance(current, str) and isinstance(value, str):
        allowed = CHOICES.get(name)
        if allowed and value not in allowed:
            raise ConfigError(f"{where}: '{name}' must be one of {allowed}, not '{value}'")
        return value
    raise ConfigError(f"{where}: '{name}' has the wrong type ({type(value).__name__})")


def parse_overrides(items):
    """["optim.lr=1e-3", ...] -> nested dict (values parsed as YAML)."""
    tree = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"override '{item}' is not key=value")
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = yaml.safe_load(text)
    return tree


def load_config(path=None, overrides=()):
    """Defaults, then the YAML file ``path``, then dotted ``overrides``."""
    cfg = Config()
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f) or {}
        except OSError as err:
            raise ConfigError(f"{path}: cannot read ({err.strerror})") from None
        except yaml.YAMLError as err:
            raise ConfigError(f"{path}: not valid YAML: {err}") from None
        cfg = _merge(cfg, data, str(path))
    if overrides:
        cfg = _merge(cfg, parse_overrides(overrides), "command line")
    return cfg


def config_to_dict(cfg):
    return dataclasses.asdict(cfg)


def config_from_dict(data, where="config"):
    return _merge(Config(), data, where)
