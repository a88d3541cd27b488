#!/usr/bin/env bash
# Abdelwahab & Busso (2018), "Domain Adversarial for Acoustic Emotion
# Recognition", IEEE/ACM TASLP 26(12): DANN for arousal / valence / dominance
# regression from a labelled source corpus to MSP-Podcast.
#
#   ./run.sh --src iemocap          IEMOCAP -> MSP-Podcast   (db.sh: IEMOCAP, MSP_PODCAST)
#   ./run.sh --src msp_improv       MSP-IMPROV -> MSP-Podcast (db.sh: MSP_IMPROV, MSP_PODCAST)
#   ./run.sh --src all              both pooled ("All"; each utterance normalised with its
#                                   own corpus' statistics) -> MSP-Podcast
#   ./run.sh --mini true            the synthetic pair mini_en -> mini_de, few epochs and
#                                   trials: every table and figure script, in minutes
#
# Stages: 0-3 data and IS13 features (TEMPLATE driver); 4 Table I systems
# (DANN with 1-4 shared layers) per attribute; 5 the number of shared layers
# chosen on target dev, then target / src (deep, that many layers) and
# target / src / dann (shallow: 1 shared + 1 task layer), plus DANN with the
# GRL switched on late (Fig. 7b, arousal); 6 tables and figures ->
# exp/<src>/tables.md and exp/<src>/figs/.
set -euo pipefail

src=iemocap             # iemocap | msp_improv | all
mini=false              # true: synthetic pair, small corpora, few epochs and trials
attributes="arousal valence dominance"
layers="1 2 3 4"        # shared-layer counts of Table I
stage=0
stop_stage=100
nj=2
datadir=data
dumpdir=dump
expdir=exp
device=cpu              # cpu | cuda: stages 4-5 on a GPU (through $cuda_cmd)
mini_sim_opts="--utts-per-speaker 12 --unlab-per-speaker 40"  # corpus size of --mini
mini_train_args="train.epochs=8 train.trials=3"               # epochs and trials of --mini
help_message=$(sed -n '2,19p' "$0")
. ./path.sh
. utils/parse_options.sh

if $mini; then
  # its own synthetic corpora (smaller than the main job's), own data and dumps
  export MINI_EN=${MINI_EN_PAPER1:-$PWD/downloads/mini_en}
  export MINI_DE=${MINI_DE_PAPER1:-$PWD/downloads/mini_de}
  tag=mini; source=mini_en; target=mini_de
  driver=(--corpora "synth:mini_en synth:mini_de" --simulate true
          --sim-opts "$mini_sim_opts")
  sets="mini_en_train mini_en_dev mini_en_test mini_de_train mini_de_dev mini_de_test mini_de_unlab"
  # all trials of a system as one batched model (train.vectorize): one process per system
  shared="$mini_train_args train.batch_size=32 adapt.grl.hold_epochs=1 train.vectorize=true"
  switch_epoch=4        # Fig. 7b: GRL off, then on (paper: after 20 of 100 epochs)
else
  case $src in
    iemocap|msp_improv) srcs=$src ;;
    all) srcs="iemocap msp_improv" ;;
    *) echo "$0: --src $src: use iemocap, msp_improv or all" >&2; exit 1 ;;
  esac
  tag=$src; source=$src; target=msp_podcast
  driver=(--corpora "$(for s in $srcs; do printf '%s:%s ' "$s" "$s"; done)msp_podcast:msp_podcast")
  sets="msp_podcast_train msp_podcast_dev msp_podcast_test msp_podcast_unlab"
  for s in $srcs; do sets="${s}_train ${s}_dev ${s}_test $sets"; done
  shared=
  switch_epoch=20
fi
common=(--nj "$nj" --datadir "$datadir" --dumpdir "$dumpdir" --expdir "$expdir" --device "$device" --feat is13
        --source "$source" --target "$target" "${driver[@]}")

if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 0 ]; then
  ./serda.sh "${common[@]}" --stage "$stage" --stop-stage 1
  if ! $mini; then for s in $srcs; do local/make_sets.sh "$s" "$datadir"; done; fi
  ./serda.sh "${common[@]}" --stage 2 --stop-stage 2 --feat-sets "$sets"
  if [ "$src" = all ]; then  # the pooled source, from the finished feature dirs
    for split in train dev test; do
      utils/combine_data.py "$dumpdir/is13/all_$split" $(for s in $srcs; do echo "$dumpdir/is13/${s}_$split"; done)
    done
    sets="$sets all_train all_dev all_test"
  fi
  ./serda.sh "${common[@]}" --stage 3 --stop-stage 3 --feat-sets "$sets"
fi

# stages 4-5 of the driver for one attribute and a list of systems
train_decode() {
  local a=$1; shift
  ./serda.sh "${common[@]}" --stage 4 --stop-stage 5 --tag "$tag/$a" \
    --shared-args "task.attribute=$a $shared" --systems "$*" \
    --decode-sets "target_test target_dev source_test"
}

if [ "$stage" -le 4 ] && [ "$stop_stage" -ge 4 ]; then
  for a in $attributes; do
    systems=
    for k in $layers; do systems="$systems dann_l$k=conf/dann.yaml,model.encoder.layers=$k"; done
    train_decode "$a" $systems
  done
fi

if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 5 ]; then
  for a in $attributes; do
    k=$(python local/tables.py best-layers --exp "$expdir/$tag/$a" --layers $layers)
    echo "$0: $a: $k shared layer(s) chosen on target dev (Table I)"
    shallow="model.encoder.layers=1,model.task_head.layers=1"
    systems="target_l$k=conf/target.yaml,model.encoder.layers=$k"
    systems="$systems src_l$k=conf/src.yaml,model.encoder.layers=$k"
    systems="$systems target_shallow=conf/target.yaml,$shallow"
    systems="$systems src_shallow=conf/src.yaml,$shallow"
    systems="$systems dann_shallow=conf/dann.yaml,$shallow"
    if [ "$a" = arousal ]; then
      systems="$systems dann_switch=conf/dann.yaml,adapt.grl.schedule=switch_on,adapt.grl.switch_epoch=$switch_epoch"
      l_max=${layers##* }   # Fig. 9 compares every layer of the deepest DANN with src
      [ "$k" = "$l_max" ] || systems="$systems src_l$l_max=conf/src.yaml,model.encoder.layers=$l_max"
    fi
    train_decode "$a" $systems
  done
fi

if [ "$stage" -le 6 ] && [ "$stop_stage" -ge 6 ]; then
  python local/tables.py tables --exp "$expdir/$tag" --attributes $attributes --layers $layers \
    --source "$src" $($mini && echo --mini) --out "$expdir/$tag/tables.md"
  figs=$expdir/$tag/figs
  k=$(python local/tables.py best-layers --exp "$expdir/$tag/arousal" --layers $layers)
  python -m serda.bin.plot_domain_acc --exp "$expdir/$tag/arousal" --systems "dann_l$k" dann_switch \
    --labels "GRL ramp from the start (Fig. 7a)" "GRL switched on at epoch $switch_epoch (Fig. 7b)" \
    --title "Domain classifier accuracy, $source -> $target, arousal" --out "$figs/fig7_domain_acc.png"
  python -m serda.bin.plot_tsne --systems "$expdir/$tag/arousal/src_l$k" "$expdir/$tag/arousal/dann_l$k" \
    --names "src" "dann" --title "Fig. 8: last shared layer, $source vs $target test (arousal)" \
    --out "$figs/fig8_tsne_last_layer.png"
  l_max=${layers##* }
  python -m serda.bin.plot_tsne --systems "$expdir/$tag/arousal/src_l$l_max" \
    "$expdir/$tag/arousal/dann_l$l_max" --layers all --names "src" "dann" \
    --title "Fig. 9: every shared layer of a $l_max-layer DANN, $source vs $target test (arousal)" \
    --out "$figs/fig9_tsne_per_layer.png"
  echo "$0: tables in $expdir/$tag/tables.md, figures in $figs/"
fi
