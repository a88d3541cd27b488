"""In-memory data of one training run.

A set is held as tensors: ``x`` (R, ...) all rows in one contiguous
float32 tensor (batches are index slices), ``group`` (R,) the utterance of
each row, ``y`` (R,) each row's target (its utterance's label) and
``y_utt`` (N,) one per utterance, and ``domains`` {attribute: (R,) int64}
the codes of data-dir attributes a method's domain heads predict.
Utterance-level features have one row per utterance (group = arange);
frame-level inputs (``input.layout`` fixed or segments, serda.data.rows)
use the same contract, and predictions are averaged per group to give one
decision per utterance.
"""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from serda.data.datadir import DataDir
from serda.data.labels import apply_label_map
from serda.data.rows import load_rows
from serda.errors import InputError, SerdaError
from serda.selection import UNSUPERVISED


@dataclass
class SetTensors:
    name: str
    utts: list
    x: torch.Tensor
    y: torch.Tensor
    group: torch.Tensor
    y_utt: torch.Tensor = None
    domains: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.y_utt is None and self.y is not None and self.x.shape[0] == len(self.utts):
            self.y_utt = self.y

    @property
    def n_utts(self):
        return len(self.utts)

    @property
    def input_shape(self):
        return tuple(self.x.shape[1:])


def corpus_label_args(data, data_dir, task):
    """``task.label_args`` for ``data_dir``: with a ``per_corpus`` mapping
    {corpus: {args}} the entry of the set's corpus (attributes.yaml
    ``corpus``) over the shared ones, so one config serves corpora with
    different scales (e.g. binarize at 2.5 on IEMOCAP's 1-5, at 0 on
    RECOLA's [-1, 1])."""
    args = dict(task.label_args)
    per_corpus = args.pop("per_corpus", None)
    if per_corpus is None:
        return with_binary_table(args, data, task)
    corpus = str(data.attributes.get("corpus", ""))
    if corpus not in per_corpus:
        raise InputError(Path(data_dir) / "attributes.yaml",
                         f"corpus '{corpus}' has no entry in task.label_args.per_corpus "
                         f"(it has: {', '.join(map(str, per_corpus)) or 'none'})")
    return with_binary_table({**args, **(per_corpus[corpus] or {})}, data, task)


def with_binary_table(args, data, task):
    """category_to_binary without explicit lists or corpus: the table of the
    normalised categories for ``utt2emo`` (any corpus), the set's own corpus
    table (attributes.yaml ``corpus``) for its native codes, so one config
    serves any pair of corpora."""
    if task.label_map != "category_to_binary" or "corpus" in args or \
            ("high" in args and "low" in args):
        return args
    corpus = "normalised" if task.attribute == "emo" else str(data.attributes.get("corpus", ""))
    return {**args, "corpus": corpus}


def read_labels(data_dir, utts, task):
    """Targets of ``utts`` (numpy) after ``task.label_map``."""
    data = DataDir.load(data_dir)
    name = f"utt2{task.attribute}"
    table = data.get(name)
    missing = [u for u in utts if u not in table]
    if missing:
        raise InputError(Path(data_dir) / name, f"no label for '{missing[0]}'"
                         + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
    raw = [table[u] for u in utts]
    scale = ((data.attributes.get("attributes") or {}).get(task.attribute) or {}).get("scale")
    if not task.attribute.startswith("emo"):  # utt2emo, utt2emo_native...: codes
        try:
            raw = np.array([float(v) for v in raw])
        except ValueError as err:
            raise InputError(Path(data_dir) / name, f"non-numeric label: {err}") from None
    try:
        y = apply_label_map(task.label_map, raw, scale, corpus_label_args(data, data_dir, task))
    except SerdaError as err:
        raise InputError(Path(data_dir) / name, str(err)) from None
    if task.type == "regression":
        return y.astype(np.float32)
    return y.astype(np.int64)


def attribute_values(data_dir, utts, attribute):
    """The value of data-dir ``attribute`` for each of ``utts``: ``spk``
    (utt2spk), ``corpus`` (utt2corpus, else attributes.yaml ``corpus``),
    ``lang`` (utt2lang, else attributes.yaml ``language``), or any
    ``utt2<attribute>`` table (``gender``: utt2gender)."""
    data = DataDir.load(data_dir)
    table_name = {"spk": "utt2spk"}.get(attribute, f"utt2{attribute}")
    if data.has(table_name):
        table = data.get(table_name)
        missing = [u for u in utts if u not in table]
        if missing:
            raise InputError(Path(data_dir) / table_name, f"no entry for '{missing[0]}'")
        return [table[u] for u in utts]
    fallback = {"corpus": "corpus", "lang": "language"}.get(attribute)
    if fallback and data.attributes.get(fallback):
        return [str(data.attributes[fallback])] * len(utts)
    raise InputError(Path(data_dir) / table_name,
                     f"missing: the domain attribute '{attribute}' needs it")


def load_set(data_dir, cfg, labelled=True, device="cpu", attributes=()):
    """A :class:`SetTensors` of ``data_dir`` (rows as ``cfg.input`` says,
    normalised with ``cfg.data.norm``); labels when ``labelled``; the raw
    values of ``attributes`` in ``domains`` (codes come from :func:`encode_domains`)."""
    rows = load_rows(data_dir, cfg.data.norm, cfg.input)
    group = torch.from_numpy(np.asarray(rows.group, dtype=np.int64)).to(device)
    y = y_utt = None
    if labelled:
        y_utt = torch.from_numpy(read_labels(data_dir, rows.utts, cfg.task)).to(device)
        y = y_utt[group]
    domains = {a: attribute_values(data_dir, rows.utts, a) for a in attributes}
    return SetTensors(Path(data_dir).name, rows.utts, torch.from_numpy(rows.x).to(device), y,
                      group, y_utt, domains)


def encode_domains(sets, attributes, vocab=None):
    """Replace the raw attribute values of ``sets`` by per-row int64 codes
    into one vocabulary per attribute (sorted values over all ``sets``, or
    ``vocab`` {attribute: [values]}); returns the vocabulary."""
    vocab = dict(vocab or {})
    for a in attributes:
        if a not in vocab:
            vocab[a] = sorted({v for s in sets if s is not None for v in s.domains[a]})
    for s in sets:
        if s is None:
            continue
        for a in attributes:
            index = {v: i for i, v in enumerate(vocab[a])}
            unknown = sorted(set(s.domains[a]) - set(index))
            if unknown:
                raise SerdaError(f"{s.name}: {a} value(s) {unknown[:3]} were not seen in training")
            codes = torch.tensor([index[v] for v in s.domains[a]], dtype=torch.long,
                                 device=s.group.device)
            s.domains[a] = codes[s.group]
    return vocab


def derived_seed(seed, purpose):
    """A seed for one purpose of a trial (1: its target shots, 2: its fixed
    target draws), independent of the streams ``seed`` itself starts."""
    return int(np.random.SeedSequence([int(seed), int(purpose)]).generate_state(1)[0])


def draw_shots(y_utt, k, regression, seed):
    """Indices (sorted) of the few labelled target utterances of a trial:
    ``k`` per class (classification) or ``k`` in all (regression), drawn
    uniformly without replacement by a generator seeded from ``seed`` (the
    trial's seed: the same draw every time, another draw per trial)."""
    g = torch.Generator().manual_seed(derived_seed(seed, 1))
    y = np.asarray(y_utt)
    if regression:
        if len(y) < k:
            raise SerdaError(f"train.target_shots={k}: the target train set has {len(y)} "
                             "utterances")
        return sorted(torch.randperm(len(y), generator=g)[:k].tolist())
    chosen = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if len(members) < k:
            raise SerdaError(f"train.target_shots={k} per class: the target train set has "
                             f"{len(members)} utterance(s) of class {c}")
        chosen += members[torch.randperm(len(members), generator=g)[:k].numpy()].tolist()
    return sorted(chosen)


@dataclass
class TrainingData:
    """Everything one training job reads.

    labelled: the rows trained on (source train, or target train for the
    upper bound; with ``labelled_is_shots`` the trial's shots of
    ``shot_pool``, train.train_on target_shots); target: unlabelled target
    rows (methods with ``uses_target``); shot_pool: the labelled target
    train set the few shots of each trial are drawn from
    (``train.target_shots``); dev:
    {"source_dev" | "target_dev" | "target_test": labelled set} (target_test
    with ``train.track_test``: logged every epoch, the oracle); unlab: the
    unlabelled target pool the selection scores and target statistics read
    (``train.scorers``, an unsupervised ``train.select``, methods with
    ``target_statistics``); vocab: {attribute: values} of the domain
    codes; n_classes: 1 for regression.
    """
    labelled: SetTensors
    target: SetTensors = None
    shot_pool: SetTensors = None
    dev: dict = field(default_factory=dict)
    labelled_is_shots: bool = False   # train.train_on target_shots: the shots alone
    vocab: dict = field(default_factory=dict)
    n_classes: int = 1
    unlab: SetTensors = None

    @property
    def input_shape(self):
        return self.labelled.input_shape

    def shot_rows(self, seed, regression, k):
        """Row indices into ``shot_pool`` of the trial's few labelled target
        utterances (:func:`draw_shots` with the trial's ``seed``)."""
        chosen = torch.tensor(draw_shots(self.shot_pool.y_utt.cpu(), k, regression, seed))
        return torch.nonzero(torch.isin(self.shot_pool.group.cpu(), chosen)).flatten()


def load_training_data(cfgs, method_cls, device="cpu"):
    """A :class:`TrainingData` per config of ``cfgs`` (one config, or the
    folds of a cross-validated system, which differ only in their data
    sets) for a method of class ``method_cls``. A data dir several configs
    read is loaded once; domain vocabularies and the number of classes are
    those of all the sets together."""
    single = not isinstance(cfgs, (list, tuple))
    cfgs = [cfgs] if single else list(cfgs)
    attributes = tuple(method_cls.domain_attributes(cfgs[0]))
    cache = {}

    def load(path, labelled):
        key = (str(path), labelled)
        if key not in cache:
            cache[key] = load_set(path, cfgs[0], labelled, device, attributes)
        return cache[key]

    out = [_training_data(cfg, method_cls, load) for cfg in cfgs]
    sets = list({id(s): s for s in cache.values()}.values())
    vocab = encode_domains(sets, attributes)
    n_classes = 1
    if cfgs[0].task.type == "classification":
        n_classes = 1 + max(int(s.y_utt.max()) for s in sets if s.y_utt is not None)
    for data in out:
        data.vocab, data.n_classes = vocab, n_classes
    return out[0] if single else out


def _training_data(cfg, method_cls, load):
    d, train_on = cfg.data, cfg.train.train_on
    dev = {}
    for name in ("source_dev", "target_dev"):
        if getattr(d, name):
            dev[name] = load(getattr(d, name), True)
    if train_on == "target":  # its own dev set is the "source" dev
        dev = {"source_dev": dev["target_dev"]} if "target_dev" in dev else {}
    t = cfg.train
    if t.track_test or t.select == "oracle":
        if not d.target_test:
            raise SerdaError("train.track_test / select: oracle needs a labelled target test set "
                             "(data.target_test)")
        dev["target_test"] = load(d.target_test, True)
    scoring = bool(t.scorers) or t.select in UNSUPERVISED
    reads_target = method_cls.reads_target(cfg)
    target = unlab = None
    if reads_target or scoring or method_cls.target_statistics:
        if not d.target_unlab:
            who = "train.scorers" if scoring and not reads_target else f"method '{cfg.method}'"
            raise SerdaError(f"{who} needs unlabelled target data (data.target_unlab)")
        unlab = load(d.target_unlab, False)
        target = unlab if reads_target else None
    if scoring and "source_dev" not in dev:
        raise SerdaError("train.scorers need a labelled source dev set (data.source_dev)")
    shot_pool = None
    if cfg.train.target_shots > 0:
        if not d.target_train:
            raise SerdaError("train.target_shots needs a labelled target train set "
                             "(data.target_train)")
        shot_pool = load(d.target_train, True)
    if train_on == "target_shots":  # the few labelled target rows alone
        if shot_pool is None:
            raise SerdaError("train.train_on=target_shots needs train.target_shots > 0")
        return TrainingData(shot_pool, target, shot_pool, dev, labelled_is_shots=True,
                            unlab=unlab)
    labelled_dir = d.source_train if train_on == "source" else d.target_train
    if not labelled_dir:
        raise SerdaError(f"no data.{train_on}_train set in the config")
    return TrainingData(load(labelled_dir, True), target, shot_pool, dev, unlab=unlab)
