#!/usr/bin/env bash
# Cai et al. (Interspeech 2021), "Unsupervised cross-lingual speech emotion recognition
# using domain adversarial neural network" (../../../../shared/papers/cai_crosslingual_dann.txt):
# a conv-attention encoder, a language classifier behind a GRL, and where BatchNorm sits;
# IEMOCAP (English) <-> RECOLA (French), binary arousal and valence; Tables 1-3, Fig. 2
# (PCA of the representation), Fig. 3 (training curves).
#
#   ./run.sh                  RECOLA -> IEMOCAP and IEMOCAP -> RECOLA   (db.sh: IEMOCAP, RECOLA)
#   ./run.sh --mini true      the synthetic stand-in: spontaneous French dyads <-> hybrid
#                             English dyads; a narrower encoder, fewer epochs and trials
#
# One call of the driver (../../TEMPLATE/serda.sh; its options pass through): 0-1 corpora
# and data dirs, then the sets (local/data.sh): each corpus whole (a source, and the
# unlabelled target), its speakers split 30 / 70 % into the target dev set (early stopping,
# as the paper) and the target test set, 90 / 10 % into a source train / dev pair (the
# source-dev selection beside the paper's), and its utterances 70 / 5 / 25 % for the
# mono-lingual system; 2-3 26 log-Mel filterbanks, z-normalised per corpus; 4-5 the
# experiments of local/experiments.sh per direction and task; 6 RESULTS.md per experiment;
# 7 Tables 1-3 and Figs. 2-3 -> exp/tables.md, exp/figs/ (local/report.sh).
set -euo pipefail

directions="rec2iem iem2rec"   # Rec2Iem: train on RECOLA, test on IEMOCAP; Iem2Rec the reverse
tasks="arousal valence"
trials=5                       # seeds per system (the paper: five)
mini=false                     # true: the synthetic stand-in
mini_sim_opts="--utts-per-speaker 16"
mini_trials=2
mini_train_args="train.epochs=10 model.encoder.filters=64"
help_message=$(sed -n '2,19p' "$0")
pass_options=()                # the driver's options (--stage, --nj, --datadir, ...) go through
. ./path.sh
. utils/parse_options.sh
. utils/mini_roots.sh

if $mini; then
  mini_roots PAPER5 mini_dyad_en mini_dyad_fr
  # all trials of a system as one batched model (train.vectorize): one process per system
  iem=mini_dyad_en; rec=mini_dyad_fr; exp_tag=mini; trials=$mini_trials
  shared="$mini_train_args train.vectorize=true"
  corpora=(--corpora "synth:mini_dyad_en synth:mini_dyad_fr" --simulate true
           --sim-opts "$mini_sim_opts")
else
  iem=iemocap; rec=recola; exp_tag=; shared=
  corpora=(--corpora "iemocap:iemocap recola:recola")
fi
# what the hooks in local/ read
export iem rec exp_tag directions tasks trials shared
sets=
for c in $iem $rec; do
  for s in x_train x_dev x_test x_unlab sd_train sd_dev mono_train mono_dev mono_test; do
    sets="$sets ${c}_$s"
  done
done

./serda.sh "${corpora[@]}" --feat fbank --feat-opts "num_bins=26" --feat-sets "$sets" \
  --nj 2 --norm-fit-splits "x_train" "${pass_options[@]}"
