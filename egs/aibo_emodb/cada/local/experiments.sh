#!/usr/bin/env bash
# The experiments of the CADA recipe, for the driver: `local/experiments.sh N` prints
# the options of experiment N (nothing after the last), or `wait` while experiment N
# needs the ones before it (the driver's $experiments_done). With S schools:
#   1        all-target: the MLP on each target fold's training part (5-fold CV, pooled)
#   2..S+1   all-source on each school (Ohm, Mont), tested on the whole target corpus
#   S+2..2S+1  per school, once all-source is trained (fine-tuning starts from its
#            trial k): fine-tune, FADA, CADA and label-target for every k of
#            $shots $curve_shots labelled target examples per class (5-fold CV, pooled)
# Reads: expdir src_corpus tgt_corpus exp_tag schools shots curve_shots target_folds trials
# shared experiments_done.
set -euo pipefail
n=$1
tag() { echo "${exp_tag:+$exp_tag/}$1"; }
cv=(folds "$(seq -s ' ' 1 "$target_folds")" pool-set "${tgt_corpus}_tgt_test" target "${tgt_corpus}_cv"
    decode-sets target_test)
common=(shared-args "train.trials=$trials $shared" report-opts "--metrics ua acc")
read -ra school_list <<< "$schools"
if [ "$n" -eq 1 ]; then
  first=${school_list[0]%%:*}
  printf -- '--%s %q ' tag "$(tag target)" source "${src_corpus}_$first" "${cv[@]}" \
    systems all_target=conf/all_target.yaml "${common[@]}" \
    title "All-target: 5-fold CV on ${tgt_corpus}"
  exit 0
fi
n_schools=${#school_list[@]}
i=$(( (n - 2) % n_schools ))
[ "$n" -le $(( 2 * n_schools + 1 )) ] || exit 0
school=${school_list[$i]%%:*}
if [ "$n" -gt $(( n_schools + 1 )) ] && [ "$experiments_done" -lt $(( n_schools + 1 )) ]; then
  echo wait
elif [ "$n" -le $(( n_schools + 1 )) ]; then
  printf -- '--%s %q ' tag "$(tag "$school")" source "${src_corpus}_$school" \
    target "${tgt_corpus}_tgt" decode-sets target_test systems all_source=conf/all_source.yaml \
    "${common[@]}" title "All-source: ${src_corpus} ${school} -> ${tgt_corpus}"
else
  systems=
  for k in $shots $curve_shots; do
    systems="$systems finetune_k$k=conf/finetune.yaml,train.target_shots=$k,train.init_from=$expdir/$(tag "$school")/all_source"
    systems="$systems fada_k$k=conf/fada.yaml,train.target_shots=$k"
    systems="$systems cada_k$k=conf/cada.yaml,train.target_shots=$k"
    systems="$systems label_target_k$k=conf/label_target.yaml,train.target_shots=$k"
  done
  printf -- '--%s %q ' tag "$(tag "$school")" source "${src_corpus}_$school" "${cv[@]}" \
    systems "$systems" baseline all_source "${common[@]}" \
    title "Few-shot DA: ${src_corpus} ${school} -> ${tgt_corpus} (5-fold CV, pooled)"
fi
