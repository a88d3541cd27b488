#!/usr/bin/env bash
# Synthetic English -> synthetic German, valence regression: the table of the
# MRD paper (maximum regression discrepancy; Table 1 shape) on the mini pair:
# source-only, train-on-target, DANN, Deep CORAL and MRD on one network family,
# IS10 features z-normalised per corpus, PR and CCC in %.
# Stages: see ../../TEMPLATE/serda.sh; options after run.sh are passed on.
set -euo pipefail

./serda.sh \
  --corpora "synth:mini_en synth:mini_de" \
  --simulate true \
  --nj 2 \
  --feat is10 \
  --feat-sets "mini_en_train mini_en_dev mini_en_test mini_de_train mini_de_dev mini_de_test mini_de_unlab" \
  --source mini_en --target mini_de \
  --systems "conf/source_only.yaml conf/target.yaml conf/dann.yaml conf/coral.yaml conf/mrd.yaml" \
  --baseline source_only \
  --tag valence \
  --report-opts "--metrics pr ccc --percent" \
  "$@"
