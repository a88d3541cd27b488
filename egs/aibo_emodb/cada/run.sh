#!/usr/bin/env bash
# Zhou & Chen (2019), "Transferable positive/negative speech emotion recognition via
# class-wise adversarial domain adaptation" (ICASSP; ../../../../shared/papers/zhou_chen_cada.txt):
# few-shot supervised DA from FAU Aibo (Ohm or Mont school) to EmoDB, Tables 2-3 and
# Figs. 2-3.
#
#   ./run.sh                  Aibo-Ohm -> EmoDB (Table 2, Fig. 2) and Aibo-Mont -> EmoDB
#                             (Table 3, Fig. 3)            (db.sh: AIBO, EMODB)
#   ./run.sh --mini true      the synthetic stand-in: spontaneous children's German (two
#                             "schools") -> acted adult German; fewer trials and shots
#
# One call of the driver (../../TEMPLATE/serda.sh; its options pass through): 0-1 corpora
# and data dirs, then the sets (local/data.sh): each Aibo school split 9 : 1 by speaker
# into source train / dev, EmoDB dealt into 5 random stratified folds whose training parts
# hold out 10 % for early stopping; 2-3 GeMAPS, min-max per corpus; 4-5 the experiments of
# local/experiments.sh: all-target (5-fold CV) and per school all-source, then per school
# fine-tune (from all-source), FADA, CADA and label-target for every k of --shots and --curve-shots labelled
# target examples per class (5-fold CV, all folds and trials of a system as one batched
# model, the folds' tests pooled over all of EmoDB); 6 RESULTS.md per school; 7 Tables 2-3
# and Figs. 2-3 -> exp/tables.md, exp/figs/ (local/report.sh).
set -euo pipefail

mini=false              # true: the synthetic stand-in
shots="2 4 6 8 10 12"   # k labelled target examples per class: the tables' columns
curve_shots="20 30 40 50"  # further k of the figures (label-target is reported from k > 10)
target_folds=5          # target cross-validation folds
trials=20               # trials per system (paper: 20)
mini_sim_opts=          # corpus size of --mini (options of serda.bin.simulate_corpus)
mini_shots="2 4 8"      # k of --mini
mini_curve_shots="16"   # further k of --mini's figures
mini_trials=3           # trials of --mini
mini_train_args="train.epochs=40"
help_message=$(sed -n '2,20p' "$0")
pass_options=()         # the driver's options (--stage, --nj, --datadir, ...) go through
. ./path.sh
. utils/parse_options.sh

if $mini; then
  export MINI_CHILD_DE=${MINI_CHILD_DE_PAPER3:-$PWD/downloads/mini_child_de}
  export MINI_ACTED_DE=${MINI_ACTED_DE_PAPER3:-$PWD/downloads/mini_acted_de}
  src_corpus=mini_child_de; tgt_corpus=mini_acted_de; exp_tag=mini
  schools="ohm:mini_child_de_train mont:mini_child_de_test"   # the two speaker splits
  source_dev_folds=4    # source dev = 1 of 4 speaker folds of a school
  shots=$mini_shots; curve_shots=$mini_curve_shots; trials=$mini_trials
  shared=$mini_train_args
  corpora=(--corpora "synth:mini_child_de synth:mini_acted_de" --simulate true
           --sim-opts "$mini_sim_opts")
else
  src_corpus=aibo; tgt_corpus=emodb; exp_tag=
  schools="ohm:aibo_train mont:aibo_test"   # the corpus module's Ohm = train, Mont = test
  source_dev_folds=10   # source dev = 1 of 10 speaker folds of a school (~10 %)
  shared=
  corpora=(--corpora "aibo:aibo emodb:emodb" --prep-opts "aibo.classes=2")
fi
# what the hooks in local/ read
export src_corpus tgt_corpus exp_tag schools source_dev_folds shots curve_shots target_folds trials shared

./serda.sh "${corpora[@]}" --feat gemaps --nj 2 --norm-fit-splits all "${pass_options[@]}"
