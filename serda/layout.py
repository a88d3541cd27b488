"""The experiment folder layout; the one place that knows it.

::

    exp/<tag>/                      one experiment (the driver's --tag)
        run.sh                      the command that made it
        RESULTS.md, results.csv     stage 6 report
        figs/                       figures
        <system>/                   one trained system (a config plus overrides)
            config.yaml             the resolved config (provenance in its header)
            log/                    job logs
            trial<k>/               trial k (seed train.seed + k - 1)
                model.pt            the selected checkpoint
                last.pt             the resume checkpoint (sequential trials)
                metrics.jsonl       one line per epoch
                summary.json        selection, data sizes, domain vocabularies
                decode_<set>/       stage 5 on the set (data dir name) <set>
                    pred, metrics.json
            vectorized_<a>-<b>/     resume checkpoint of trials a..b trained together
            fold<f>/                a cross-validated system: fold f is a system of
                                    its own; the system's trials pool the folds' tests
"""
import json
from pathlib import Path

from serda.atomic import write_atomic
from serda.errors import InputError

CONFIG = "config.yaml"
MODEL = "model.pt"
LAST = "last.pt"
METRICS = "metrics.jsonl"
SUMMARY = "summary.json"
PRED = "pred"
DECODE_METRICS = "metrics.json"


def config_path(system_dir):
    return Path(system_dir) / CONFIG


def system_of(config):
    """The system dir of a resolved ``config`` path."""
    return Path(config).parent


def log_dir(system_dir):
    return Path(system_dir) / "log"


def trial_dir(system_dir, k):
    return Path(system_dir) / f"trial{k}"


def trial_number(path):
    return int(Path(path).name[len("trial"):])


def trial_dirs(system_dir):
    """[(k, trial dir)] of ``system_dir`` in trial order."""
    found = [p for p in Path(system_dir).glob("trial*")
             if p.is_dir() and p.name[len("trial"):].isdigit()]
    return [(trial_number(p), p) for p in sorted(found, key=trial_number)]


def is_trained(system_dir, k):
    return (trial_dir(system_dir, k) / SUMMARY).is_file()


def any_trained(system_dir):
    return any((p / SUMMARY).is_file() for _, p in trial_dirs(system_dir))


def clear_trained(system_dir):
    """Remove every trial dir and vectorised resume dir of ``system_dir``
    (its models, metrics and decodes); returns the dirs removed."""
    import shutil
    gone = [p for _, p in trial_dirs(system_dir)]
    gone += [p for p in Path(system_dir).glob("vectorized_*") if p.is_dir()]
    for p in gone:
        shutil.rmtree(p)
    return gone


def read_summary(system_dir, k):
    return json.loads((trial_dir(system_dir, k) / SUMMARY).read_text())


def write_summary(system_dir, k, summary):
    write_atomic(trial_dir(system_dir, k) / SUMMARY,
                 lambda f: f.write(json.dumps(summary, indent=1) + "\n"), "w")


def vectorized_dir(system_dir, trials):
    return Path(system_dir) / f"vectorized_{trials[0]}-{trials[-1]}"


def fold_dir(system_dir, fold):
    return Path(system_dir) / f"fold{fold}"


def decode_dir(trial, set_name):
    """``trial<k>/decode_<set_name>`` (``set_name``: the data dir's name)."""
    return Path(trial) / f"decode_{set_name}"


def metrics_histories(system_dir):
    """[(trial dir, [epoch records])] of every trial with a metrics.jsonl."""
    out = []
    for _, trial in trial_dirs(system_dir):
        path = trial / METRICS
        if path.is_file():
            out.append((trial, [json.loads(line) for line in path.read_text().splitlines()
                                if line.strip()]))
    return out


def decoded_metrics(system_dir, set_key):
    """[(k, metrics dict)] of the trials' decodes of config key ``set_key``
    (e.g. target_test; each metrics.json names its key in "set"); InputError
    when no trial has one, or a trained trial has none (nothing is left out
    of a table silently)."""
    rows = []
    for k, trial in trial_dirs(system_dir):
        found = [m for m in (json.loads(p.read_text())
                             for p in sorted(trial.glob(f"decode_*/{DECODE_METRICS}")))
                 if m.get("set") == set_key]
        if found:
            rows.append((k, found[0]))
        elif (trial / SUMMARY).is_file():
            raise InputError(trial, f"no decode of {set_key} (run stage 5)")
    if not rows:
        raise InputError(system_dir, f"no trial has metrics for set '{set_key}' (run stage 5)")
    return rows
