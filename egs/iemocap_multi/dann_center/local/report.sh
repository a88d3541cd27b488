#!/usr/bin/env bash
# Stage 7 hook: Tables 2-4 (exp[/mini]/tables.md) and the embedding figure: t-SNE of the
# utterance embeddings (the encoder output, segments averaged per utterance) of the
# multi-corpus test set, baseline vs DANN_2 S+C, coloured by corpus and by class
# (exp[/mini]/figs/embeddings_<task>_{corpus,class}.png).
# Reads: expdir exp_tag src_corpus tgt_corpora tasks protocols.
set -euo pipefail
exp=$expdir${exp_tag:+/$exp_tag}
# shellcheck disable=SC2086
python local/tables.py --exp "$exp" --source "$src_corpus" --targets $tgt_corpora \
  --tasks $tasks --protocols $protocols --out "$exp/tables.md"
for protocol in $protocols; do
  [ "$protocol" = multi ] || continue
  for task in $tasks; do
    for colour in attr:corpus label; do
      python -m serda.bin.plot_tsne --systems "$exp/multi_$task/baseline_s" "$exp/multi_$task/dann2_sc" \
        --names "Baseline S" "DANN_2 S+C" --sets target_test --layers last --color "$colour" \
        --title "Multi-corpus $task: utterance embeddings of the test set (t-SNE)" \
        --out "$exp/figs/embeddings_${task}_$([ "$colour" = label ] && echo class || echo corpus).png"
    done
  done
done
echo "$0: $exp/tables.md, $exp/figs/"
