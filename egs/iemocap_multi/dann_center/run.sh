#!/usr/bin/env bash
# Gao et al. (ICASSP 2022), "Domain-invariant feature learning for cross corpus speech
# emotion recognition" (../../../../shared/papers/gao_dann_center_loss.txt): a CNN-BLSTM
# on spectrogram segments with domain heads (speaker / gender / language / corpus)
# behind one GRL and a center loss; Tables 2-4 and an embedding figure.
#
#   ./run.sh                  IEMOCAP, MSP-IMPROV, SAVEE, EmoDB   (db.sh: IEMOCAP,
#                             MSP_IMPROV, SAVEE, EMODB)
#   ./run.sh --mini true      the synthetic stand-in: three English corpora (dyadic
#                             hybrid, improvised dyads, 4 male actors in a studio) and
#                             acted German; a smaller network, fewer epochs and trials
#
# One call of the driver (../../TEMPLATE/serda.sh; its options pass through): 0-1 corpora
# and data dirs, then the sets (local/data.sh): each corpus whole, and split 80/20 by
# speaker (multi-corpus: the four 80 % parts pooled for training, the 20 % parts pooled
# for testing); the cross-corpus source (all of IEMOCAP) and target (the other three,
# unlabelled for training, tested per corpus); 2-3 spectrogram segments, z-normalised per
# corpus and bin; 4-5 the experiments of local/experiments.sh: multi-corpus and
# cross-corpus, binary arousal and valence, four systems each (baseline S, DANN_1 S,
# DANN_2 S, DANN_2 S+C); 6 RESULTS.md per experiment; 7 Tables 2-4 (UA per corpus) and
# the embedding figure -> exp/tables.md, exp/figs/ (local/report.sh).
set -euo pipefail

tasks="arousal valence"   # binary tasks (Tables 2-4 report both)
protocols="multi cross"   # multi-corpus (Table 2), cross-corpus (Tables 3-4)
trials=5                  # trials per system (the paper reports one run)
mini=false                # true: the synthetic stand-in
mini_sim_opts="--utts-per-speaker 16"   # corpus size of --mini
mini_trials=2             # trials of --mini
mini_train_args="train.epochs=10 model.encoder.channels=[4,8] model.encoder.pool_freq=4 model.encoder.pool_time=2 model.encoder.lstm=16 model.domain_head.hidden=32"
help_message=$(sed -n '2,20p' "$0")
pass_options=()           # the driver's options (--stage, --nj, --datadir, ...) go through
. ./path.sh
. utils/parse_options.sh
. utils/mini_roots.sh

if $mini; then
  mini_roots PAPER4 mini_dyad_en mini_improv_en mini_studio_en mini_acted_de
  src_corpus=mini_dyad_en; tgt_corpora="mini_improv_en mini_studio_en mini_acted_de"
  # all trials of a system as one batched model (train.vectorize): one process per system
  four_class=; exp_tag=mini; trials=$mini_trials; shared="$mini_train_args train.vectorize=true"
  corpora=(--corpora "synth:mini_dyad_en synth:mini_improv_en synth:mini_studio_en synth:mini_acted_de"
           --simulate true --sim-opts "$mini_sim_opts")
else
  src_corpus=iemocap; tgt_corpora="msp_improv savee emodb"
  four_class=msp_improv   # corpora cut to neutral / happy / angry / sad (Gao et al. Table 1)
  exp_tag=; shared=
  corpora=(--corpora "iemocap:iemocap msp_improv:msp_improv savee:savee emodb:emodb"
           --prep-opts "iemocap.four_class=true")
fi
# what the hooks in local/ read
export src_corpus tgt_corpora four_class exp_tag tasks protocols trials shared
# the sets of local/data.sh with features: each corpus whole (its normalisation
# statistics), the pooled multi-corpus and cross-corpus sets, the cross-corpus source
sets="${src_corpus}_xc_train xc_unlab xc_test multi_train multi_test"
for c in $src_corpus $tgt_corpora; do sets="$sets ${c}_all"; done

./serda.sh "${corpora[@]}" --feat spectrogram \
  --feat-opts "n_fft=512 frame_length_ms=25 frame_shift_ms=7.75 max_bins=129" \
  --feat-sets "$sets" --nj 2 --norm-fit-splits all "${pass_options[@]}"
