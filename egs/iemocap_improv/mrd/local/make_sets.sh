#!/usr/bin/env bash
# The sets of the MRD recipe, made from one corpus' finished feature dirs (its
# sessions, or the splits of a synthetic corpus) so nothing is extracted twice:
#
#   <c>_all           every part: the per-corpus z-norm statistics are fitted on it
#   <c>_src_train     all parts but the last   } the corpus as source
#   <c>_src_dev       the last part            } (model selection on src_dev)
#   <c>_tgt_test      = <c>_all                } the corpus as target: tested on
#   <c>_tgt_unlab     = <c>_all                } whole, its audio unlabelled for adaptation
#   <c>_cv<f>_{train,dev,test}                 train-on-target cross-validation:
#                     one fold per part (--speaker-folds N: N gender-balanced speaker folds)
#
# usage: local/make_sets.sh [--speaker-folds N] <feat-dir> <corpus> <part> <part> ...
#   e.g. local/make_sets.sh dump/is10 iemocap ses1 ses2 ses3 ses4 ses5
set -euo pipefail
speaker_folds=
. utils/parse_options.sh
[ $# -ge 4 ] || { echo "usage: $0 [--speaker-folds N] <feat-dir> <corpus> <part> <part> ..." >&2; exit 1; }
d=$1; c=$2; shift 2
parts=()
for p in "$@"; do parts+=("$d/${c}_$p"); done
last=${parts[-1]}

utils/combine_data.py "$d/${c}_all" "${parts[@]}"
utils/combine_data.py "$d/${c}_src_train" "${parts[@]:0:${#parts[@]}-1}"
utils/combine_data.py "$d/${c}_src_dev" "$last"
utils/combine_data.py "$d/${c}_tgt_test" "${parts[@]}"
utils/combine_data.py "$d/${c}_tgt_unlab" "${parts[@]}"
if [ -n "$speaker_folds" ]; then
  utils/make_cv_sets.py --speaker-folds "$speaker_folds" --fold-prefix "$d/${c}_fold" \
    "$d/${c}_all" "$d/${c}_cv"
else
  utils/make_cv_sets.py "${parts[@]}" "$d/${c}_cv"
fi
utils/check_split_overlap.py "$d/${c}_src_train" "$d/${c}_src_dev"
