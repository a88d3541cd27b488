#!/usr/bin/env bash
# Stage 7 hook: Tables I-III (exp/<src>/tables.md) and Figs. 7-9 (exp/<src>/figs/).
# Reads: expdir exp_tag src src_name tgt_name attributes layers depths switch_epoch.
set -euo pipefail
exp=$expdir/$exp_tag
mini=$([ "$exp_tag" = mini ] && echo --mini || true)
# shellcheck disable=SC2086
python local/tables.py tables --exp "$exp" --attributes $attributes --layers $layers \
  --depths "$depths" --source "$src" $mini --out "$exp/tables.md"
figs=$exp/figs
# shellcheck disable=SC2086
k=$(python local/tables.py depth --exp "$exp/arousal" --layers $layers --attribute arousal \
    --depths "$depths")
hold=$(python -m serda.bin.resolve_config --conf "$exp/arousal/dann_l$k/config.yaml" --out /dev/null \
       --print adapt.grl.hold_epochs --check)
python -m serda.bin.plot_domain_acc --exp "$exp/arousal" --systems "dann_l$k" dann_switch \
  --labels "lambda 0 for $hold epoch(s), then Ganin's ramp to 1 (Fig. 7a)" \
           "lambda 0, then 1 from epoch $switch_epoch (Fig. 7b)" \
  --title "Domain classifier accuracy, $src_name -> $tgt_name, arousal" --out "$figs/fig7_domain_acc.png"
python -m serda.bin.plot_tsne --systems "$exp/arousal/src_l$k" "$exp/arousal/dann_l$k" \
  --names "src" "dann" --title "Fig. 8: last shared layer, $src_name vs $tgt_name test (arousal)" \
  --out "$figs/fig8_tsne_last_layer.png"
l_max=${layers##* }
python -m serda.bin.plot_tsne --systems "$exp/arousal/src_l$l_max" \
  "$exp/arousal/dann_l$l_max" --layers all --names "src" "dann" \
  --title "Fig. 9: every shared layer of a $l_max-layer DANN, $src_name vs $tgt_name test (arousal)" \
  --out "$figs/fig9_tsne_per_layer.png"
echo "$0: tables in $exp/tables.md, figures in $figs/"
