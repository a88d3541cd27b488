#!/usr/bin/env bash
# Stage 1 hook: the sets of the MRD recipe, made from one corpus' split data
# dirs (its sessions, or the splits of a synthetic corpus); stage 2 then gives
# them the splits' features, so nothing is extracted twice. For corpus <c>:
#
#   <c>_all           every part: the per-corpus z-norm statistics are fitted on it
#   <c>_src_train     all parts but the last   } the corpus as source
#   <c>_src_dev       the last part            } (model selection on src_dev)
#   <c>_tgt_test      = <c>_all                } the corpus as target: tested on
#   <c>_tgt_unlab     = <c>_all                } whole, its audio unlabelled for adaptation
#   <c>_cv<f>_{train,dev,test}                 train-on-target cross-validation:
#                     one fold per part ($speaker_folds: that many gender-balanced
#                     speaker folds, <c>_fold<k>)
#
# Both corpora get every set, so the other direction needs no new ones.
# Reads (exported by run.sh and the driver): datadir src_corpus tgt_corpus
# parts_source parts_target speaker_folds.
set -euo pipefail

make_sets() {  # <corpus> <part> <part> ...
  local c=$1 p parts=()
  shift
  for p in "$@"; do parts+=("$datadir/${c}_$p"); done
  utils/combine_data.py "$datadir/${c}_all" "${parts[@]}"
  utils/combine_data.py "$datadir/${c}_src_train" "${parts[@]:0:${#parts[@]}-1}"
  utils/combine_data.py "$datadir/${c}_src_dev" "${parts[-1]}"
  utils/combine_data.py "$datadir/${c}_tgt_test" "${parts[@]}"
  utils/combine_data.py "$datadir/${c}_tgt_unlab" "${parts[@]}"
  if [ -n "$speaker_folds" ]; then
    utils/make_cv_sets.py --speaker-folds "$speaker_folds" --fold-prefix "$datadir/${c}_fold" \
      "$datadir/${c}_all" "$datadir/${c}_cv"
  else
    utils/make_cv_sets.py "${parts[@]}" "$datadir/${c}_cv"
  fi
  utils/check_split_overlap.py "$datadir/${c}_src_train" "$datadir/${c}_src_dev"
}
# shellcheck disable=SC2086
make_sets "$src_corpus" $parts_source
# shellcheck disable=SC2086
make_sets "$tgt_corpus" $parts_target
