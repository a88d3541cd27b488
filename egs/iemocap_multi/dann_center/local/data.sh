#!/usr/bin/env bash
# Stage 1 hook: the sets of the CNN-BLSTM recipe, from the corpora's split data dirs.
#   <c>_all               each corpus whole (the corpora of $four_class cut to neutral /
#                         happy / angry / sad first): its normalisation statistics
#   multi_{train,test}    multi-corpus (Gao et al. Sec. 3.2: "we split all four datasets
#                         into train set (80%) and test set (20%) ... no speaker-overlap"):
#                         each corpus' speakers dealt into min(5, speakers) gender-balanced
#                         folds, the last fold its test part (SAVEE's 4 speakers: 3 + 1);
#                         the train parts pooled, the test parts pooled
#   <src>_xc_train        cross-corpus source: all of $src_corpus ("the model is trained
#                         only on the IEMOCAP")
#   xc_unlab, xc_test     cross-corpus target: the other corpora pooled; unlab (their audio,
#                         no labels) for the domain heads, test scored per corpus
# Reads: datadir src_corpus tgt_corpora four_class.
set -euo pipefail
splits() { tr '\n' ' ' < "$datadir/local/$1.splits"; }
multi_train=(); multi_test=(); targets=()
for c in $src_corpus $tgt_corpora; do
  # shellcheck disable=SC2046
  utils/combine_data.py "$datadir/${c}_all" $(for s in $(splits "$c"); do echo "$datadir/$s"; done)
  if [[ " $four_class " == *" $c "* ]]; then
    awk '$2 == "neu" || $2 == "hap" || $2 == "ang" || $2 == "sad"' \
      "$datadir/${c}_all/utt2emo" > "$datadir/local/${c}_four_class.utts"
    echo "$0: $c: $(wc -l < "$datadir/local/${c}_four_class.utts") of" \
      "$(wc -l < "$datadir/${c}_all/utt2emo") utterances are neutral, happy, angry or sad"
    utils/subset_data_dir.py --utt-list "$datadir/local/${c}_four_class.utts" \
      "$datadir/${c}_all" "$datadir/${c}_four"
    rm -rf "$datadir/${c}_all" && mv "$datadir/${c}_four" "$datadir/${c}_all"
  fi
  n_spk=$(wc -l < "$datadir/${c}_all/spk2utt")
  folds=$(( n_spk < 5 ? n_spk : 5 ))
  prefix=$datadir/${c}_p4
  utils/make_cv_sets.py --speaker-folds "$folds" --fold-prefix "${prefix}_spk" \
    "$datadir/${c}_all" "${prefix}_cv" >/dev/null
  # shellcheck disable=SC2046
  utils/combine_data.py "${prefix}_train" $(for f in $(seq 1 $((folds - 1))); do echo "${prefix}_spk$f"; done)
  utils/copy_data_dir.py "${prefix}_spk$folds" "${prefix}_test"
  utils/check_split_overlap.py "${prefix}_train" "${prefix}_test"
  multi_train+=("${prefix}_train"); multi_test+=("${prefix}_test")
  [ "$c" = "$src_corpus" ] || targets+=("$datadir/${c}_all")
done
utils/combine_data.py "$datadir/multi_train" "${multi_train[@]}"
utils/combine_data.py "$datadir/multi_test" "${multi_test[@]}"
for c in $src_corpus $tgt_corpora; do rm -rf "$datadir/${c}_p4"_*; done
utils/copy_data_dir.py "$datadir/${src_corpus}_all" "$datadir/${src_corpus}_xc_train"
utils/combine_data.py "$datadir/xc_unlab" "${targets[@]}"
utils/copy_data_dir.py "$datadir/xc_unlab" "$datadir/xc_test"
