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

from serda.settings import ConfigError, as_dict, list_setting, merge, section, setting
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
    layers: int = setting(2, at_least=0,
                          help="hidden layers (0: the block is one linear layer to its outputs)")
    hidden: int = setting(256, at_least=1, help="units per hidden layer")
    dropout_in: float = setting(0.0, at_least=0.0, below=1.0,
                                help="dropout rate on the block's input")
    dropout: float = setting(0.5, at_least=0.0, below=1.0,
                             help="dropout rate after each hidden layer")
    batchnorm: bool = setting(True, help="BatchNorm after each hidden layer's linear map")
    activation: str = setting("relu", choices=("relu", "selu"),
                              help="activation of the hidden layers")
    max_norm: float = setting(0.0, at_least=0.0,
                              help="max L2 norm of each unit's incoming weights after every "
                                   "update; 0 = off")


SCHEDULES = ("constant", "linear", "ganin", "switch_on")


@dataclass
class ScheduleConfig:
    """A coefficient that changes over training, every iteration
    (serda.train.schedules)."""
    schedule: str = setting("constant", choices=SCHEDULES,
                            help="how the coefficient moves over training: constant max; linear "
                                 "or ganin ramp from 0 to max after hold_epochs (ganin: "
                                 "2/(1+exp(-10 p)) - 1); switch_on: 0, then max from switch_epoch")
    max: float = setting(1.0, at_least=0.0, help="the coefficient's final (or constant) value")
    hold_epochs: int = setting(0, at_least=0,
                               help="linear, ganin: epochs held at 0, then the ramp starts")
    switch_epoch: int = setting(0, at_least=0, help="switch_on: the first epoch at max")


# ------------------------------------------------------------- shared sections
@dataclass
class TaskConfig:
    type: str = setting("regression", choices=("regression", "classification"),
                        help="regression (CCC, PR, RMSE) or classification (UA, accuracy)")
    attribute: str = setting("arousal",
                             help="the label table read: utt2<attribute> (arousal, valence, "
                                  "dominance, emo, ...)")
    label_map: str = setting("scale_to_pm3", choices=_label_maps,
                             help="how labels become targets (serda.data.labels: scale_to_pm3, "
                                  "category_to_binary, category_to_class, binarize, ...)")
    label_args: dict = setting({},
                               help="arguments of the label map, e.g. {dimension: arousal} or "
                                    "{classes: [...]}")
    class_weights: str = setting("auto", choices=("auto", "none", "balanced"),
                                 help="classification: balanced weighs each class' cross-entropy "
                                      "by N / (K n_c) of the labelled training rows; auto = "
                                      "balanced for classification with a cross-entropy task "
                                      "loss, none otherwise")


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
    layout: str = setting("utterance", choices=("utterance", "fixed", "segments"),
                          help="utterance: one vector per utterance; fixed: frames cropped or "
                               "padded to input.frames; segments: windows of input.frames every "
                               "input.hop frames")
    frames: int = setting(750, at_least=1, help="fixed, segments: frames per row")
    hop: int = setting(0, at_least=0,
                       help="segments: frames between window starts; 0 = no overlap")
    pad: str = setting("zero", choices=("zero", "min"),
                       help="fixed: pad with zeros, or with each dimension's minimum over the "
                            "utterance")
    aggregate: str = setting("posterior", choices=("posterior", "output"),
                             help="segments: an utterance's decision averages its rows' class "
                                  "posteriors or outputs")


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
    name: str = setting("adam", choices=("adam", "adadelta", "sgd"), help="optimiser")
    lr: float = setting(5.0e-4, above=0.0, help="learning rate")
    clip_norm: float = setting(10.0, at_least=0.0,
                               help="clip the gradients' total L2 norm to this per update; 0 = "
                                    "off")
    weight_decay: float = setting(0.0, at_least=0.0, help="the optimiser's weight decay")
    state: str = setting("per_step", choices=("per_step", "per_part"),
                         help="per_step: each update step its own optimiser state; per_part: one "
                              "per part (encoder, each head), shared by the steps updating it")
    l1: float = setting(0.0, at_least=0.0,
                        help="penalty l1 * sum |w| on every weight matrix and kernel (not biases, "
                             "BatchNorm, vectors)")
    l2: float = setting(0.0, at_least=0.0,
                        help="penalty l2 * sum w^2 on every weight matrix and kernel (not biases, "
                             "BatchNorm, vectors)")
    lr_decay: float = setting(1.0, above=0.0,
                              help="learning rate of epoch e: max(lr * lr_decay^e, lr_min)")
    lr_min: float = setting(0.0, at_least=0.0, help="the floor of the decayed learning rate")


@dataclass
class TrainConfig:
    """``target_draws``: the unlabelled target rows of a trial, |S| per
    epoch: ``per_epoch`` a fresh random draw each epoch, ``per_trial`` one
    random set of |S| drawn once by the trial's seed and reshuffled each
    epoch. ``frozen_bn``: a part that a step does not update keeps
    (``keep``) or updates (``update``) its BatchNorm running statistics
    while the step runs it."""
    epochs: int = setting(100, at_least=1, help="passes over the labelled training rows")
    batch_size: int = setting(256, at_least=2,
                              help="labelled rows per batch (>= 2: BatchNorm needs two)")
    trials: int = setting(20, at_least=1,
                          help="independent trainings (seeds seed .. seed + trials - 1); tables "
                               "give mean and std over them")
    seed: int = setting(1, help="seed of trial 1; trial k uses seed + k - 1")
    train_on: str = setting("source", choices=("source", "target", "target_shots"),
                            help="source: the source corpus; target: the target's own labelled "
                                 "train set (the within-corpus upper bound); target_shots: the "
                                 "few labelled target rows alone")
    init_from: str = setting("",
                             help="a trained system dir: trial k starts from its trial k "
                                  "(fine-tuning); empty = random init")
    select: str = setting("source_dev", choices=("last", "source_dev", "target_dev", "iwv", "dev",
                                                  "snd", "entropy", "oracle"),
                          help="the epoch kept: last; the best on source_dev; the best by an "
                               "unsupervised score of train.scorers (iwv, dev, snd, entropy: no "
                               "target label); target_dev or oracle (the target test set) peek at "
                               "target labels and are marked so in every table")
    scorers: list = list_setting([], choices=("iwv", "dev", "snd", "entropy"),
                                 help="unsupervised selection scores logged every epoch (iwv: "
                                      "importance-weighted source dev; dev: deep embedded "
                                      "validation; snd: soft neighbourhood density; entropy: "
                                      "target entropy); they read data.target_unlab")
    track_test: bool = setting(False,
                               help="log the target test set's metrics every epoch (the oracle "
                                    "selection and the selection gaps of the leaderboard; used "
                                    "to choose only with select: oracle)")
    target_shots: int = setting(0, at_least=0,
                                help="labelled target rows: k per class (k in all for "
                                     "regression), drawn from data.target_train by the trial's "
                                     "seed")
    target_draws: str = setting("per_epoch", choices=("per_epoch", "per_trial"),
                                help="unlabelled target rows per epoch: per_epoch a fresh draw, "
                                     "per_trial one draw per trial reshuffled each epoch")
    frozen_bn: str = setting("update", choices=("update", "keep"),
                             help="a part a step does not update keeps (keep) or updates (update) "
                                  "its BatchNorm running statistics")
    device: str = setting("cpu", choices=("cpu", "cuda"), help="where training runs")
    vectorize: bool = setting(False,
                              help="train all trials (and equal-sized folds) of a system as one "
                                   "batched model in one job")
    checkpoint_interval: float = setting(60.0, at_least=0.0,
                                         help="seconds of training between resume checkpoints "
                                              "(last.pt; always after the last epoch); 0 = every "
                                              "epoch")
    dropout_masks: str = setting("bits16", choices=("bits16", "uniform"),
                                 help="bits16: four 16-bit masks per 64-bit random draw (fast); "
                                      "uniform: one float draw per element")


@dataclass
class DataConfig:
    """Data dirs (with feats.scp and norm_stats.npz) of one experiment; the
    recipe driver fills them in when it resolves the config."""
    source_train: str = setting("",
                                help="feature dir of the labelled source training set (filled in "
                                     "by the recipe driver)")
    source_dev: str = setting("",
                              help="feature dir of the source's held-out speakers (model "
                                   "selection)")
    source_test: str = setting("", help="feature dir of the source test set (decoded and scored)")
    target_train: str = setting("",
                                help="feature dir of the labelled target training set (train_on: "
                                     "target, target_shots)")
    target_dev: str = setting("",
                              help="feature dir of the target dev set (monitored; select: "
                                   "target_dev)")
    target_test: str = setting("",
                               help="feature dir of the target test set: what the tables report")
    target_unlab: str = setting("",
                                help="feature dir of the unlabelled target rows adaptation reads")
    norm: str = setting("abdelwahab", choices=("abdelwahab", "minmax", "zscore", "none"),
                        help="normalisation with the corpus' stage-3 statistics: abdelwahab (5-95 "
                             "% trimmed z-score, |z| > 10 set to 0), minmax, zscore, none")


@dataclass
class NoAdapt:
    """A method without adaptation settings."""


@dataclass
class Config:
    method: str = setting("source_only", choices=_method_names,
                          help="the training method: one file of serda/methods/; decides the "
                               "model heads and adapt keys")
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
