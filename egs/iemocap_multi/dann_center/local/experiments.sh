#!/usr/bin/env bash
# The experiments of the CNN-BLSTM recipe, for the driver: `local/experiments.sh N` prints
# the options of experiment N (nothing after the last): for each protocol of $protocols
# and task of $tasks (binary arousal / valence from the categories, Gao et al. Table 1)
#   multi   train on multi_train (every corpus' 80 %), test on multi_test; the domain
#           heads see the labelled rows, which span the four corpora
#   cross   train on all of $src_corpus, test on the other corpora (xc_test); the domain
#           heads see the source rows and as many unlabelled target rows (xc_unlab): with
#           the source alone the corpus and language heads would have one class
# the four systems of Tables 2-4 (rows named in conf/cnn_blstm.yaml).
# Reads: src_corpus exp_tag tasks protocols trials shared.
set -euo pipefail
n=$1
read -ra task_list <<< "$tasks"
read -ra protocol_list <<< "$protocols"
i=$((n - 1))
[ "$i" -lt $(( ${#task_list[@]} * ${#protocol_list[@]} )) ] || exit 0
protocol=${protocol_list[$((i / ${#task_list[@]}))]}
task=${task_list[$((i % ${#task_list[@]}))]}
conf=conf/cnn_blstm.yaml
heads1="[spk,corpus]"; heads2="[gender,lang,corpus]"
systems="baseline_s=$conf dann1_s=$conf,adapt.domain_heads=$heads1"
systems="$systems dann2_s=$conf,adapt.domain_heads=$heads2"
systems="$systems dann2_sc=$conf,adapt.domain_heads=$heads2,adapt.softmax_weight=0.5"
shared_args="task.label_args='{corpus: normalised, dimension: $task}' train.trials=$trials $shared"
if [ "$protocol" = multi ]; then
  source=multi; target=multi; shared_args="$shared_args adapt.domain_rows=labelled"
  title="Multi-corpus, $task: train on every corpus' 80 %, test on the 20 % (pooled)"
else
  source=${src_corpus}_xc; target=xc
  title="Cross-corpus, $task: train on $src_corpus, test on the other corpora (pooled)"
fi
printf -- '--%s %q ' tag "${exp_tag:+$exp_tag/}${protocol}_$task" source "$source" \
  target "$target" systems "$systems" baseline baseline_s decode-sets target_test \
  shared-args "$shared_args" report-opts "--metrics ua acc" title "$title"
