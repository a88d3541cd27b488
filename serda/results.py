"""Reading trained systems' scores for paper tables (recipes' local/ scripts).

A system dir holds trial<k>/decode_<set>/metrics.json (stage 5, or
serda.bin.pool_folds for a cross-validated system); each metrics.json
names the config key of its set ("set": "target_test").
"""
from pathlib import Path

from serda import layout
from serda.config import load_config
from serda.data.table import read_table
from serda.metrics import unweighted_recall
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


def set_warnings(system_dir, set_key):
    """The distinct warnings stage 5 wrote in the trials' metrics of
    ``set_key`` (a set that cannot be scored as configured), sorted."""
    return sorted({m["warning"] for _, m in layout.decoded_metrics(system_dir, set_key)
                   if m.get("warning")})


def ua_by_attribute(system_dir, set_key, attribute="corpus"):
    """{value: [UA per trial]} over the utterances of each value of data-dir
    ``attribute`` (e.g. the corpus of each utterance of a pooled test set),
    from the trials' predictions of ``set_key`` and the set's own labels
    (the system's task and label map)."""
    from serda.train.data import attribute_values, read_labels  # torch: only when asked
    cfg = load_config(layout.config_path(system_dir))
    out = {}
    for k, metrics in layout.decoded_metrics(system_dir, set_key):
        data_dir = metrics["data"]
        pred_file = layout.decode_dir(layout.trial_dir(system_dir, k), Path(data_dir).name) \
            / layout.PRED
        pred = read_table(pred_file)
        utts = sorted(pred)
        y = read_labels(data_dir, utts, cfg.task)
        p = [int(pred[u]) for u in utts]
        values = attribute_values(data_dir, utts, attribute)
        for v in sorted(set(values)):
            rows = [i for i, w in enumerate(values) if w == v]
            out.setdefault(v, []).append(unweighted_recall(y[rows], [p[i] for i in rows]))
    return out


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
