"""Reading trained systems' scores for paper tables (recipes' local/ scripts).

A system dir holds trial<k>/decode_<set>/metrics.json (stage 5, or
serda.bin.pool_folds for a cross-validated system); each metrics.json
names the config key of its set ("set": "target_test").
"""
import json
from pathlib import Path

from serda.errors import InputError
from serda.stats import mean_std, welch_greater

ALPHA = 0.05


def trial_metrics(system_dir, set_key):
    """{metric: [value per trial]} of ``set_key`` (e.g. target_test), trials in order."""
    system_dir = Path(system_dir)
    trials = sorted(system_dir.glob("trial*"), key=lambda p: int(p.name[5:]))
    if not trials:
        raise InputError(system_dir, "no trials (run stages 4-5)")
    values = {}
    for trial in trials:
        found = [json.loads(p.read_text()) for p in trial.glob("decode_*/metrics.json")]
        found = [m for m in found if m.get("set") == set_key]
        if not found:
            raise InputError(trial, f"no decode of {set_key} (run stage 5)")
        for k, v in found[0].items():
            if isinstance(v, float):
                values.setdefault(k, []).append(v)
    return values


def cell(values, mark="", digits=3, scale=1.0):
    """"mean ± std" of ``values`` (times ``scale``), then ``mark``."""
    m, s = mean_std([v * scale for v in values])
    return f"{m:.{digits}f} ± {s:.{digits}f}{mark}"


def better_mark(values, baseline, lower_is_better=False):
    """"*" when ``values`` beat ``baseline`` at p < ALPHA (one-tailed Welch
    t-test over trials), else ""."""
    if len(values) < 2 or len(baseline) < 2:
        return ""
    a, b = ([-v for v in values], [-v for v in baseline]) if lower_is_better else (values, baseline)
    return "*" if welch_greater(a, b) < ALPHA else ""
