#!/usr/bin/env bash
# Extracts features of a data directory in parallel jobs (Kaldi's
# steps/make_mfcc.sh, for any serda feature).
#
# usage: utils/make_feats.sh [--nj 4] [--cmd utils/run.py] [--feat is13]
#                            [--feat-opts "num_bins=26 ..."] <src-data> <dest-data>
#
# <dest-data> becomes a copy of <src-data> with feats.scp (+ utt2num_frames
# for frame features); arks go to <dest-data>/data/, job logs to
# <dest-data>/log/. Utterances without usable audio are listed in
# <dest-data>/bad_utts and left out of every table. <src-data> must be a
# consistent data dir (utils/validate_data_dir.py; e.g. no wav.scp line
# without its utt2spk line). A finished <dest-data> (same source and options)
# is skipped; an unfinished one is completed whatever --nj is now: the shards
# that had finished are kept and only the utterances none of them holds are
# extracted.
set -euo pipefail

nj=4
cmd=utils/run.py
feat=is13
feat_opts=
help_message=$(sed -n '2,14p' "$0")
. utils/parse_options.sh

if [ $# -ne 2 ]; then echo "$help_message" >&2; exit 1; fi
src=$1
dest=$2
[[ $nj =~ ^[0-9]+$ ]] && [ "$nj" -ge 1 ] || { echo "$0: --nj takes a whole number >= 1, not '$nj'" >&2; exit 1; }

# a feature name or option that does not exist stops here, in one line, before any job
# shellcheck disable=SC2086
python -m serda.features.spec check "$feat" $feat_opts || exit 1
[ -f "$src/utt2spk" ] || { echo "$0: $src/utt2spk not found (run data preparation first)" >&2; exit 1; }
# tables that disagree (a wav.scp line without utt2spk, an utt2spk line without
# audio) would lose utterances silently: refuse them, naming each one
utils/validate_data_dir.py --no-check-audio --no-check-feats "$src" >/dev/null || {
  echo "$0: $src is not a consistent data dir (see above; utils/fix_data_dir.py repairs it)" >&2
  exit 1; }
# the utterance list, wav.scp, segments and the size and mtime of each audio
# file: regenerated audio under the same paths is extracted again; a changed
# label or speaker table is copied over without extracting anything
stamp="feat=$feat opts=$feat_opts src=$(python -m serda.data.fingerprint "$src")"
if [ -f "$dest/.done" ] && [ "$(cat "$dest/.done")" = "$stamp" ]; then
  echo "$0: $dest is complete ($feat), skipping"
  python -m serda.data.refresh "$src" "$dest"
  # shellcheck disable=SC2086
  [ -f "$dest/features.yaml" ] || python -m serda.features.spec write "$dest" "$feat" $feat_opts
  exit 0
fi
if [ -f "$dest/.stamp" ] && [ "$(cat "$dest/.stamp")" != "$stamp" ]; then
  echo "$0: $dest was made from other data or options; starting it again"
  rm -rf "$dest"
fi
mkdir -p "$dest/log" "$dest/data"
echo "$stamp" > "$dest/.stamp"
rm -rf "$dest/.done" "$dest/bad_utts" "$dest/todo"

utils/copy_data_dir.py "$src" "$dest" >/dev/null
# the utterances no finished shard of an earlier, interrupted run holds
read -r n run < <(python -m serda.bin.merge_feats todo "$dest" "$dest/todo")
[ -n "$run" ] || { echo "$0: could not plan the extraction of $dest" >&2; exit 1; }
if [ "$n" -gt 0 ]; then
  [ "$nj" -le "$n" ] || nj=$n
  utils/split_data.py --per-utt "$dest/todo" "$nj" >/dev/null
  opts=()
  for o in $feat_opts; do opts+=(--feat-opt "$o"); done
  echo "$0: extracting $feat for $n utterances of $src in $nj job(s); logs in $dest/log"
  $cmd JOB=1:"$nj" "$dest/log/extract.$run.JOB.log" \
    python -m serda.bin.extract_features --feat "$feat" "${opts[@]}" \
      "$dest/todo/split${nj}utt/JOB" "$dest/data/feats.$run.JOB"
fi
python -m serda.bin.merge_feats merge "$dest"
rm -rf "$dest/todo"
utils/validate_data_dir.py "$dest" >/dev/null
# shellcheck disable=SC2086
python -m serda.features.spec write "$dest" "$feat" $feat_opts
echo "$stamp" > "$dest/.done"
