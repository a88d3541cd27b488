"""Reading trained systems' scores for paper tables (recipes' local/ scripts).

A system dir holds trial<k>/decode_<set>/metrics.json (stage 5, or
serda.bin.pool_folds for a cross-validated system); each metrics.json
names the config key of its set ("set": "target_test").
"""
from pathlib import Path

from serda import layout
from serda.stats import mean_std, welch_greater

ALPHA = 0.05


def trial_metrics(system_dir, set_key):
    """{metric: [value per trial]} of ``set_key`` (e.g. target_test), trials in order."""
    values = {}
    for _, metrics in layout.decoded_metrics(system_dir, set_key):
        for k, v in metrics.items():
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


def publish_tables(lines, out):
    """Write a recipe's markdown tables (list of lines) to ``out`` and print them."""
    text = "\n".join(lines) + "\n"
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    print(text, end="")
