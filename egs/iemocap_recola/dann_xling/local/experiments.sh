#!/usr/bin/env bash
# The experiments of the cross-lingual recipe, for the driver: `local/experiments.sh N`
# prints the options of experiment N (nothing after the last). For each direction of
# $directions and task of $tasks, three experiments:
#   <dir>_<task>          Tables 1-3: base, our (BN1), base_nobn, our_nobn, bn2, bn3, bn4 on
#                         the whole source corpus, early stopping on the target dev set
#                         (target labels, as the paper), scored on the target test set
#   <dir>_<task>_srcdev   base and our again, early stopping on held-out source speakers
#                         (no target label anywhere)
#   <dir>_<task>_mono     mono: the base model trained on 70 % of the target corpus (5 % for
#                         early stopping), scored on the other 25 %
# The weight penalty follows the corpus trained on: L1 for RECOLA, L2 for IEMOCAP (5e-3).
# Reads: iem rec exp_tag directions tasks trials shared.
set -euo pipefail
n=$1
read -ra direction_list <<< "$directions"
read -ra task_list <<< "$tasks"
i=$((n - 1)); per=$(( ${#task_list[@]} * 3 ))
[ "$i" -lt $(( ${#direction_list[@]} * per )) ] || exit 0
direction=${direction_list[$((i / per))]}
task=${task_list[$(( (i % per) / 3 ))]}
kind=$(( i % 3 ))
penalty() { [ "$1" = "$rec" ] && echo "optim.l1=5e-3" || echo "optim.l2=5e-3"; }
case $direction in
  rec2iem) src=$rec; tgt=$iem ;;
  iem2rec) src=$iem; tgt=$rec ;;
  *) echo "$0: unknown direction '$direction' (rec2iem, iem2rec)" >&2; exit 1 ;;
esac
conf=conf/xling.yaml
base="base=$conf,adapt.adversarial=false"
tag=${exp_tag:+$exp_tag/}${direction}_$task
common="task.attribute=$task train.trials=$trials"
case $kind in
  0) systems="$base our=$conf base_nobn=$conf,adapt.adversarial=false,adapt.bn=none"
     systems="$systems our_nobn=$conf,adapt.bn=none bn2=$conf,adapt.bn=bn2"
     systems="$systems bn3=$conf,adapt.bn=bn3 bn4=$conf,adapt.bn=bn4"
     args=(tag "$tag" source "${src}_x" target "${tgt}_x" systems "$systems" baseline base
           shared-args "$common $(penalty "$src") $shared"
           title "$direction $task: $src -> $tgt, early stopping on the target dev set (as the paper)") ;;
  1) args=(tag "${tag}_srcdev" source "${src}_sd" target "${tgt}_x" systems "$base our=$conf"
           baseline base shared-args "$common train.select=source_dev $(penalty "$src") $shared"
           title "$direction $task: $src -> $tgt, early stopping on held-out source speakers") ;;
  2) args=(tag "${tag}_mono" source "${tgt}_mono" target "${tgt}_mono" systems "mono=$conf,adapt.adversarial=false"
           shared-args "$common train.select=source_dev $(penalty "$tgt") $shared"
           title "$direction $task mono: $tgt 70 % -> $tgt 25 %") ;;
esac
printf -- '--%s %q ' "${args[@]}" decode-sets target_test report-opts "--metrics ua acc"
