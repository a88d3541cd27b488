#!/usr/bin/env bash
# Stage 1 hook: per corpus c of $names
#   c_all                     the whole corpus (its normalisation statistics)
#   c_cv<f>_{train,dev,test}  min(5, speakers) gender-balanced speaker folds, fold f the
#                             test set, the next the dev set (within-corpus reference)
#   c_x_{train,dev}           the cross-corpus source: fold 2 held out as dev (model
#                             selection), the other folds train
#   c_x_{test,unlab}          the whole corpus: target test set and unlabelled target pool
# Reads: datadir names.
set -euo pipefail
splits() { tr '\n' ' ' < "$datadir/local/$1.splits"; }
for c in $names; do
  # shellcheck disable=SC2046
  utils/combine_data.py "$datadir/${c}_all" $(for s in $(splits "$c"); do echo "$datadir/$s"; done)
  n_spk=$(wc -l < "$datadir/${c}_all/spk2utt")
  folds=$(( n_spk < 5 ? n_spk : 5 ))
  [ "$folds" -ge 3 ] || { echo "$0: $c has $n_spk speakers; a speaker-independent train / dev / test needs 3" >&2; exit 1; }
  utils/make_cv_sets.py --speaker-folds "$folds" --fold-prefix "$datadir/${c}_spk" \
    "$datadir/${c}_all" "$datadir/${c}_cv" >/dev/null
  utils/combine_data.py "$datadir/${c}_x_train" "$datadir/${c}_cv1_train" "$datadir/${c}_cv1_test"
  utils/copy_data_dir.py "$datadir/${c}_cv1_dev" "$datadir/${c}_x_dev"
  utils/copy_data_dir.py "$datadir/${c}_all" "$datadir/${c}_x_test"
  utils/copy_data_dir.py "$datadir/${c}_all" "$datadir/${c}_x_unlab"
  rm -rf "$datadir/${c}_spk"[0-9]*
  echo "$folds" > "$datadir/local/${c}_cv.folds"
done
