"""A cross-corpus leaderboard: UA of every method on every ordered pair of
corpora (egs/cross_corpus), read from the experiments' decodes.

Layout read: ``<exp>/<s>2<t>/<method>/trial<k>/decode_*`` (target_test:
the whole target corpus) and ``<exp>/within_<c>/src/trial<k>/...`` (the
corpus' own speaker-independent cross-validation, folds pooled). Per
method: a source x target matrix of UA (mean ± std over trials), the
within-corpus diagonal, the mean over pairs, the mean gain over source-only
(``src``) and the number of pairs where the method is significantly better
/ worse than src (paired t-test over the trials, which share their seeds
across methods: trial k of every system starts from seed k; two-sided,
p < 0.05). Heatmaps: UA per method, and its gain over src.
"""
from pathlib import Path

import numpy as np

from serda.plots import pyplot, save_figure
from serda.results import publish_tables, set_warnings, trial_metrics
from serda.selection.leaderboard import LABELS, RULES, recommendations, selection_results

ALPHA = 0.05
BASE = "src"
# the default of the per-pair recommendation: on the development corpora (EmoDB, EMOVO,
# RAVDESS; arousal and valence, 12 pairs; egs/cross_corpus/mlp/README.md) the method and
# unsupervised rule with the best mean UA among those significantly worse than src
# (selected on source dev) on no pair
RECOMMEND = ("src", "iwv")


def ua(system_dir):
    """UA % per trial, in trial order."""
    return [100 * v for v in trial_metrics(system_dir, "target_test")["ua"]]


def warnings_of(exp, corpora, methods):
    """{(s, t): [warning]} for the pairs (s == t: within-corpus) whose target
    set stage 5 flagged (e.g. one class of a binary task)."""
    exp = Path(exp)
    out = {}
    for m in methods:
        for s in corpora:
            for t in corpora:
                d = exp / (f"{s}2{t}" if s != t else f"within_{s}") / (m if s != t else BASE)
                if d.is_dir():
                    for w in set_warnings(d, "target_test"):
                        if w not in out.setdefault((s, t), []):
                            out[(s, t)].append(w)
    return out


def collect(exp, corpora, methods):
    """({method: {(s, t): [UA per trial]}}, {c: [UA per trial]} within-corpus)."""
    exp = Path(exp)
    pairs = {m: {(s, t): ua(exp / f"{s}2{t}" / m) for s in corpora for t in corpora if s != t}
             for m in methods}
    within = {}
    for c in corpora:
        d = exp / f"within_{c}" / BASE
        within[c] = ua(d) if d.is_dir() else None
    return pairs, within


def paired_sign(values, base):
    """+1 / -1 when ``values`` beat / trail ``base`` at p < ALPHA (paired t-test
    over trials), else 0."""
    from scipy.stats import ttest_rel
    n = min(len(values), len(base))
    if n < 2:
        return 0
    a, b = np.asarray(values[:n]), np.asarray(base[:n])
    if np.allclose(a, b):
        return 0
    p = ttest_rel(a, b).pvalue
    return int(np.sign(np.mean(a - b))) if p < ALPHA else 0


def cell(values):
    return f"{np.mean(values):.1f} ± {np.std(values):.1f}"


def method_table(method, corpora, pairs, within, flagged=()):
    lines = [f"### {method}", "", "| source \\ target | " + " | ".join(corpora) + " |",
             "|---|" + "---|" * len(corpora)]
    for s in corpora:
        cells = []
        for t in corpora:
            dagger = " †" if (s, t) in flagged else ""
            if s == t:
                cells.append(f"*{cell(within[s])}*{dagger}" if within[s] else "—")
            else:
                mark = {1: " ↑", -1: " ↓", 0: ""}[paired_sign(pairs[method][(s, t)],
                                                              pairs[BASE][(s, t)])] \
                    if method != BASE and BASE in pairs else ""
                cells.append(cell(pairs[method][(s, t)]) + mark + dagger)
        lines.append(f"| **{s}** | " + " | ".join(cells) + " |")
    return lines + [""]


def summary_rows(corpora, pairs):
    rows = []
    for m, by_pair in pairs.items():
        means = [np.mean(v) for v in by_pair.values()]
        gain = better = worse = None
        if BASE in pairs and m != BASE:
            gains = [np.mean(v) - np.mean(pairs[BASE][p]) for p, v in by_pair.items()]
            signs = [paired_sign(v, pairs[BASE][p]) for p, v in by_pair.items()]
            gain, better, worse = np.mean(gains), signs.count(1), signs.count(-1)
        rows.append((m, np.mean(means), gain, better, worse))
    return sorted(rows, key=lambda r: -r[1])


def gap_text(value, oracle):
    return f"{value:.1f} ({value - oracle:+.1f})"


def recommendation_lines(exp, pairs, methods, recommend, base):
    """Per pair the recommended system (method ``recommend[0]``, its setting
    chosen by rule ``recommend[1]``), and what each rule picks when it
    chooses among every system of every method."""
    method, rule = recommend
    lines = []
    if method in methods:
        rec = recommendations(exp, pairs, [method], rule)
        best = recommendations(exp, pairs, methods, "oracle")
        lines += ["", f"### Recommended per pair: {method}, selected by {LABELS[rule]}", "",
                  f"`{method}` with its setting and epoch selected by {LABELS[rule]}: the "
                  "choice of the development corpora (`--recommend`: the best mean UA over "
                  "their pairs among the method x rule combinations never significantly "
                  "below src); its UA per pair, source-only's, and the best system by the "
                  "oracle ‡.", "",
                  "| pair | recommended | its UA | src (source dev) | oracle ‡ best |",
                  "|---|---|---|---|---|"]
        for p in pairs:
            if p in rec:
                src = f"{np.mean(base[p][1]):.1f}" if base else "—"
                ob = f"{best[p][0]} {np.mean(best[p][1]):.1f}" if p in best else "—"
                lines.append(f"| {p[0]} -> {p[1]} | {rec[p][0]} | {cell(rec[p][1])} | {src} | "
                             f"{ob} |")
    picks = {r: recommendations(exp, pairs, methods, r) for r in RULES}
    picks = {r: v for r, v in picks.items() if len(v) == len(pairs)}
    if picks:
        lines += ["", "Choosing among every system of every method by one rule (the rule's "
                  "highest-scoring system per pair): mean UA over pairs and the systems "
                  "picked. A rule whose scores are not comparable across methods picks worse "
                  "here than within one method.", "",
                  "| rule | mean UA of its picks | picked (per pair) |", "|---|---|---|"]
        for r, rec in picks.items():
            lines.append(f"| {LABELS[r]} | {np.mean([np.mean(v[1]) for v in rec.values()]):.1f} "
                         f"| {', '.join(v[0] for v in rec.values())} |")
    return lines


def selection_section(exp, corpora, methods, recommend):
    """The lines of "Model selection without target labels" (nothing when the
    trials logged no scores: train.scorers, train.track_test)."""
    pairs = [(s, t) for s in corpora for t in corpora if s != t]
    results = selection_results(exp, pairs, methods)
    if not results:
        return []
    rules = [r for r in RULES if any(k[1] == r for k in results)]

    def mean_ua(m, rule):
        return np.mean([np.mean(v[1]) for v in results[(m, rule)].values()])

    lines = ["## Model selection without target labels", "",
             "Mean UA % over pairs with the epoch (and, where the method has a grid of "
             "settings, the setting) chosen by each rule; in brackets the gap to the oracle. "
             "Rules: source dev = UA on the source's held-out speakers; IWV = the same "
             "weighted by p_t(x)/p_s(x); DEV = deep embedded validation; SND = soft "
             "neighbourhood density; entropy = target entropy. **oracle ‡ chose with the "
             "target test labels: an upper bound, not a result.**", "",
             "| method | " + " | ".join(LABELS[r] for r in rules) + " |",
             "|---|" + "---|" * len(rules)]
    for m in methods:
        if (m, "oracle") not in results:
            continue
        oracle = mean_ua(m, "oracle")
        cells = [(gap_text(mean_ua(m, r), oracle) if r != "oracle" else f"{oracle:.1f}")
                 if (m, r) in results else "—" for r in rules]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    base = results.get((BASE, "source_dev"))
    ranked = []
    for (m, rule), by_pair in results.items():
        if rule == "oracle":
            continue
        signs = [paired_sign(v[1], base[p][1]) for p, v in by_pair.items()] if base else []
        gain = mean_ua(m, rule) - mean_ua(BASE, "source_dev") if base else None
        gap = mean_ua(m, "oracle") - mean_ua(m, rule) if (m, "oracle") in results else None
        ranked.append((mean_ua(m, rule), m, rule, gain, signs, gap))
    lines += ["", f"Every method x rule, by mean UA; gain and significance against `{BASE}` "
              "selected on source dev (paired t-test over trials per pair, p < "
              f"{ALPHA}).", "", "| method | selected by | mean UA | gain over src | pairs "
              "better | pairs worse | gap to oracle |", "|---|---|---|---|---|---|---|"]
    for ua_, m, rule, gain, signs, gap in sorted(ranked, key=lambda r: -r[0]):
        g = "—" if gain is None else f"{gain:+.1f}"
        lines.append(f"| {m} | {LABELS[rule]} | {ua_:.1f} | {g} | {signs.count(1)} | "
                     f"{signs.count(-1)} | {'—' if gap is None else f'{gap:.1f}'} |")
    gaps = {}
    for _, m, rule, _, _, gap in ranked:
        if gap is not None:
            gaps.setdefault(rule, []).append(gap)
    if gaps:
        lines += ["", "Reliability of each rule on these corpora: its mean gap to the oracle "
                  "over methods and pairs (smaller = it chose closer to the best epoch).", "",
                  "| selected by | mean gap | methods |", "|---|---|---|"]
        for rule in sorted(gaps, key=lambda r: np.mean(gaps[r])):
            lines.append(f"| {LABELS[rule]} | {np.mean(gaps[rule]):.1f} | {len(gaps[rule])} |")
    lines += recommendation_lines(exp, pairs, methods, recommend, base)
    return lines + [""]


def write_leaderboard(exp, corpora, methods, out, figs, title, recommend=RECOMMEND):
    pairs, within = collect(exp, corpora, methods)
    n_pairs = len(corpora) * (len(corpora) - 1)
    lines = [f"# {title}", "",
             f"UA % on the whole target corpus, mean ± std over trials, {n_pairs} ordered pairs "
             "of corpora; model selection on the source corpus' held-out speakers (no target "
             "label). Diagonal (*italic*): the corpus' own speaker-independent cross-validation "
             f"with `{BASE}` (the within-corpus reference). ↑ / ↓: significantly above / below "
             f"`{BASE}` on that pair (paired t-test over trials sharing seeds, p < {ALPHA}).", "",
             "## Ranking", "", "| method | mean UA over pairs | gain over src | pairs better | "
             "pairs worse |", "|---|---|---|---|---|"]
    for m, mean, gain, better, worse in summary_rows(corpora, pairs):
        g = "—" if gain is None else f"{gain:+.1f}"
        lines.append(f"| {m} | {mean:.1f} | {g} | {'—' if better is None else better} | "
                     f"{'—' if worse is None else worse} |")
    diag = [np.mean(v) for v in within.values() if v]
    if diag:
        lines.append(f"| (within-corpus, {len(diag)} corpora) | {np.mean(diag):.1f} | | | |")
    lines += [""] + selection_section(exp, corpora, methods, recommend)
    lines += ["## Per method: source (rows) x target (columns)", ""]
    flagged = warnings_of(exp, corpora, methods)
    for m in methods:
        lines += method_table(m, corpora, pairs, within, flagged)
    for (s, t), ws in sorted(flagged.items()):
        for w in ws:
            note = f"† {s} -> {t}: {w}." if s != t else f"† {s} (within-corpus): {w}."
            lines.append(note)
            print(f"leaderboard: WARNING: {note}")
    publish_tables(lines, out)
    heatmaps(corpora, pairs, within, Path(figs), title)


def _matrix(corpora, values_of):
    k = len(corpora)
    mat = np.full((k, k), np.nan)
    for i, s in enumerate(corpora):
        for j, t in enumerate(corpora):
            v = values_of(s, t)
            if v is not None:
                mat[i, j] = v
    return mat


def heatmaps(corpora, pairs, within, figs, title):
    """figs/ua_<method>.png and, for every method but src, figs/gain_<method>.png."""
    plt = pyplot()
    for m, by_pair in pairs.items():
        ua_mat = _matrix(corpora, lambda s, t: np.mean(within[s]) if s == t and within[s]
                         else (np.mean(by_pair[(s, t)]) if s != t else None))
        _heatmap(plt, ua_mat, corpora, f"{m}: UA % (diagonal: within-corpus CV)", "viridis",
                 (np.nanmin(ua_mat), np.nanmax(ua_mat)), figs / f"ua_{m}.png", title, "UA %")
        if m == BASE or BASE not in pairs:
            continue
        gain = _matrix(corpora, lambda s, t: np.mean(by_pair[(s, t)])
                       - np.mean(pairs[BASE][(s, t)]) if s != t else None)
        lim = max(1.0, float(np.nanmax(np.abs(gain))))
        _heatmap(plt, gain, corpora, f"{m}: UA gain over {BASE} (points)", "RdBu",
                 (-lim, lim), figs / f"gain_{m}.png", title, "UA points")


def _text_colour(value, limits, cmap):
    """White on the map's dark ends, black on its light middle / end."""
    x = (value - limits[0]) / max(limits[1] - limits[0], 1e-9)
    dark = abs(x - 0.5) > 0.3 if cmap == "RdBu" else x < 0.6
    return "white" if dark else "black"


def _heatmap(plt, mat, corpora, name, cmap, limits, out, title, unit):
    k = len(corpora)
    fig, ax = plt.subplots(figsize=(2.2 + 1.1 * k, 1.8 + 0.9 * k), dpi=100)
    im = ax.imshow(np.ma.masked_invalid(mat), cmap=cmap, vmin=limits[0], vmax=limits[1])
    ax.set_xticks(range(k), corpora, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(k), corpora, fontsize=8)
    ax.set_xlabel("target (tested on)")
    ax.set_ylabel("source (trained on)")
    for i in range(k):
        for j in range(k):
            if not np.isnan(mat[i, j]):
                ax.text(j, i, f"{mat[i, j]:.1f}", ha="center", va="center", fontsize=8,
                        color=_text_colour(mat[i, j], limits, cmap))
    fig.colorbar(im, ax=ax, label=unit, shrink=0.8)
    ax.set_title(f"{title}\n{name}", fontsize=9)
    save_figure(fig, out)
