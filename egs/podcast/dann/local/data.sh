#!/usr/bin/env bash
# Stage 1 hook: the sets this recipe trains and tests on, from stage 1's data
# dirs (stage 2 gives them the splits' features, each session extracted once):
#   IEMOCAP:     <src>_train = sessions 1-4, <src>_dev = <src>_test = session 5
#   MSP-IMPROV:  <src>_train = sessions 1-5, <src>_dev = <src>_test = session 6
#   --src all:   all_{train,dev,test} = both sources pooled (stage 3 gives each
#                utterance its own corpus' statistics)
#   MSP-Podcast: msp_podcast_test = Test1 (train, dev, unlab as prepared)
# (the source dev/test sets are only monitored and plotted: model selection uses
# the last epoch and Table I uses Podcast dev, as in the paper). The synthetic
# pair of --mini needs no sets of its own.
# Reads (exported by run.sh and the driver): datadir src sources.
set -euo pipefail
[ -n "${sources:-}" ] || exit 0
for s in $sources; do
  case $s in
    iemocap) train="ses1 ses2 ses3 ses4"; held=ses5 ;;
    msp_improv) train="ses1 ses2 ses3 ses4 ses5"; held=ses6 ;;
  esac
  dirs=()
  for part in $train; do dirs+=("$datadir/${s}_$part"); done
  utils/combine_data.py "$datadir/${s}_train" "${dirs[@]}"
  utils/copy_data_dir.py "$datadir/${s}_$held" "$datadir/${s}_dev"
  utils/copy_data_dir.py "$datadir/${s}_$held" "$datadir/${s}_test"
  utils/check_split_overlap.py "$datadir/${s}_train" "$datadir/${s}_dev"
done
if [ "$src" = all ]; then
  for split in train dev test; do
    # shellcheck disable=SC2046
    utils/combine_data.py "$datadir/all_$split" $(for s in $sources; do echo "$datadir/${s}_$split"; done)
  done
fi
utils/copy_data_dir.py "$datadir/msp_podcast_test1" "$datadir/msp_podcast_test"
