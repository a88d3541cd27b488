#!/usr/bin/env bash
# serda's staged driver. Every recipe's run.sh calls it with its corpora,
# features and configs; the stages live here once.
#
#  0  synthesise the synthetic corpora (recipes with --simulate true)
#  1  data preparation           -> data/<corpus>_<split>/
#  2  feature extraction, nj jobs -> dump/<feat>/<set>/feats.scp
#  3  per-corpus normalisation statistics -> dump/<feat>/<set>/norm_stats.npz
#  4  training: one job per trial and system -> exp/<tag>/<system>/trial<k>/
#  5  inference and scoring   -> exp/<tag>/<system>/trial<k>/decode_<set>/
#  6  report                  -> exp/<tag>/RESULTS.md, results.csv
#
# Each stage skips what is already complete and finishes what is partial.
set -euo pipefail

log() { echo "$(date '+%Y-%m-%dT%H:%M:%S') (serda.sh:${BASH_LINENO[0]}) $*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# general
stage=0                 # first stage to run
stop_stage=100          # last stage to run
nj=4                    # parallel jobs of stages 0 and 2
# data
corpora=                # "<module>:<name> ...", e.g. "synth:mini_en iemocap:iemocap";
                        # the corpus root comes from egs/db.sh variable <NAME>
simulate=false          # stage 0: generate the synth:* corpora first
sim_opts=               # extra options of serda.bin.simulate_corpus (e.g. a smaller corpus)
prep_opts=              # corpus options "<name>.<option>=<value> ...", e.g. "iemocap.four_class=true"
datadir=data
# features
feat=is13               # is13 is10 is09 gemaps egemaps fbank spectrogram
feat_opts=              # "key=value ..." for fbank/spectrogram
feat_sets=              # data sets to extract; default every <name>_* set
dumpdir=dump
norm_fit_splits="train unlab"  # splits of each corpus its statistics are fitted on
# training, decoding, report
source=                 # data name of the labelled source corpus (e.g. mini_en)
target=                 # data name of the target corpus (e.g. mini_de)
systems=                # "conf/target.yaml conf/src.yaml conf/dann.yaml": one system each; a
                        # system may be named and given its own overrides:
                        # "dann_l2=conf/dann.yaml,model.encoder.layers=2"
baseline=               # system (config name) the others are tested against
tag=main                # experiment directory: exp/<tag>/
expdir=exp
ntrials=                # overrides train.trials of every system
train_args=             # "key=value ..." overrides for every system (added to system names)
shared_args=            # "key=value ..." overrides for every system, not in the names (the
                        # tag says them, e.g. --tag valence --shared-args task.attribute=valence)
device=cpu              # cpu | cuda
decode_sets="target_test target_dev source_test"
report_set=target_test
report_opts=            # extra options of serda.bin.report, e.g. "--metrics pr ccc --percent"

help_message=$(sed -n '2,11p' "$0"; cat <<'HELP'
Options (defaults in brackets):
  --stage N --stop-stage N  stages to run [0, 100]
  --nj N                    parallel jobs [4]
  --corpora "mod:name ..."  corpora of the recipe (module:data-name)
  --simulate true|false     synthesise the synth:* corpora in stage 0 [false]
  --sim-opts "..."          options of serda.bin.simulate_corpus, e.g. "--utts-per-speaker 10"
  --prep-opts "name.opt=v"  corpus options of stage 1 (python -m serda.bin.prepare_data --list)
  --datadir DIR --dumpdir DIR  where data dirs and features go [data, dump]
  --feat NAME               feature set [is13]
  --feat-opts "k=v ..."     options of frame features
  --feat-sets "set ..."     data sets to extract [every set of the corpora]
  --norm-fit-splits "..."   splits each corpus' statistics are fitted on [train unlab]
  --source NAME --target NAME  source and target corpora of stages 4-6
  --systems "conf/a.yaml ..."  one trained system per config
  --baseline NAME           system the others are tested against in the report
  --tag NAME                experiment directory exp/<tag> [main]
  --ntrials N               trials per system [train.trials of each config]
  --train-args "k=v ..."    config overrides for every system (e.g. "train.epochs=5")
  --shared-args "k=v ..."   overrides for every system that do not rename the systems
  --device cpu|cuda         [cpu]
  --config FILE             read option values from FILE
HELP
)

. ./path.sh
. ./cmd.sh
. ./db.sh
. utils/parse_options.sh
[ $# -eq 0 ] || die "unexpected arguments: $*"
[ -n "$corpora" ] || die "no --corpora given"

log "$0 $*  (backend: $cmd_backend)"

corpus_module() { echo "${1%%:*}"; }
corpus_name() { local spec=$1; [[ $spec == *:* ]] && echo "${spec#*:}" || echo "$spec"; }
corpus_root() {
  local var
  var=$(corpus_name "$1" | tr '[:lower:]' '[:upper:]')
  [ -n "${!var:-}" ] || die "Fill the value of $var in egs/db.sh (or export $var=<path>)"
  echo "${!var}"
}
sets_of() { local n=$1; (cd "$datadir" 2>/dev/null && ls -d "${n}"_*/ 2>/dev/null | sed 's:/$::') || true; }

# every root must be known before any work starts
for c in $corpora; do corpus_root "$c" >/dev/null; done

if [ "$stage" -le 0 ] && [ "$stop_stage" -ge 0 ] && $simulate; then
  log "Stage 0: synthesise the synthetic corpora"
  for c in $corpora; do
    [ "$(corpus_module "$c")" = synth ] || continue
    python -m serda.bin.simulate_corpus --preset "$(corpus_name "$c")" \
      --out "$(corpus_root "$c")" --nj "$(( nj < $(nproc) ? nj : $(nproc) ))" $sim_opts
  done
fi

if [ "$stage" -le 1 ] && [ "$stop_stage" -ge 1 ]; then
  log "Stage 1: data preparation -> $datadir/<corpus>_<split>"
  for c in $corpora; do
    name=$(corpus_name "$c"); root=$(corpus_root "$c")
    opts=()
    for o in $prep_opts; do
      if [[ $o == "$name."* ]]; then opts+=(--opt "${o#"$name".}"); fi
    done
    stamp="$(corpus_module "$c") $(readlink -f "$root") ${opts[*]} $(stat -c %Y "$root"/* 2>/dev/null | sort | sha256sum | cut -c1-16)"
    done_file=$datadir/local/$name.done
    if [ -f "$done_file" ] && [ "$(cat "$done_file")" = "$stamp" ]; then
      log "$name: data directories are complete, skipping"
      continue
    fi
    python -m serda.bin.prepare_data --corpus "$(corpus_module "$c")" --root "$root" \
      --out "$datadir" --name "$name" "${opts[@]}"
    echo "$stamp" > "$done_file"
  done
fi

if [ -z "$feat_sets" ]; then
  for c in $corpora; do feat_sets="$feat_sets $(sets_of "$(corpus_name "$c")")"; done
fi

if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 2 ]; then
  log "Stage 2: $feat features -> $dumpdir/$feat/<set>"
  for s in $feat_sets; do
    utils/make_feats.sh --nj "$nj" --cmd "$train_cmd" --feat "$feat" --feat-opts "$feat_opts" \
      "$datadir/$s" "$dumpdir/$feat/$s"
  done
  for s in $feat_sets; do
    n_in=$(wc -l < "$datadir/$s/utt2spk"); n_out=$(wc -l < "$dumpdir/$feat/$s/feats.scp")
    log "$s: $n_out of $n_in utterances have features" \
        "$([ "$n_in" -eq "$n_out" ] || echo "($((n_in - n_out)) in $dumpdir/$feat/$s/bad_utts)")"
  done
fi

if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 3 ]; then
  log "Stage 3: per-corpus normalisation statistics (fitted on: $norm_fit_splits)"
  # sets of no single corpus (several corpora combined, e.g. a pooled source):
  # each of their utterances gets its own corpus' statistics
  pooled=()
  for s in $feat_sets; do
    owned=false
    for c in $corpora; do [[ $s == "$(corpus_name "$c")_"* ]] && owned=true; done
    $owned || pooled+=("$dumpdir/$feat/$s")
  done
  for c in $corpora; do
    name=$(corpus_name "$c")
    fit=(); to=()
    for s in $feat_sets; do
      [[ $s == "${name}_"* ]] || continue
      to+=("$dumpdir/$feat/$s")
      for split in $norm_fit_splits; do
        [ "$s" = "${name}_$split" ] && fit+=("$dumpdir/$feat/$s")
      done
    done
    [ ${#to[@]} -gt 0 ] || continue
    [ ${#fit[@]} -gt 0 ] || die "$name: none of the splits '$norm_fit_splits' has features to fit statistics on"
    # feats.scp plus the feature stamps (.done names the audio's fingerprint)
    stamp=$(cat "${fit[@]/%//feats.scp}" "${to[@]/%//.done}" "${pooled[@]/%//.done}" \
            | sha256sum | cut -c1-16)
    done_file=$dumpdir/$feat/local/norm_$name.done
    if [ -f "$done_file" ] && [ "$(cat "$done_file")" = "$stamp ${to[*]} ${pooled[*]}" ] \
       && ls "${to[@]/%//norm_stats.npz}" "${pooled[@]/%//norm_stats_by_corpus}" >/dev/null 2>&1; then
      log "$name: statistics are complete, skipping"
      continue
    fi
    python -m serda.bin.compute_norm_stats --fit "${fit[@]}" --to "${to[@]}" --pooled "${pooled[@]}"
    mkdir -p "$(dirname "$done_file")"
    echo "$stamp ${to[*]} ${pooled[*]}" > "$done_file"
  done
fi

# a system is named after its config file, plus the --train-args overrides
# a system is "conf.yaml" or "name=conf.yaml[,key=value...]"
system_conf() { local s=${1#*=}; [[ $1 == *=*.yaml* ]] || s=$1; echo "${s%%,*}"; }
system_overrides() { local s=$1; [[ $s == *,* ]] && echo "${s#*,}" | tr ',' ' ' || true; }
system_name() {
  local name
  if [[ $1 == *=*.yaml* ]]; then name=${1%%=*}; else name=$(basename "$1" .yaml); fi
  [ -z "$train_args" ] || name="${name}_$(echo "$train_args" | tr -s ' /' '__')"
  echo "$name"
}
# data.<role>_<split> = $dumpdir/$feat/<corpus>_<split> for the sets that have
# features (a system's own overrides come after these and win)
data_args() {
  local d=$dumpdir/$feat a="train.device=$device" role split
  for role in source target; do
    for split in train dev test unlab; do
      [ "$role/$split" != source/unlab ] || continue
      if [ -d "$d/${!role}_$split" ]; then a="$a data.${role}_$split=$d/${!role}_$split"
      else log "no $d/${!role}_$split: data.${role}_$split left empty" >&2; fi
    done
  done
  [ -z "$ntrials" ] || a="$a train.trials=$ntrials"
  echo "$a"
}
# values of dotted keys of a resolved config, on one line
config_values() {
  local dir=$1; shift
  python -m serda.bin.resolve_config --conf "$dir/config.yaml" --out /dev/null \
    $(printf -- '--print %s ' "$@") | tr '\n' ' '
}

if [ "$stop_stage" -ge 4 ] && [ -n "$systems" ]; then
  [ -n "$source" ] && [ -n "$target" ] || die "stages 4-6 need --source and --target"
fi

# training and decoding go through $cuda_cmd (asks the scheduler for a GPU)
# when --device cuda, else $train_cmd / $decode_cmd
if [ "$device" = cuda ]; then fit_cmd=$cuda_cmd; infer_cmd=$cuda_cmd
else fit_cmd=$train_cmd; infer_cmd=$decode_cmd; fi

if [ "$stage" -le 4 ] && [ "$stop_stage" -ge 4 ] && [ -n "$systems" ]; then
  log "Stage 4: training -> $expdir/$tag/<system>/trial<k>"
  data_args=$(data_args)
  for conf in $systems; do
    dir=$expdir/$tag/$(system_name "$conf")
    values=$(python -m serda.bin.resolve_config --conf "$(system_conf "$conf")" \
      --out "$dir/config.yaml" --print train.trials --print train.vectorize \
      --train-args "$data_args $train_args $shared_args $(system_overrides "$conf")" | tr '\n' ' ')
    read -r n vectorize <<< "$values"
    if [ "$vectorize" = True ]; then
      log "$(system_name "$conf"): $n trial(s) vectorised in one job; log in $dir/log/train.log"
      $fit_cmd "$dir/log/train.log" \
        python -m serda.bin.train --config "$dir/config.yaml" --trials "1:$n"
    else
      log "$(system_name "$conf"): $n trial(s); logs in $dir/log/train.*.log"
      $fit_cmd JOB=1:"$n" "$dir/log/train.JOB.log" \
        python -m serda.bin.train --config "$dir/config.yaml" --trial JOB
    fi
  done
fi

if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 5 ] && [ -n "$systems" ]; then
  log "Stage 5: inference and scoring on: $decode_sets"
  for conf in $systems; do
    dir=$expdir/$tag/$(system_name "$conf")
    values=$(config_values "$dir" train.trials train.vectorize)
    read -r n vectorize <<< "$values"
    if [ "$vectorize" = True ]; then  # trained together: decoded together
      $infer_cmd "$dir/log/decode.log" \
        python -m serda.bin.decode --config "$dir/config.yaml" --trials "1:$n" --sets $decode_sets
    else
      $infer_cmd JOB=1:"$n" "$dir/log/decode.JOB.log" \
        python -m serda.bin.decode --config "$dir/config.yaml" --trial JOB --sets $decode_sets
    fi
  done
fi

if [ "$stage" -le 6 ] && [ "$stop_stage" -ge 6 ] && [ -n "$systems" ]; then
  log "Stage 6: report -> $expdir/$tag/RESULTS.md"
  names=()
  for conf in $systems; do names+=("$(system_name "$conf")"); done
  python -m serda.bin.report --exp "$expdir/$tag" --systems "${names[@]}" \
    ${baseline:+--baseline "$(system_name "$baseline")"} --set "$report_set" --title "$tag: ${source} -> ${target}" \
    $report_opts
fi

log "Finished stages $stage to $stop_stage"
