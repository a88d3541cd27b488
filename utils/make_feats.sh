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
# <dest-data>/bad_utts and left out of every table. A finished <dest-data>
# (same source and options) is skipped; an unfinished one is completed,
# keeping the shards that had finished.
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

[ -f "$src/utt2spk" ] || { echo "$0: $src/utt2spk not found (run data preparation first)" >&2; exit 1; }
# the source's tables plus size and mtime of each audio file: regenerated
# audio under the same paths is extracted again
stamp="feat=$feat opts=$feat_opts src=$(python -m serda.data.fingerprint "$src")"
if [ -f "$dest/.done" ] && [ "$(cat "$dest/.done")" = "$stamp" ]; then
  echo "$0: $dest is complete ($feat), skipping"
  exit 0
fi
if [ -f "$dest/.stamp" ] && [ "$(cat "$dest/.stamp")" != "$stamp" ]; then
  echo "$0: $dest was made from other data or options; starting it again"
  rm -rf "$dest"
fi
mkdir -p "$dest/log" "$dest/data"
echo "$stamp" > "$dest/.stamp"
rm -f "$dest/.done" "$dest/bad_utts"

utils/copy_data_dir.py "$src" "$dest" >/dev/null
n=$(wc -l < "$dest/utt2spk")
[ "$nj" -le "$n" ] || nj=$n
utils/split_data.py --per-utt "$dest" "$nj" >/dev/null

opts=()
for o in $feat_opts; do opts+=(--feat-opt "$o"); done
echo "$0: extracting $feat for $n utterances of $src in $nj job(s); logs in $dest/log"
$cmd JOB=1:"$nj" "$dest/log/extract.JOB.log" \
  python -m serda.bin.extract_features --feat "$feat" "${opts[@]}" \
    "$dest/split${nj}utt/JOB" "$dest/data/feats.JOB"

python -m serda.bin.merge_feats "$dest" "$dest/data/feats.JOB" "$nj"
rm -rf "$dest/split${nj}utt"
utils/validate_data_dir.py "$dest" >/dev/null
echo "$stamp" > "$dest/.done"
