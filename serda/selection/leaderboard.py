"""The leaderboard's answer to "which method, chosen how, on my pair?":
every method of a cross-corpus benchmark (with its grid of settings,
systems ``<method>+<setting>``) selected by every rule, from the per-epoch
records of its trials (``train.scorers`` and ``train.track_test``).

A rule (source_dev, iwv, dev, snd, entropy; oracle = the target test
labels, an upper bound) chooses per trial the epoch with its highest score
(serda.train.trial_log.selected_epochs) and per pair and method the
setting whose trials' mean score at those epochs is highest; the result is
the target test UA of those epochs. The gap of a rule is the oracle's UA
minus its own.
"""
from pathlib import Path

import numpy as np

from serda import layout
from serda.train.trial_log import selected_epochs, selection_key

RULES = ("source_dev", "iwv", "dev", "snd", "entropy", "oracle")
LABELS = {"source_dev": "source dev", "iwv": "IWV", "dev": "DEV", "snd": "SND",
          "entropy": "entropy", "oracle": "oracle ‡"}


def trial_choices(system_dir, rule):
    """[(score, target test UA %)] per trial at the epoch ``rule`` selects;
    None when a trial's records cannot answer ``rule``."""
    out = []
    for _, history in layout.metrics_histories(system_dir):
        epoch = selected_epochs(history, False).get(rule)
        if epoch is None or not all("target_test/ua" in r for r in history):
            return None
        record = next(r for r in history if r["epoch"] == epoch)
        out.append((record[selection_key(rule, False)], 100.0 * record["target_test/ua"]))
    return out or None


def settings_of(pair_dir, method):
    """The systems of ``method`` in ``pair_dir``: itself and its grid members."""
    pair_dir = Path(pair_dir)
    grid = sorted(d.name for d in pair_dir.glob(f"{method}+*") if d.is_dir())
    return [method] + grid if (pair_dir / method).is_dir() else grid


def choose(pair_dir, systems, rule):
    """(system, [UA % per trial]) of the system of ``systems`` whose trials'
    mean score under ``rule`` is highest; None when no system can answer."""
    best = None
    for name in systems:
        picks = trial_choices(Path(pair_dir) / name, rule)
        if picks is None:
            continue
        score = np.mean([s for s, _ in picks])
        if best is None or score > best[0]:
            best = (score, name, [ua for _, ua in picks])
    return None if best is None else best[1:]


def selection_results(exp, pairs, methods):
    """{(method, rule): {(s, t): (system, [UA per trial])}} over ``pairs``."""
    out = {}
    for m in methods:
        for rule in RULES:
            for s, t in pairs:
                d = Path(exp) / f"{s}2{t}"
                got = choose(d, settings_of(d, m), rule)
                if got is not None:
                    out.setdefault((m, rule), {})[(s, t)] = got
    return {k: v for k, v in out.items() if len(v) == len(pairs)}


def recommendations(exp, pairs, methods, rule):
    """{(s, t): (system, [UA per trial])}: per pair, the system of any method
    and setting that ``rule`` scores highest."""
    out = {}
    for s, t in pairs:
        d = Path(exp) / f"{s}2{t}"
        got = choose(d, [n for m in methods for n in settings_of(d, m)], rule)
        if got is not None:
            out[(s, t)] = got
    return out
