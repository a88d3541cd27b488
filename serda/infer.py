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
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import yaml

from serda import layout
from serda.config import load_config
from serda.data.features import is_pooled, load_norm_stats
from serda.data.normalize import apply_norm
from serda.data.rows import frame_rows
from serda.data.table import read_table
from serda.errors import InputError, SerdaError
from serda.features.audio import AudioError, read_audio
from serda.features.spec import SPEC, extractor_of, read_spec
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


def audio_items(wavs=(), wav_scp=None, folder=None):
    """[(id, path)]: files given (id = file name without extension), the
    lines of a Kaldi wav.scp, and every *.wav below a folder."""
    items = [(Path(w).stem, str(w)) for w in wavs]
    if wav_scp:
        items += list(read_table(wav_scp).items())
    if folder:
        items += [(p.stem, str(p)) for p in sorted(Path(folder).rglob("*.wav"))]
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


def extract(items, extractor):
    """([(id, path, features)], [(id, path, reason)])."""
    done, failed = [], []
    for utt, path in items:
        try:
            x = read_audio(path)
        except (AudioError, OSError, RuntimeError) as err:
            failed.append((utt, path, str(err)))
            continue
        feats = extractor.compute(x, 16000)
        if feats.size == 0:
            failed.append((utt, path, f"no {extractor.name} frames ({x.size / 16000:.3f} s)"))
        elif not np.all(np.isfinite(feats)):
            failed.append((utt, path, "non-finite features"))
        else:
            done.append((utt, path, feats))
    return done, failed


def model_rows(feats, stats, cfg):
    """(x (R, ...) float32, group (R,)) of the normalised features, cut as
    the config's input layout says."""
    if cfg.input.layout == "utterance":
        x = np.stack([np.asarray(f, dtype=np.float32).reshape(-1) for f in feats])
        return apply_norm(x, stats, cfg.data.norm), np.arange(len(feats))
    mats = [apply_norm(f, stats, cfg.data.norm) for f in feats]
    return frame_rows(mats, cfg.input)


def chosen_trials(system, trials):
    trained = [k for k, _ in layout.trial_dirs(system) if layout.is_trained(system, k)]
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


def infer(system, items, trials="all", norm_from="target", norm_corpus=None):
    """:class:`Predictions` of ``items`` [(id, path)] by the system dir ``system``."""
    system = Path(system)
    config = layout.config_path(system)
    cfg = load_config(config)
    ks = chosen_trials(system, trials)
    norm_dir = norm_dir_of(system, cfg, norm_from)
    extractor = extractor_of(norm_dir)
    done, failed = extract(items, extractor)
    if not done:
        return Predictions([], [], np.zeros((0,)), np.zeros((0,)), [], ks, failed)
    x, group = model_rows([f for _, _, f in done], norm_stats(norm_dir, norm_corpus), cfg)
    outs = np.stack([trial_outputs(config, k, x, group, len(done)) for k in ks])
    summary = layout.read_summary(system, ks[0])
    names = ["value"] if cfg.task.type == "regression" else \
        label_names(cfg, int(summary["n_classes"]))
    return Predictions([u for u, _, _ in done], [p for _, p, _ in done], outs.mean(axis=0),
                       outs.std(axis=0), names, ks, failed)


def write_csv(pred, out):
    """One line per file: id, path, prediction, then per class the mean
    posterior and its std over trials (or value, value_std), error."""
    classification = pred.names != ["value"]
    cols = ["id", "path", "prediction"]
    cols += [c for n in pred.names for c in (f"p_{n}", f"p_{n}_std")] if classification else \
        ["value", "value_std"]
    lines = [",".join(cols + ["error"])]
    for i, (utt, path) in enumerate(zip(pred.ids, pred.paths)):
        if classification:
            cells = [pred.names[int(np.argmax(pred.mean[i]))]]
            cells += [f"{v:.6f}" for m, s in zip(pred.mean[i], pred.std[i]) for v in (m, s)]
        else:
            cells = [f"{pred.mean[i]:.6g}", f"{pred.mean[i]:.6g}", f"{pred.std[i]:.6g}"]
        lines.append(",".join([utt, _cell(path)] + cells + [""]))
    blanks = [""] * (len(cols) - 2)
    for utt, path, reason in pred.failed:
        lines.append(",".join([utt, _cell(path)] + blanks + [_cell(reason)]))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(text):
    text = str(text)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def export_system(system, out, trials="all", norm_from="target", norm_corpus=None):
    """Copy what inference needs into ``out``: config.yaml, the chosen
    trials' model.pt and summary.json, the normalisation statistics and
    feature spec (``norm/``) and export.yaml; returns ``out``."""
    system, out = Path(system), Path(out)
    cfg = load_config(layout.config_path(system))
    ks = chosen_trials(system, trials)
    norm_dir = norm_dir_of(system, cfg, norm_from)
    read_spec(norm_dir)                                  # refuse a dir without a spec
    stats = norm_stats(norm_dir, norm_corpus)
    out.mkdir(parents=True, exist_ok=True)
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
    return out
