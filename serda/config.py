"""Training configuration: defaults in code, recipe YAML holds overrides only.

What every run shares lives here: the task, the input layout, the encoder
(``model.encoder``, whose ``type`` picks a network of serda/nets/), the
optimiser, training and data sections. What a method adds -- its heads and
their sizes (the rest of ``model``) and its loss weights, schedules and
step counts (``adapt``) -- is declared by the method's own file
(``serda/methods/<name>.py``: its ``Model`` and ``Adapt`` dataclasses), so
the ``method`` key decides which ``model`` and ``adapt`` keys exist. Every
value is checked when it is read; an unknown key or a bad value is an error
naming the file (or "command line") and the dotted key, so a typo never
silently falls back to a default. Command-line overrides use dotted keys:
``--train-args "optim.lr=1e-3 train.epochs=5"``; ``model.*.hidden=256``
sets the width of every part.

Example (Abdelwahab & Busso 2018, DANN, arousal)::

    method: dann
    task: {type: regression, attribute: arousal, label_map: scale_to_pm3}
    model:
      encoder: {type: mlp, layers: 1, hidden: 256, dropout_in: 0.2, dropout: 0.5, max_norm: 4.0}
      task_head: {layers: 2, hidden: 256}
      domain_head: {layers: 2, hidden: 256}
    adapt: {grl: {schedule: ganin, hold_epochs: 10, max: 1.0}}
    optim: {name: adam, lr: 5.0e-4, clip_norm: 10.0}
    train: {epochs: 100, batch_size: 256, trials: 20, seed: 1, target_draws: per_trial}
"""
import dataclasses
from dataclasses import dataclass

import yaml

from serda.settings import ConfigError, as_dict, merge, section, setting
from serda.textfile import read_utf8
from serda.yamlfile import DuplicateKeyError, load_yaml

__all__ = ["ConfigError", "Config", "load_config", "default_config", "config_to_dict",
           "config_from_dict", "parse_overrides", "MLPConfig", "ScheduleConfig"]


def _label_maps():
    from serda.data.labels import LABEL_MAPS
    return sorted(LABEL_MAPS)


def _method_names():
    from serda.methods import method_names
    return method_names()


def _encoder_settings(name):
    from serda.nets import get_encoder
    return get_encoder(name).Settings


def _default_encoder():
    return _encoder_settings("mlp")()


# ------------------------------------------------------------ building blocks
@dataclass
class MLPConfig:
    """An MLP block (heads; the ``mlp`` encoder adds ``type``)."""
    layers: int = setting(2, at_least=0)          # hidden layers
    hidden: int = setting(256, at_least=1)
    dropout_in: float = setting(0.0, at_least=0.0, below=1.0)   # dropout on the block's input
    dropout: float = setting(0.5, at_least=0.0, below=1.0)      # after each hidden layer
    batchnorm: bool = True
    activation: str = setting("relu", choices=("relu", "selu"))
    max_norm: float = setting(0.0, at_least=0.0)  # max L2 norm of each unit's weights; 0 = off


SCHEDULES = ("constant", "linear", "ganin", "switch_on")


@dataclass
class ScheduleConfig:
    """A coefficient that changes over training, every iteration
    (serda.train.schedules)."""
    schedule: str = setting("constant", choices=SCHEDULES)
    max: float = setting(1.0, at_least=0.0)
    hold_epochs: int = setting(0, at_least=0)     # linear, ganin: epochs at 0 before the ramp
    switch_epoch: int = setting(0, at_least=0)    # switch_on: first epoch at max


# ------------------------------------------------------------- shared sections
@dataclass
class TaskConfig:
    type: str = setting("regression", choices=("regression", "classification"))
    attribute: str = "arousal"        # reads utt2<attribute>
    label_map: str = setting("scale_to_pm3", choices=_label_maps)  # serda.data.labels
    label_args: dict = dataclasses.field(default_factory=dict)
    # classification: "balanced" weighs each class' cross-entropy by the inverse of its
    # frequency in the labelled training rows, N / (K n_c) (serda.methods.base.class_weights);
    # "auto" (default): balanced for classification (UA is what it reports) with a method
    # whose task loss is a class cross-entropy, none otherwise
    class_weights: str = setting("auto", choices=("auto", "none", "balanced"))


@dataclass
class InputConfig:
    """How features become training rows (serda.data.rows).

    ``utterance``: one utterance-level vector per utterance (openSMILE sets).
    ``fixed``: frame-level features padded (``pad``: zero, or each
    dimension's minimum over the utterance, as Cai et al.) or centre-cropped
    to ``frames`` frames, one (frames, dim) row per utterance.
    ``segments``: windows of ``frames`` frames every ``hop`` frames (0 = no
    overlap), several rows per utterance, each with the utterance's label; a
    shorter utterance gives one padded window. An utterance's decision
    averages its rows: class posteriors (``aggregate: posterior``) or outputs.
    """
    layout: str = setting("utterance", choices=("utterance", "fixed", "segments"))
    frames: int = setting(750, at_least=1)
    hop: int = setting(0, at_least=0)
    pad: str = setting("zero", choices=("zero", "min"))
    aggregate: str = setting("posterior", choices=("posterior", "output"))


@dataclass
class ModelConfig:
    """The encoder every method has; a method's ``Model`` adds its heads."""
    encoder: object = section(_default_encoder, types=_encoder_settings)


@dataclass
class OptimConfig:
    """The optimiser; with a method of several update steps, ``state``
    ``per_step`` gives each step its own (its own Adam moments), ``per_part``
    one per part (encoder, each head) that every step updating the part
    shares (Saito et al.'s MCD: one for the generator, one for the
    classifiers)."""
    name: str = setting("adam", choices=("adam", "adadelta", "sgd"))
    lr: float = setting(5.0e-4, above=0.0)
    clip_norm: float = setting(10.0, at_least=0.0)    # 0 = off
    weight_decay: float = setting(0.0, at_least=0.0)
    state: str = setting("per_step", choices=("per_step", "per_part"))
    # penalties l1 sum|w| + l2 sum w^2 on every weight matrix and kernel (not biases,
    # BatchNorm or vectors), as Keras' kernel regularisers: their gradient is added
    l1: float = setting(0.0, at_least=0.0)
    l2: float = setting(0.0, at_least=0.0)
    # learning rate of epoch e: max(lr * lr_decay^e, lr_min) (exponential decay per epoch)
    lr_decay: float = setting(1.0, above=0.0)
    lr_min: float = setting(0.0, at_least=0.0)


@dataclass
class TrainConfig:
    """``target_draws``: the unlabelled target rows of a trial, |S| per
    epoch: ``per_epoch`` a fresh random draw each epoch, ``per_trial`` one
    random set of |S| drawn once by the trial's seed and reshuffled each
    epoch. ``frozen_bn``: a part that a step does not update keeps
    (``keep``) or updates (``update``) its BatchNorm running statistics
    while the step runs it."""
    epochs: int = setting(100, at_least=1)
    batch_size: int = setting(256, at_least=2)        # BatchNorm needs two rows
    trials: int = setting(20, at_least=1)
    seed: int = 1
    # target: the within-corpus upper bound; target_shots: the few labelled target rows alone
    train_on: str = setting("source", choices=("source", "target", "target_shots"))
    init_from: str = ""               # a trained system: trial k starts from its trial k
    select: str = setting("source_dev", choices=("last", "source_dev", "target_dev"))
    target_shots: int = setting(0, at_least=0)        # labelled target rows: k per class
    target_draws: str = setting("per_epoch", choices=("per_epoch", "per_trial"))
    frozen_bn: str = setting("update", choices=("update", "keep"))
    device: str = setting("cpu", choices=("cpu", "cuda"))
    vectorize: bool = False           # all trials as one batched model in one job
    # seconds of training between resume checkpoints (last.pt; always after
    # the last epoch); 0 = after every epoch
    checkpoint_interval: float = setting(60.0, at_least=0.0)
    # where dropout masks come from (serda.nets.blocks.Dropout): bits16 = four
    # masks per 64-bit draw; uniform = one float draw per element (serda before
    # the speed work of issue 18: reproduces earlier runs number for number)
    dropout_masks: str = setting("bits16", choices=("bits16", "uniform"))


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
    norm: str = setting("abdelwahab", choices=("abdelwahab", "minmax", "zscore", "none"))


@dataclass
class NoAdapt:
    """A method without adaptation settings."""


@dataclass
class Config:
    method: str = setting("source_only", choices=_method_names)
    task: TaskConfig = section(TaskConfig)
    input: InputConfig = section(InputConfig)
    model: ModelConfig = section(ModelConfig)
    adapt: object = section(NoAdapt)
    optim: OptimConfig = section(OptimConfig)
    train: TrainConfig = section(TrainConfig)
    data: DataConfig = section(DataConfig)


# ---------------------------------------------------------------------- loading
def default_config(method="source_only"):
    """The defaults of ``method``: the shared sections plus its own."""
    from serda.methods import get_method
    if method not in _method_names():
        raise ConfigError(f"unknown method '{method}' (known: {', '.join(_method_names())})")
    cls = get_method(method)
    return Config(method=method, model=cls.Model(), adapt=cls.Adapt())


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
            if not isinstance(node, dict):
                raise ConfigError(f"override '{item}': '{part}' is set as a value elsewhere")
        try:
            node[parts[-1]] = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ConfigError(f"override '{item}': not a valid value ({err})") from None
    return tree


def read_yaml(path):
    try:
        data = load_yaml(read_utf8(path))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from None
    except DuplicateKeyError as err:
        raise ConfigError(f"{path}:{err.line}: {err}") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config is a mapping of sections, not {type(data).__name__}")
    return data


def apply_layers(layers):
    """Defaults of the method the last layer naming one chooses, then each
    (where, nested dict) layer in order."""
    method = "source_only"
    for where, data in layers:
        if "method" in data:
            if not isinstance(data["method"], str) or data["method"] not in _method_names():
                raise ConfigError(f"{where}: unknown method '{data['method']}' "
                                  f"(known: {', '.join(_method_names())})")
            method = data["method"]
    cfg = default_config(method)
    own = f"method '{method}' (serda/methods/{method}.py) has"
    for where, data in layers:
        rest = {k: v for k, v in data.items() if k not in ("model", "adapt")}
        cfg = merge(cfg, rest, where)
        for key in ("model", "adapt"):
            if key in data:
                cfg = dataclasses.replace(cfg, **{key: merge(getattr(cfg, key), data[key], where,
                                                             key + ".", known=own)})
    return cfg


def load_config(path=None, overrides=()):
    """Defaults, then the YAML file ``path``, then dotted ``overrides``: a
    list of "key=value" items, or of (where, [items]) pairs that errors name
    by their ``where`` (e.g. "--shared-args")."""
    layers = []
    if path:
        layers.append((str(path), read_yaml(path)))
    groups = overrides
    if overrides and isinstance(overrides[0], str):
        groups = [("command line", list(overrides))]
    for where, items in groups:
        if items:
            layers.append((where, parse_overrides(items)))
    return apply_layers(layers)


def config_to_dict(cfg):
    return as_dict(cfg)


def config_from_dict(data, where="config"):
    return apply_layers([(where, data)])
