#!/usr/bin/env bash
# The experiments of the MRD recipe, for the driver: `local/experiments.sh N`
# prints the options of experiment N (nothing after the last).
#   1  Source-only, DANN, Deep CORAL, MRD: source <src>_src (train = all sessions
#      but the last, dev = the last), target <tgt>_tgt (the whole corpus: test,
#      and unlabelled adaptation data)
#   2  Train-on-target: speaker-independent cross-validation over the target
#      folds <tgt>_cv<f>, the folds' tests pooled over the whole corpus
# Reads: datadir src_corpus tgt_corpus exp_tag shared (run.sh, the driver).
set -euo pipefail
n=$1
systems="source_only=conf/source_only.yaml dann=conf/dann.yaml coral=conf/coral.yaml mrd=conf/mrd.yaml"
title="MRD paper, Table 1 systems: $src_corpus -> $tgt_corpus, valence"
case $n in
  1) printf -- '--%s %q ' tag "$exp_tag" source "${src_corpus}_src" target "${tgt_corpus}_tgt" \
       systems "$systems" baseline source_only shared-args "$shared" title "$title" \
       decode-sets "target_test source_dev" report-opts "--metrics pr ccc --percent" ;;
  2) folds=$(cd "$datadir" && ls -d "${tgt_corpus}"_cv*_test | sed -e "s/^${tgt_corpus}_cv//" -e 's/_test$//' \
             | sort -n | tr '\n' ' ')
     printf -- '--%s %q ' tag "$exp_tag" source "${src_corpus}_src" target "${tgt_corpus}_cv" \
       folds "$folds" pool-set "${tgt_corpus}_tgt_test" systems "target=conf/target.yaml" \
       baseline source_only shared-args "$shared" title "$title" decode-sets target_test \
       report-opts "--metrics pr ccc --percent" ;;
esac
