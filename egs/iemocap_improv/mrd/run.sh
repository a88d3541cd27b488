#!/usr/bin/env bash
# "Maximum Regression Discrepancy" for cross-corpus valence regression from
# speech (the MRD paper, ../../../../shared/papers/mrd_valence_regression.txt):
# Table 1 and Fig. 2.
#
#   ./run.sh --src iemocap       IEMOCAP -> MSP-IMPROV   (db.sh: IEMOCAP, MSP_IMPROV)
#   ./run.sh --src msp_improv    MSP-IMPROV -> IEMOCAP   (features of the first run reused)
#   ./run.sh --mini true         synthetic mini_en -> mini_de: smaller network, few epochs
#                                and trials; every table and figure script, in minutes
#
# Stages: 0-1 corpora and data dirs; 2 IS10 features per session, then the
# source / target / cross-validation sets (local/make_sets.sh); 3 z-norm
# statistics per corpus, fitted on the whole corpus; 4 training: source-only,
# DANN, Deep CORAL, MRD (source train = all sessions but the last, which
# selects the epoch; target audio unlabelled) and train-on-target, one system
# per fold of a speaker-independent cross-validation over the target
# sessions; 5 decoding of the whole target corpus (folds: their test fold,
# then pooled); 6 exp/<tag>/RESULTS.md, exp/table1.md (every direction run so
# far, the paper's numbers beside) and exp/<tag>/figs/fig2_tsne_valence.png.
set -euo pipefail

src=iemocap             # iemocap | msp_improv: the source; the other corpus is the target
mini=false              # true: the synthetic pair
stage=0
stop_stage=100
nj=2
datadir=data
dumpdir=dump
expdir=exp
device=cpu              # cpu | cuda: stages 4-5 on a GPU (through $cuda_cmd)
mini_sim_opts="--utts-per-speaker 12 --unlab-per-speaker 0"  # corpus size of --mini
mini_folds=6            # --mini: target speaker folds of the train-on-target system
mini_train_args="train.epochs=20 train.trials=3"             # epochs and trials of --mini
# the paper's family at width 256 for the small corpora; dropout 0.5 and lr 2e-4 left the
# predictions nearly constant there, so dropout 0.2 and lr 1e-3
mini_model_args="model.encoder.hidden=256 model.task_head.hidden=256 model.task_head2.hidden=256
  model.domain_head.hidden=256 model.encoder.dropout=0.2 model.task_head.dropout=0.2
  model.task_head2.dropout=0.2 model.domain_head.dropout=0.2 optim.lr=1e-3 train.batch_size=32"
help_message=$(sed -n '2,19p' "$0")
. ./path.sh
. utils/parse_options.sh

feat=is10
if $mini; then
  export MINI_EN=${MINI_EN_PAPER2:-$PWD/downloads/mini_en}
  export MINI_DE=${MINI_DE_PAPER2:-$PWD/downloads/mini_de}
  source=mini_en; target=mini_de; tag=mini
  driver=(--corpora "synth:mini_en synth:mini_de" --simulate true --sim-opts "$mini_sim_opts")
  parts_of() { echo "train dev test"; }
  fold_opts=(--speaker-folds "$mini_folds")
  # all trials of a system as one batched model: one process per system
  shared="$(echo $mini_train_args $mini_model_args) train.vectorize=true"
else
  case $src in
    iemocap) source=iemocap; target=msp_improv ;;
    msp_improv) source=msp_improv; target=iemocap ;;
    *) echo "$0: --src $src: use iemocap or msp_improv" >&2; exit 1 ;;
  esac
  tag=${source}_to_${target}
  driver=(--corpora "iemocap:iemocap msp_improv:msp_improv")
  parts_of() { case $1 in iemocap) echo ses{1..5} ;; msp_improv) echo ses{1..6} ;; esac; }
  fold_opts=()
  shared=
fi
feats=$dumpdir/$feat
common=(--nj "$nj" --datadir "$datadir" --dumpdir "$dumpdir" --expdir "$expdir" --device "$device" --feat "$feat"
        "${driver[@]}")
sets_of() { local c=$1 p; for p in $(parts_of "$c"); do echo "${c}_$p"; done; }
# every feature dir of the two corpora, derived sets included
all_sets() { (cd "$feats" && ls -d "${source}"_*/ "${target}"_*/ | sed 's:/$::'); }

if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 0 ]; then
  ./serda.sh "${common[@]}" --stage "$stage" --stop-stage 2 \
    --feat-sets "$(sets_of "$source") $(sets_of "$target")"
  # both corpora in both roles: the other direction needs no new sets
  local/make_sets.sh "$feats" "$source" $(parts_of "$source")
  local/make_sets.sh "${fold_opts[@]}" "$feats" "$target" $(parts_of "$target")
fi

if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 3 ]; then
  ./serda.sh "${common[@]}" --stage 3 --stop-stage 3 --feat-sets "$(all_sets)" \
    --norm-fit-splits all
fi

systems="source_only=conf/source_only.yaml dann=conf/dann.yaml coral=conf/coral.yaml mrd=conf/mrd.yaml"
folds=$(cd "$feats" && ls -d "${target}"_cv*_test 2>/dev/null | sed -e "s/^${target}_cv//" -e 's/_test$//' | sort -n)
if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 4 ]; then
  first=$(( stage > 4 ? stage : 4 )); last=$(( stop_stage < 5 ? stop_stage : 5 ))
  ./serda.sh "${common[@]}" --stage "$first" --stop-stage "$last" --tag "$tag" \
    --source "${source}_src" --target "${target}_tgt" --systems "$systems" \
    --shared-args "$shared" --decode-sets "target_test source_dev"
  [ -n "$folds" ] || { echo "$0: no $feats/${target}_cv<f>_test sets (run stage 2)" >&2; exit 1; }
  for f in $folds; do
    ./serda.sh "${common[@]}" --stage "$first" --stop-stage "$last" --tag "$tag/target_cv" \
      --source "${source}_src" --target "${target}_cv$f" --systems "cv$f=conf/target.yaml" \
      --shared-args "$shared" --decode-sets target_test
  done
  if [ "$last" -ge 5 ]; then
    # shellcheck disable=SC2046
    python -m serda.bin.pool_folds --folds $(for f in $folds; do echo "$expdir/$tag/target_cv/cv$f"; done) \
      --set target_test --data "$feats/${target}_tgt_test" --out "$expdir/$tag/target"
  fi
fi

if [ "$stage" -le 6 ] && [ "$stop_stage" -ge 6 ]; then
  python -m serda.bin.report --exp "$expdir/$tag" --systems source_only target dann coral mrd \
    --baseline source_only --set target_test --metrics pr ccc --percent \
    --title "MRD paper, Table 1 systems: $source -> $target, valence"
  python local/table1.py --exp "$expdir" --out "$expdir/table1.md"
  python -m serda.bin.plot_tsne --systems "$expdir/$tag/source_only" "$expdir/$tag/mrd" \
    --names "Source-only" "MRD" --sets source_dev target_test --color domain_label \
    --title "Fig. 2: encoder output (t-SNE), source $source (dev) vs target $target; valence low / high = below / above the middle of the scale" \
    --out "$expdir/$tag/figs/fig2_tsne_valence.png"
  echo "$0: $expdir/$tag/RESULTS.md, $expdir/table1.md, $expdir/$tag/figs/fig2_tsne_valence.png"
fi
