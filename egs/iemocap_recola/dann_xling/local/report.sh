#!/usr/bin/env bash
# Stage 7 hook: Tables 1-3 (exp[/mini]/tables.md), Fig. 2 (PCA of the representation of
# source and target rows, base vs our, coloured by language and by emotion) and Fig. 3
# (our system's domain loss, domain UAR and dev emotion UAR per epoch), both from the
# first direction and task (the paper: "Rec2Iem arousal") -> exp[/mini]/figs/.
# Reads: expdir exp_tag directions tasks.
set -euo pipefail
exp=$expdir${exp_tag:+/$exp_tag}
# shellcheck disable=SC2086
python local/tables.py --exp "$exp" --directions $directions --tasks $tasks --out "$exp/tables.md"
read -ra d <<< "$directions"; read -ra t <<< "$tasks"
first=$exp/${d[0]}_${t[0]}
for colour in domain label; do
  python -m serda.bin.plot_tsne --systems "$first/base" "$first/our" --names base our \
    --sets source_train target_test --projection pca --color "$colour" --threshold 0.5 \
    --title "${d[0]} ${t[0]}: PCA of the representation (language = source / target set)" \
    --out "$exp/figs/fig2_pca_$([ "$colour" = domain ] && echo language || echo emotion).png"
done
python local/curves.py --system "$first/our" --out "$exp/figs/fig3_curves.png" \
  --title "${d[0]} ${t[0]}, our (BN1): language loss, language UAR, dev emotion UAR"
echo "$0: $exp/tables.md, $exp/figs/"
