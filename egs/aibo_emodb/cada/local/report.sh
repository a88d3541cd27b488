#!/usr/bin/env bash
# Stage 7 hook: Tables 2-3 (exp[/mini]/tables.md) and Figs. 2-3 (exp[/mini]/figs/).
# Reads: expdir exp_tag src_corpus tgt_corpus schools shots curve_shots.
set -euo pipefail
exp=$expdir${exp_tag:+/$exp_tag}
# shellcheck disable=SC2046,SC2086
python local/tables.py --exp "$exp" --schools $(for e in $schools; do echo "${e%%:*}"; done) \
  --shots $shots --curve-shots $curve_shots --source "$src_corpus" --target "$tgt_corpus" \
  --out "$exp/tables.md" --figs "$exp/figs"
echo "$0: $exp/tables.md, $exp/figs/fig2_ohm.png, $exp/figs/fig3_mont.png"
