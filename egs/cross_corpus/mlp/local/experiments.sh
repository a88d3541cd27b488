#!/usr/bin/env bash
# The experiments of the cross-corpus benchmark, for the driver: `local/experiments.sh N`
# prints the options of experiment N (nothing after the last): first every ordered pair
# (s, t) of $names (tag <s>2<t>: every method of $methods trained on s_x_train, selected on
# s_x_dev, scored on all of t; with grid=true also each method's settings of conf/grid.txt,
# systems <method>+<setting>; every epoch logs the unsupervised selection scores and the
# target test metrics, which only the leaderboard's oracle column reads), then every corpus' own cross-validation (tag within_<c>:
# src trained on each fold's train part, selected on its dev fold, the folds' tests pooled).
# Reads: datadir names methods grid task_args trials shared exp_tag.
set -euo pipefail
n=$1
read -ra cs <<< "$names"
pairs=()
for s in "${cs[@]}"; do for t in "${cs[@]}"; do [ "$s" = "$t" ] || pairs+=("$s $t"); done; done
shared_args="$task_args train.trials=$trials $shared"
i=$((n - 1))
if [ "$i" -lt "${#pairs[@]}" ]; then
  read -r s t <<< "${pairs[$i]}"
  systems=$(for m in $methods; do
    printf '%s=conf/%s.yaml ' "$m" "$m"
    if [ "$grid" = true ]; then
      awk -v m="$m" '$1 == m { printf "%s+%s=conf/%s.yaml,%s ", m, $2, m, $3 }' conf/grid.txt
    fi
  done)
  printf -- '--%s %q ' tag "$exp_tag/${s}2$t" source "${s}_x" target "${t}_x" systems "$systems" \
    baseline src decode-sets target_test \
    shared-args "$shared_args train.scorers=[iwv,dev,snd,entropy] train.track_test=true" \
    report-opts "--metrics ua acc" title "$s -> $t (selected on $s's held-out speakers)"
  exit 0
fi
i=$((i - ${#pairs[@]}))
[ "$i" -lt "${#cs[@]}" ] || exit 0
c=${cs[$i]}
folds=$(seq -s ' ' 1 "$(cat "$datadir/local/${c}_cv.folds")")
printf -- '--%s %q ' tag "$exp_tag/within_$c" source "${c}_x" target "${c}_cv" folds "$folds" \
  pool-set "${c}_all" systems "src=conf/src.yaml" decode-sets target_test \
  shared-args "$shared_args train.train_on=target" report-opts "--metrics ua acc" \
  title "$c within-corpus: speaker-independent cross-validation, tests pooled"
