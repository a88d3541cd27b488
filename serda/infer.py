"""Inference on new audio with a trained system (serda.bin.infer), and the
self-contained export of a system (serda.bin.export).

A system dir (exp/<tag>/<system>, or an exported folder) gives the config,
the trials' selected models and, for normalisation, a feature dir holding
``norm_stats.npz`` and ``features.yaml`` (serda.features.spec): by default
the set the system was scored on (``data.target_test``: the statistics of
the target corpus it adapted to), or the source training set, or any
feature dir; an exported folder carries its own (``norm/``). Each audio
file goes through the stage-2 audio reader and extractor, the stored
normalisation, the config's input layout (utterance vectors, fixed length
or segments) and every chosen trial; the output is the mean over trials of
the class posteriors (classification) or of the values (regression), with
their standard deviation over trials. A file that cannot be read, is
silent, too short or gives no frames is reported with its reason.
"""
import csv
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import yaml

from serda import layout
from serda.atomic import disk_error, write_atomic
from serda.config import load_config
from serda.data.features import is_pooled, load_norm_stats
from serda.data.normalize import apply_norm
from serda.data.rows import frame_rows
from serda.data.table import read_table
from serda.errors import InputError, SerdaError
from serda.features.audio import AudioError, read_audio
from serda.features.spec import SPEC, check_weights, extractor_of, read_spec
from serda.features.ssl_model import checkpoint_dir
from serda.train.data import SetTensors
from serda.train.evaluate import predict_set
from serda.train.trained import load_trained

EXPORT = "export.yaml"
NORM_DIR = "norm"
NORM_FILES = ("norm_stats.npz", "norm_stats.yaml", SPEC)


@dataclass
class Predictions:
    ids: list                        # the files predicted, in input order
    paths: list
    mean: np.ndarray                 # (n, K) posteriors or (n,) values, mean over trials
    std: np.ndarray                  # same shape: std over trials
    names: list                      # class names (classification) or ["value"]
    trials: list
    failed: list = field(default_factory=list)   # (id, path, reason)


def audio_items(wavs=(), wav_scp=None, folder=None, skipped=None):
    """[(id, path)]: files given (id = file name without extension), the
    lines of a Kaldi wav.scp, and every audio file below a folder (any
    extension libsndfile reads, in any case); the folder's other files go
    to ``skipped`` as (id, path, reason)."""
    from serda.corpora._layout import audio_files
    items = [(Path(w).stem, str(w)) for w in wavs]
    if wav_scp:
        items += list(read_table(wav_scp).items())
    if folder:
        if not Path(folder).is_dir():
            raise SerdaError(f"infer: --dir {folder}: not a folder")
        left = []
        items += [(p.stem, str(p)) for p in audio_files(folder, "**/*.wav", left, True)]
        if skipped is not None:
            skipped += [(Path(path).name, path, why) for path, why in left]
    ids = [i for i, _ in items]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise SerdaError(f"infer: the id(s) {dup[:3]} name more than one file; give a wav.scp "
                         "with unique ids")
    if not items:
        raise SerdaError("infer: no audio given (wav files, --wav-scp or --dir)")
    return items


def label_names(cfg, n_classes):
    """Names of the classes of the config's task, in class order."""
    task = cfg.task
    if task.label_map in ("category_to_binary", "binarize") and n_classes == 2:
        return ["negative", "positive"] if "valence" in (task.attribute,
                                                        task.label_args.get("dimension")) \
            else ["low", "high"]
    if task.label_map == "category_to_class":
        from serda.data.labels import FOUR_CLASSES
        classes = task.label_args.get("classes", FOUR_CLASSES)
        return ["+".join([c] if isinstance(c, str) else c) for c in classes]
    return [f"class{k}" for k in range(n_classes)]


def is_export(system):
    return (Path(system) / EXPORT).is_file()


def read_export(system):
    """export.yaml of an exported folder, as a mapping."""
    from serda.textfile import read_utf8
    from serda.yamlfile import load_yaml
    path = Path(system) / EXPORT
    try:
        data = load_yaml(read_utf8(path))
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise InputError(path, "not an export description (a mapping)")
    return data


def norm_dir_of(system, cfg, norm_from="target"):
    """The feature dir whose statistics and feature spec inference uses."""
    if is_export(system):
        return Path(system) / NORM_DIR
    if norm_from in ("target", "source"):
        key = "target_test" if norm_from == "target" else "source_train"
        path = getattr(cfg.data, key) or (cfg.data.target_unlab if norm_from == "target" else "")
        if not path:
            raise SerdaError(f"infer: {layout.config_path(system)} has no data.{key}; give "
                             "--norm-from <feature dir>")
        return Path(path)
    return Path(norm_from)


def norm_stats(norm_dir, corpus=None):
    if is_pooled(norm_dir) and corpus is None:
        corpora = sorted(p.stem for p in (Path(norm_dir) / "norm_stats_by_corpus").glob("*.npz"))
        raise SerdaError(f"infer: {norm_dir} pools corpora ({', '.join(corpora)}): choose whose "
                         "statistics normalise the new audio with --norm-corpus")
    return load_norm_stats(norm_dir, corpus if is_pooled(norm_dir) else None)


def extract(items, extractor, log=None):
    """([(id, path, features)], [(id, path, reason)]); ``log`` gets a line
    for each file read with a remark (a data chunk cut short, ...)."""
    done, failed = [], []
    rate = getattr(extractor, "sample_rate", 16000)
    for utt, path in items:
        notes = []
        try:
            x = read_audio(path, rate, notes=notes)
        except (AudioError, OSError, RuntimeError) as err:
            failed.append((utt, path, str(err)))
            continue
        for note in notes:
            (log or print)(f"infer: {utt} ({path}): {note}")
        feats = extractor.compute(x, rate)
        if feats.size == 0:
            failed.append((utt, path, f"no {extractor.name} frames ({x.size / rate:.3f} s)"))
        elif not np.all(np.isfinite(feats)):
            failed.append((utt, path, "non-finite features"))
        else:
            done.append((utt, path, feats))
    return done, failed


def model_rows(feats, stats, cfg):
    """(x (R, ...) float32, group (R,)) of the normalised features, cut as
    the config's input layout says."""
    if cfg.input.layout == "utterance":   # vectors (d,) or per-layer matrices (L, D)
        x = np.stack([np.asarray(f, dtype=np.float32).reshape(-1) for f in feats])
        x = apply_norm(x, stats, cfg.data.norm).astype(np.float32, copy=False)
        return x.reshape((len(feats),) + np.shape(feats[0])), np.arange(len(feats))
    mats = [apply_norm(f, stats, cfg.data.norm) for f in feats]
    return frame_rows(mats, cfg.input)


def parse_trials(words):
    """"all" or trial numbers from ``--trials`` words; SerdaError otherwise."""
    if list(words) == ["all"]:
        return "all"
    try:
        trials = [int(w) for w in words]
    except ValueError:
        raise SerdaError(f"--trials {' '.join(words)}: give 'all' or trial numbers "
                         "(e.g. --trials 1 3)") from None
    if not trials or min(trials) < 1:
        raise SerdaError(f"--trials {' '.join(words)}: trial numbers start at 1")
    return trials


def chosen_trials(system, trials):
    """The trial numbers to use: ``trials`` ("all" or a list) among the
    trained ones (an exported folder: those its export.yaml lists)."""
    trained = [k for k, _ in layout.trial_dirs(system) if layout.is_trained(system, k)]
    if is_export(system):
        listed = (read_export(system).get("trials") or [])
        trained = [k for k in listed if k in trained]
    if not trained:
        raise InputError(system, "no trained trial (run stage 4)")
    if trials in (None, "all"):
        return trained
    missing = [k for k in trials if k not in trained]
    if missing:
        raise InputError(system, f"trial(s) {missing} not trained (trained: {trained})")
    return list(trials)


def trial_outputs(config, k, x, group, n):
    """(n, K) posteriors or (n,) values of trial ``k``."""
    cfg, _, method = load_trained(config, k)
    data = SetTensors("infer", [str(i) for i in range(n)], torch.from_numpy(x), None,
                      torch.from_numpy(np.asarray(group, dtype=np.int64)))
    out = predict_set(method, data, cfg.input.aggregate)
    if method.regression:
        return out
    if x.shape[0] == n or cfg.input.aggregate == "output":   # logits: make them posteriors
        out = torch.from_numpy(out).softmax(dim=1).numpy()
    return out


def check_input_dim(system, k, x, norm_dir):
    """InputError when rows ``x`` do not have the feature shape trial ``k``
    was trained on (features of another kind or options than the system's)."""
    want = list(layout.read_summary(system, k).get("input_shape") or [])
    have = list(x.shape[1:])
    if want and have != want:
        name, options = read_spec(norm_dir)
        raise InputError(Path(norm_dir) / SPEC, f"features {name} {options or ''} give rows "
                         f"of shape {have}, but {system} was trained on rows of shape {want}: "
                         "normalise with the feature dir the system was trained on "
                         "(--norm-from target | source | <its feature dir>)")


def infer(system, items, trials="all", norm_from="target", norm_corpus=None, ssl_model=None):
    """:class:`Predictions` of ``items`` [(id, path)] by the system dir ``system``
    (``ssl_model``: where the ssl checkpoint is, when not where features.yaml says)."""
    system = Path(system)
    config = layout.config_path(system)
    if not config.is_file():
        raise InputError(config, "missing: --system is a trained system dir "
                                 "(exp/<tag>/<system>) or an exported folder")
    cfg = load_config(config)
    ks = chosen_trials(system, trials)
    for k in ks:
        check_model(layout.trial_dir(system, k) / layout.MODEL)
    norm_dir = norm_dir_of(system, cfg, norm_from)
    extractor = extractor_of(norm_dir, ssl_model)
    done, failed = extract(items, extractor)
    if not done:
        return Predictions([], [], np.zeros((0,)), np.zeros((0,)), [], ks, failed)
    x, group = model_rows([f for _, _, f in done], norm_stats(norm_dir, norm_corpus), cfg)
    check_input_dim(system, ks[0], x, norm_dir)
    outs = np.stack([trial_outputs(config, k, x, group, len(done)) for k in ks])
    summary = layout.read_summary(system, ks[0])
    names = ["value"] if cfg.task.type == "regression" else \
        label_names(cfg, int(summary["n_classes"]))
    return Predictions([u for u, _, _ in done], [p for _, p, _ in done], outs.mean(axis=0),
                       outs.std(axis=0), names, ks, failed)


def write_csv(pred, out):
    """One line per file: id, path, prediction, then per class the mean
    posterior and its std over trials (or value, value_std), error. Written
    by the csv module (a comma or quote in a name is quoted), atomically."""
    classification = pred.names != ["value"]
    cols = ["id", "path", "prediction"]
    cols += [c for n in pred.names for c in (f"p_{n}", f"p_{n}_std")] if classification else \
        ["value", "value_std"]
    rows = [cols + ["error"]]
    for i, (utt, path) in enumerate(zip(pred.ids, pred.paths)):
        if classification:
            cells = [pred.names[int(np.argmax(pred.mean[i]))]]
            cells += [f"{v:.6f}" for m, s in zip(pred.mean[i], pred.std[i]) for v in (m, s)]
        else:
            cells = [f"{pred.mean[i]:.6g}", f"{pred.mean[i]:.6g}", f"{pred.std[i]:.6g}"]
        rows.append([utt, str(path)] + cells + [""])
    blanks = [""] * (len(cols) - 2)
    for utt, path, reason in pred.failed:
        rows.append([utt, str(path)] + blanks + [str(reason)])
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise disk_error(out, err) from None
    write_atomic(out, lambda f: csv.writer(f, lineterminator="\n").writerows(rows), "w")


def export_system(system, out, trials="all", norm_from="target", norm_corpus=None,
                  force=False):
    """Copy what inference needs into ``out``: config.yaml, the chosen
    trials' model.pt and summary.json, the normalisation statistics and
    feature spec (``norm/``) and export.yaml; returns ``out``.

    The folder is written whole under a temporary name and renamed into
    place: an existing non-empty ``out`` is refused, or with ``force``
    replaced whole (never merged: no earlier trial stays behind)."""
    system, out = Path(system), Path(out)
    if not layout.config_path(system).is_file():
        raise InputError(layout.config_path(system), "missing: --system is a trained system "
                                                     "dir (exp/<tag>/<system>)")
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise SerdaError(f"export: {out} exists and is not empty; choose a new folder or "
                         "give --force to replace it whole")
    cfg = load_config(layout.config_path(system))
    ks = chosen_trials(system, trials)
    for k in ks:
        check_model(layout.trial_dir(system, k) / layout.MODEL)
    norm_dir = norm_dir_of(system, cfg, norm_from)
    name, options = read_spec(norm_dir)                  # refuse a dir without a spec
    if name == "ssl":                                    # and weights not the features' own
        check_weights(norm_dir, checkpoint_dir(options.get("model", "")))
    stats = norm_stats(norm_dir, norm_corpus)
    tmp = out.parent / f".{out.name}.tmp{os.getpid()}"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        _write_export(system, tmp, cfg, ks, norm_dir, norm_corpus, stats)
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(tmp, out)
    except OSError as err:
        raise disk_error(out, err) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def check_model(path):
    """InputError naming ``path`` when it is missing or not a whole checkpoint."""
    from serda.train.checkpoint import load_checkpoint
    if not Path(path).is_file():
        raise InputError(path, "missing (the trial was not trained to its end: run stage 4)")
    try:
        state = load_checkpoint(path)
    except Exception as err:  # torch raises several types on a cut or foreign file
        raise InputError(path, f"not a readable serda checkpoint ({type(err).__name__}: "
                               f"{str(err).splitlines()[0][:120]}); train the trial again") \
            from None
    if not isinstance(state, dict) or "method" not in state:
        raise InputError(path, "not a serda checkpoint (no 'method' state)")


def _write_export(system, out, cfg, ks, norm_dir, norm_corpus, stats):
    shutil.copyfile(layout.config_path(system), out / layout.CONFIG)
    for k in ks:
        dest = layout.trial_dir(out, k)
        dest.mkdir(parents=True, exist_ok=True)
        for name in (layout.MODEL, layout.SUMMARY):
            shutil.copyfile(layout.trial_dir(system, k) / name, dest / name)
    (out / NORM_DIR).mkdir(exist_ok=True)
    np.savez(out / NORM_DIR / "norm_stats.npz", **stats)
    shutil.copyfile(Path(norm_dir) / SPEC, out / NORM_DIR / SPEC)
    summary = layout.read_summary(system, ks[0])
    names = ["value"] if cfg.task.type == "regression" else \
        label_names(cfg, int(summary["n_classes"]))
    (out / EXPORT).write_text(yaml.safe_dump({
        "system": str(system.resolve()), "trials": ks, "normalisation": str(norm_dir)
        + (f" (corpus {norm_corpus})" if norm_corpus else ""), "labels": names,
        "task": {"type": cfg.task.type, "attribute": cfg.task.attribute}}, sort_keys=False),
        encoding="utf-8")
