#!/usr/bin/env bash
# Stage 1 hook: the sets of the CADA recipe, from the corpora's split data dirs.
#   <src>_<school>_{train,dev}   each source school (Aibo Ohm = train, Mont = test; the
#                                mini: its train and test speakers) dealt into
#                                $source_dev_folds gender-balanced speaker folds: the last
#                                is the source dev set (all-source's early stopping)
#   <src>_all                    every utterance of the source corpus (statistics)
#   <tgt>_all = <tgt>_tgt_test   the whole target corpus: statistics; the set the folds'
#                                test predictions pool over
#   <tgt>_cv<f>_{train,dev,test} speaker-dependent $target_folds-fold CV of random utterances,
#                                stratified by category; dev = 10 % of the training part
# Reads: datadir src_corpus tgt_corpus schools source_dev_folds target_folds.
set -euo pipefail
splits() { tr '\n' ' ' < "$datadir/local/$1.splits"; }
# shellcheck disable=SC2046
utils/combine_data.py "$datadir/${src_corpus}_all" $(for s in $(splits "$src_corpus"); do echo "$datadir/$s"; done)
for entry in $schools; do
  school=${entry%%:*}; split=${entry#*:}
  prefix=$datadir/${src_corpus}_${school}
  utils/make_cv_sets.py --speaker-folds "$source_dev_folds" --fold-prefix "${prefix}_spk" \
    "$datadir/$split" "${prefix}_spkcv" >/dev/null
  # shellcheck disable=SC2046
  utils/combine_data.py "${prefix}_train" $(for f in $(seq 1 $((source_dev_folds - 1))); do echo "${prefix}_spk$f"; done)
  utils/combine_data.py "${prefix}_dev" "${prefix}_spk${source_dev_folds}"
  rm -rf "${prefix}"_spkcv* "${prefix}"_spk[0-9]*
  utils/check_split_overlap.py "${prefix}_train" "${prefix}_dev"
done
# shellcheck disable=SC2046
utils/combine_data.py "$datadir/${tgt_corpus}_all" $(for s in $(splits "$tgt_corpus"); do echo "$datadir/$s"; done)
utils/copy_data_dir.py "$datadir/${tgt_corpus}_all" "$datadir/${tgt_corpus}_tgt_test"
utils/make_cv_sets.py --random-folds "$target_folds" --dev-share 0.1 --seed 1 --stratify utt2emo \
  "$datadir/${tgt_corpus}_all" "$datadir/${tgt_corpus}_cv"
