#!/usr/bin/env bash
# Stage 7 hook: exp/<tag>/LEADERBOARD.md and exp/<tag>/figs/{ua,gain}_<method>.png.
# Reads: expdir exp_tag names methods.
set -euo pipefail
# shellcheck disable=SC2086
python -m serda.bin.leaderboard --exp "$expdir/$exp_tag" --corpora $names --methods $methods \
  --title "Cross-corpus leaderboard ($exp_tag)"
