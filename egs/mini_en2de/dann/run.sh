#!/usr/bin/env bash
# Synthetic English (acted, studio) -> synthetic German (natural, telephone):
# the mini pair every user can run without a licensed corpus. Reports the
# table of Abdelwahab & Busso (2018), Table II shape, for arousal:
# target (within-corpus upper bound), src (source only) and dann.
# Stages: see ../../TEMPLATE/serda.sh; options after run.sh are passed on.
set -euo pipefail

./serda.sh \
  --corpora "synth:mini_en synth:mini_de" \
  --simulate true \
  --nj 2 \
  --feat is13 \
  --feat-sets "mini_en_train mini_en_dev mini_en_test mini_de_train mini_de_dev mini_de_test mini_de_unlab" \
  --source mini_en --target mini_de \
  --systems "conf/target.yaml conf/src.yaml conf/dann.yaml" \
  --baseline src \
  --tag arousal \
  "$@"
