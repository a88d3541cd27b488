#!/usr/bin/env bash
# Stage 1 hook: the sets of the cross-lingual recipe, per corpus c ($iem and $rec):
#   c_x_train, c_x_unlab   the whole corpus: training source; unlabelled target rows
#   c_x_dev, c_x_test      its speakers dealt into min(10, speakers) gender-balanced folds:
#                          folds 1-3 (~30 %) the target dev set ("30% of data from test set
#                          is used as the development set for early stopping"; speakers
#                          kept apart from the test part), the rest the target test set
#   c_sd_train, c_sd_dev   the source-dev alternative: the last fold (~10 %) held out
#   c_mono_{train,dev,test} the mono-lingual system's random 70 / 5 / 25 % of utterances
#                          ("70% samples are used for training, 25% for testing and 5% for
#                          early stopping")
# Reads: datadir iem rec.
set -euo pipefail
splits() { tr '\n' ' ' < "$datadir/local/$1.splits"; }
utts() { cut -d' ' -f1 "$1/utt2spk" | LC_ALL=C sort; }
for c in $iem $rec; do
  all=$datadir/${c}_all
  # shellcheck disable=SC2046
  utils/combine_data.py "$all" $(for s in $(splits "$c"); do echo "$datadir/$s"; done)
  utils/copy_data_dir.py "$all" "$datadir/${c}_x_train"
  utils/copy_data_dir.py "$all" "$datadir/${c}_x_unlab"
  n_spk=$(wc -l < "$all/spk2utt")
  folds=$(( n_spk < 10 ? n_spk : 10 ))
  prefix=$datadir/${c}_p5
  utils/make_cv_sets.py --speaker-folds "$folds" --fold-prefix "${prefix}_spk" "$all" \
    "${prefix}_cv" >/dev/null
  utils/combine_data.py "$datadir/${c}_x_dev" "${prefix}_spk1" "${prefix}_spk2" "${prefix}_spk3"
  # shellcheck disable=SC2046
  utils/combine_data.py "$datadir/${c}_x_test" $(for f in $(seq 4 "$folds"); do echo "${prefix}_spk$f"; done)
  # shellcheck disable=SC2046
  utils/combine_data.py "$datadir/${c}_sd_train" $(for f in $(seq 1 $((folds - 1))); do echo "${prefix}_spk$f"; done)
  utils/copy_data_dir.py "${prefix}_spk$folds" "$datadir/${c}_sd_dev"
  rm -rf "${prefix}"_*
  utils/check_split_overlap.py "$datadir/${c}_x_dev" "$datadir/${c}_x_test"
  utils/check_split_overlap.py "$datadir/${c}_sd_train" "$datadir/${c}_sd_dev"
  # mono: random utterances (the paper's "samples"), seeded
  n=$(wc -l < "$all/utt2spk")
  mono=$datadir/${c}_mono
  utils/subset_data_dir.py --random $(( n * 25 / 100 )) --seed 1 "$all" "${mono}_test"
  utts "$all" | LC_ALL=C comm -23 - <(utts "${mono}_test") > "$datadir/local/${c}_mono_rest.utts"
  utils/subset_data_dir.py --utt-list "$datadir/local/${c}_mono_rest.utts" "$all" "${mono}_rest"
  utils/subset_data_dir.py --random $(( n * 5 / 100 > 1 ? n * 5 / 100 : 2 )) --seed 2 \
    "${mono}_rest" "${mono}_dev"
  utts "${mono}_rest" | LC_ALL=C comm -23 - <(utts "${mono}_dev") > "$datadir/local/${c}_mono_train.utts"
  utils/subset_data_dir.py --utt-list "$datadir/local/${c}_mono_train.utts" "$all" "${mono}_train"
  rm -rf "${mono}_rest"
  echo "$0: $c: $n utterances; target dev $(wc -l < "$datadir/${c}_x_dev/utt2spk"), test" \
    "$(wc -l < "$datadir/${c}_x_test/utt2spk"); mono train / dev / test" \
    "$(wc -l < "${mono}_train/utt2spk") / $(wc -l < "${mono}_dev/utt2spk") / $(wc -l < "${mono}_test/utt2spk")"
done
