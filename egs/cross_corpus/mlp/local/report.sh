#!/usr/bin/env bash
# Stage 7 hook: exp/<tag>/LEADERBOARD.md, exp/<tag>/figs/{ua,gain}_<method>.png and
# exp/<tag>/SHIFT.md (what separates the corpora; what each method does about it).
# Reads: expdir exp_tag names methods.
set -euo pipefail
# shellcheck disable=SC2086
python -m serda.bin.leaderboard --exp "$expdir/$exp_tag" --corpora $names --methods $methods \
  --title "Cross-corpus leaderboard ($exp_tag)"
# shellcheck disable=SC2086
python -m serda.bin.shift_report --exp "$expdir/$exp_tag" --corpora $names --methods $methods
