#!/usr/bin/env bash
# Stage 7 hook: Table 1 in the paper's layout (every direction run so far) and
# Fig. 2 (t-SNE of the encoder output, Source-only vs MRD, low / high valence).
# Reads: expdir src_corpus tgt_corpus exp_tag (run.sh, the driver).
set -euo pipefail
python local/table1.py --exp "$expdir" --out "$expdir/table1.md"
python -m serda.bin.plot_tsne --systems "$expdir/$exp_tag/source_only" "$expdir/$exp_tag/mrd" \
  --names "Source-only" "MRD" --sets source_dev target_test --color domain_label \
  --title "Fig. 2: encoder output (t-SNE), source $src_corpus (dev) vs target $tgt_corpus; valence low / high = below / above the middle of the scale" \
  --out "$expdir/$exp_tag/figs/fig2_tsne_valence.png"
echo "$0: $expdir/$exp_tag/RESULTS.md, $expdir/table1.md, $expdir/$exp_tag/figs/fig2_tsne_valence.png"
