#!/usr/bin/env bash
# The experiments of this recipe, for the driver: `local/experiments.sh N`
# prints the options of experiment N (nothing after the last), or `wait` while
# experiment N needs the ones before it (the driver's $experiments_done). With A
# attributes:
#   1..A     Table I: DANN with 1-4 shared layers, per attribute (exp/<src>/<attribute>)
#   A+1..2A  Table II / III / Figs. 7-9, per attribute, with k shared layers
#            (--depths: the given number, or "dev": chosen on target dev from the
#            Table I systems, so these wait until those have been trained and
#            decoded; with a given number all 2A run at once): target_l<k>, src_l<k> (dann_l<k> is Table I's),
#            target / src / dann shallow (1 shared + 1 task layer); for arousal also
#            dann_switch (k layers, the GRL switched on late, Fig. 7b) and src_l<max>
#            (Fig. 9)
# Reads: expdir exp_tag src_name tgt_name attributes layers depths shared dann_args
# switch_epoch experiments_done.
set -euo pipefail
n=$1
read -ra attrs <<< "$attributes"
i=$(( (n - 1) % ${#attrs[@]} ))
[ "$n" -le $(( 2 * ${#attrs[@]} )) ] || exit 0
a=${attrs[$i]}
if [ "$n" -gt "${#attrs[@]}" ] && [ "$depths" = dev ] && [ "$experiments_done" -lt "${#attrs[@]}" ]; then
  echo wait
  exit 0
fi
systems=
if [ "$n" -le "${#attrs[@]}" ]; then
  for k in $layers; do systems="$systems dann_l$k=conf/dann.yaml,model.encoder.layers=$k$dann_args"; done
else
  # shellcheck disable=SC2086
  k=$(python local/tables.py depth --exp "$expdir/$exp_tag/$a" --layers $layers \
      --attribute "$a" --depths "$depths")
  shallow="model.encoder.layers=1,model.task_head.layers=1"
  systems="target_l$k=conf/target.yaml,model.encoder.layers=$k"
  systems="$systems src_l$k=conf/src.yaml,model.encoder.layers=$k"
  systems="$systems target_shallow=conf/target.yaml,$shallow"
  systems="$systems src_shallow=conf/src.yaml,$shallow"
  systems="$systems dann_shallow=conf/dann.yaml,$shallow$dann_args"
  if [ "$a" = arousal ]; then
    systems="$systems dann_switch=conf/dann.yaml,model.encoder.layers=$k,adapt.grl.schedule=switch_on,adapt.grl.switch_epoch=$switch_epoch$dann_args"
    l_max=${layers##* }   # Fig. 9 compares every layer of the deepest DANN with src
    [ "$k" = "$l_max" ] || systems="$systems src_l$l_max=conf/src.yaml,model.encoder.layers=$l_max"
  fi
fi
printf -- '--%s %q ' tag "$exp_tag/$a" source "$src_name" target "$tgt_name" systems "$systems" \
  shared-args "task.attribute=$a $shared" decode-sets "target_test target_dev source_test"
