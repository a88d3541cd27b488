#!/usr/bin/env bash
# The data sets this recipe trains and tests on, made from stage 1's data dirs:
#   IEMOCAP:     <src>_train = sessions 1-4, <src>_dev = <src>_test = session 5
#   MSP-IMPROV:  <src>_train = sessions 1-5, <src>_dev = <src>_test = session 6
#   MSP-Podcast: msp_podcast_test = Test1 (train, dev, unlab as prepared)
# (the source dev/test sets are only monitored and plotted: model selection uses
# the last epoch and Table I uses Podcast dev, as in the paper)
set -euo pipefail
src=$1
data=${2:-data}
case $src in
  iemocap) train="ses1 ses2 ses3 ses4"; held=ses5 ;;
  msp_improv) train="ses1 ses2 ses3 ses4 ses5"; held=ses6 ;;
  *) echo "$0: unknown source '$src'" >&2; exit 1 ;;
esac
dirs=()
for s in $train; do dirs+=("$data/${src}_$s"); done
utils/combine_data.py "$data/${src}_train" "${dirs[@]}"
utils/copy_data_dir.py "$data/${src}_$held" "$data/${src}_dev"
utils/copy_data_dir.py "$data/${src}_$held" "$data/${src}_test"
utils/copy_data_dir.py "$data/msp_podcast_test1" "$data/msp_podcast_test"
utils/check_split_overlap.py "$data/${src}_train" "$data/${src}_dev"
