#!/usr/bin/env bash
# serda's staged driver. Every recipe's run.sh calls it once with its corpora,
# features and experiments; the stages live here once.
#
#  0  synthesise the synthetic corpora (recipes with --simulate true)
#  1  data preparation -> data/<corpus>_<split>/, then the recipe's local/data.sh
#  2  features, nj jobs per corpus split -> dump/<feat>/<set>/feats.scp (a recipe's
#     derived sets reuse the splits' features: each audio file is read once)
#  3  per-corpus normalisation statistics -> dump/<feat>/<set>/norm_stats.npz
#  4  training: one job per system (vectorised trials) or per trial; every job of
#     every experiment submitted at once -> exp/<tag>/<system>/trial<k>/
#  5  inference and scoring, the same way -> exp/<tag>/<system>/trial<k>/decode_<set>/
#  6  report                -> exp/<tag>/RESULTS.md, results.csv
#  7  the recipe's local/report.sh (paper tables, figures)
#
# Each stage skips what is already complete and finishes what is partial.
set -euo pipefail

log() { echo "$(date '+%Y-%m-%dT%H:%M:%S') (serda.sh:${BASH_LINENO[0]}) $*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# general
stage=0                 # first stage to run
stop_stage=100          # last stage to run
nj=4                    # parallel jobs: stage 0, stage 2 per corpus split, stages 4-5 at most
                        # this many at once (locally each gets its share of the CPUs)
serial=false            # stages 4-5: one system's jobs after another's, one experiment at a time
# data
corpora=                # "<module>:<name> ...", e.g. "synth:mini_en iemocap:iemocap";
                        # the corpus root comes from egs/db.sh variable <NAME>
simulate=false          # stage 0: generate the synth:* corpora first
sim_opts=               # extra options of serda.bin.simulate_corpus (e.g. a smaller corpus)
prep_opts=              # corpus options "<name>.<option>=<value> ...", e.g. "iemocap.four_class=true"
datadir=data
# features
feat=is13               # is13 is10 is09 gemaps egemaps fbank spectrogram ssl
feat_opts=              # "key=value ..." for fbank/spectrogram/ssl (ssl: model=<dir> ...)
feat_sets=              # data sets to give features; default every <name>_* set
dumpdir=dump
norm_fit_splits="train unlab"  # splits of each corpus its statistics are fitted on
# experiments (stages 4-6): given here, or one per line by the recipe's local/experiments.sh
source=                 # data name of the labelled source corpus (e.g. mini_en)
target=                 # data name of the target corpus (e.g. mini_de)
systems=                # "conf/target.yaml conf/src.yaml conf/dann.yaml": one system each; a
                        # system may be named and given its own overrides:
                        # "dann_l2=conf/dann.yaml,model.encoder.layers=2"
folds=                  # "1 2 3": cross-validated experiment, target sets <target><f>_{train,dev,test}
pool_set=               # the set a cross-validated system's pooled fold tests cover
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
title=                  # title of the report [<tag>: <source> -> <target>]

help_message=$(sed -n '2,15p' "$0"; cat <<'HELP'
Options (defaults in brackets):
  --stage N --stop-stage N  stages to run [0, 100]
  --nj N                    parallel jobs; stages 4-5: at most N at once [4]
  --serial true|false       stages 4-5 one system at a time, not every system of a wave
                            at once (the same results, slower) [false]
  --corpora "mod:name ..."  corpora of the recipe (module:data-name)
  --simulate true|false     synthesise the synth:* corpora in stage 0 [false]
  --sim-opts "..."          options of serda.bin.simulate_corpus, e.g. "--utts-per-speaker 10"
  --prep-opts "name.opt=v"  corpus options of stage 1 (python -m serda.bin.prepare_data --list)
  --datadir DIR --dumpdir DIR  where data dirs and features go [data, dump]
  --feat NAME               feature set [is13]: is13 is10 is09 gemaps egemaps fbank spectrogram ssl
  --feat-opts "k=v ..."     options of fbank, spectrogram and ssl (model=<checkpoint dir> ...)
  --feat-sets "set ..."     data sets to give features [every set of the corpora]
  --norm-fit-splits "..."   splits each corpus' statistics are fitted on [train unlab]
 One experiment (or one per line of the recipe's local/experiments.sh):
  --source NAME --target NAME  source and target sets <name>_{train,dev,test,unlab}
  --systems "conf/a.yaml ..."  one trained system per config
  --folds "1 2 ..." --pool-set SET  cross-validation over target folds, pooled on SET
  --baseline NAME           system the others are tested against in the report
  --tag NAME                experiment directory exp/<tag> [main]
  --ntrials N               trials per system [train.trials of each config]
  --train-args "k=v ..."    config overrides for every system (e.g. "train.epochs=5")
  --shared-args "k=v ..."   overrides for every system that do not rename the systems
  --decode-sets "..."       config data keys stage 5 scores [target_test target_dev source_test]
  --report-set KEY --report-opts "..." --title "..."  what stage 6 reports
  --device cpu|cuda         [cpu]
  --config FILE             read option values from FILE
Recipe hooks (run when present; they see this driver's datadir, dumpdir, feat, feats,
expdir, nj, device and the variables the recipe's run.sh exports, which must not be
named like an option of this driver):
  local/data.sh             after stage 1: make the recipe's sets from the corpora's data dirs
  local/experiments.sh N    prints the options of experiment N (nothing after the last),
                            or 'wait' when experiment N needs the results of the ones
                            before it: those (a wave) run first, then it is asked for N
                            again with experiments_done=N-1
  local/report.sh           stage 7: the recipe's tables and figures
HELP
)

run_cmd=$(printf '%q ' "$0" "$@")   # for exp/<tag>/run.sh
. ./path.sh
. ./cmd.sh
. ./db.sh
. utils/parse_options.sh
[ $# -eq 0 ] || die "unexpected arguments: $*"
[ -n "$corpora" ] || die "no --corpora given"
for n in stage stop_stage; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "--${n//_/-} takes a whole number >= 0, not '${!n}'"
done
[[ $nj =~ ^[0-9]+$ ]] && [ "$nj" -ge 1 ] || die "--nj takes a whole number >= 1, not '$nj'"
for n in simulate serial; do
  [[ ${!n} =~ ^(true|false)$ ]] || die "--$n takes true or false, not '${!n}'"
done

log "$run_cmd (backend: $cmd_backend)"

corpus_module() { echo "${1%%:*}"; }
corpus_name() { local spec=$1; [[ $spec == *:* ]] && echo "${spec#*:}" || echo "$spec"; }
corpus_root() {
  local var
  var=$(corpus_name "$1" | tr '[:lower:]' '[:upper:]')
  [ -n "${!var:-}" ] || die "Fill the value of $var in egs/db.sh (or export $var=<path>)"
  echo "${!var}"
}
# the hooks see the driver's settings
export datadir dumpdir feat expdir nj device stage stop_stage
feats=$dumpdir/$feat
export feats

# every root must be known before any work starts
for c in $corpora; do corpus_root "$c" >/dev/null; done
# every corpus option names one of the corpora (a misspelt name would be ignored)
names_of_corpora=$(for c in $corpora; do corpus_name "$c"; done | tr '\n' ' ')
for o in $prep_opts; do
  [[ $o =~ ^([^.=]+)\.[^=]+=.*$ ]] || die "--prep-opts: '$o' is not <corpus>.<option>=<value>"
  [[ " $names_of_corpora" == *" ${BASH_REMATCH[1]} "* ]] \
    || die "--prep-opts: '$o' names corpus '${BASH_REMATCH[1]}', which is not one of: $names_of_corpora"
done

# one run at a time writes a data, feature or experiment dir: a second one that
# would write the same stops at once, naming the run that holds it
hold_lock() {  # $1: the dir, $2: what it holds
  local file=$1/.serda.lock fd
  mkdir -p "$1"
  exec {fd}>>"$file"
  flock -n "$fd" || die "another run is writing $2 in $1: $(cat "$file.owner" 2>/dev/null \
    || echo 'its owner is unknown') (remove $file only if that run is gone)"
  echo "pid $$, started $(date '+%Y-%m-%dT%H:%M:%S'): $run_cmd" > "$file.owner"
}
if [ "$stage" -le 1 ] && [ "$stop_stage" -ge 0 ]; then hold_lock "$datadir" "data dirs"; fi
if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 2 ]; then hold_lock "$dumpdir" "features"; fi
if [ "$stop_stage" -ge 4 ]; then hold_lock "$expdir" "experiments"; fi

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
    # every file below the root (its path, size and time): an edited label file redoes it
    stamp="$(corpus_module "$c") $(readlink -f "$root") ${opts[*]} $(python -m serda.data.fingerprint --tree "$root")"
    done_file=$datadir/local/$name.done
    if [ -f "$done_file" ] && [ "$(cat "$done_file")" = "$stamp" ] \
       && [ -f "$datadir/local/$name.splits" ]; then
      log "$name: data directories are complete, skipping"
      continue
    fi
    python -m serda.bin.prepare_data --corpus "$(corpus_module "$c")" --root "$root" \
      --out "$datadir" --name "$name" "${opts[@]}"
    echo "$stamp" > "$done_file"
  done
  if [ -x local/data.sh ]; then
    log "Stage 1: the recipe's sets (local/data.sh)"
    local/data.sh
  fi
fi

# the corpora's own splits (stage 1); any other set of theirs is derived from them
splits=
for c in $corpora; do
  f=$datadir/local/$(corpus_name "$c").splits
  [ ! -f "$f" ] || splits="$splits $(tr '\n' ' ' < "$f")"
done
if [ -z "$feat_sets" ]; then  # the sets whose attributes.yaml names one of the corpora
  feat_sets=$(python -m serda.data.sets list --corpora "$names_of_corpora" --root "$datadir" \
              | cut -d' ' -f1 | tr '\n' ' ')
fi

if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 2 ]; then
  log "Stage 2: $feat features -> $feats/<set>"
  [ -n "$splits" ] || die "no $datadir/local/<corpus>.splits: run stage 1 first"
  plan=$(python -m serda.data.derive plan --datadir "$datadir" --splits "$splits" --sets "$feat_sets")
  extract=$(sed -n 1p <<< "$plan"); derived=$(sed -n 2p <<< "$plan")
  feat_cmd=$train_cmd   # ssl features on a GPU (--feat-opts "... device=cuda") ask for one
  [[ " $feat_opts " != *" device=cuda"* ]] || feat_cmd=$cuda_cmd
  for s in $extract; do
    utils/make_feats.sh --nj "$nj" --cmd "$feat_cmd" --feat "$feat" --feat-opts "$feat_opts" \
      "$datadir/$s" "$feats/$s"
  done
  [ -z "$derived" ] || python -m serda.data.derive make --datadir "$datadir" --feats "$feats" \
    --splits "$extract" --sets "$derived"
  for s in $feat_sets; do
    n_in=$(wc -l < "$datadir/$s/utt2spk"); n_out=$(wc -l < "$feats/$s/feats.scp")
    log "$s: $n_out of $n_in utterances have features" \
        "$([ "$n_in" -eq "$n_out" ] || echo "($((n_in - n_out)) in $feats/$s/bad_utts)")"
  done
fi

if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 3 ]; then
  log "Stage 3: per-corpus normalisation statistics (fitted on: $norm_fit_splits)"
  # a set's corpus is the one its attributes.yaml names (never a name prefix); sets
  # of no single corpus (several combined, e.g. a pooled source): each of their
  # utterances gets its own corpus' statistics
  declare -A owner_of=()
  # shellcheck disable=SC2086
  while read -r s o; do owner_of[$s]=$o; done < <(python -m serda.data.sets owners \
    --corpora "$names_of_corpora" --root "$feats" $feat_sets)
  pooled=()
  for s in $feat_sets; do [ "${owner_of[$s]:-}" != - ] || pooled+=("$feats/$s"); done
  for c in $corpora; do
    name=$(corpus_name "$c")
    fit=(); to=()
    for s in $feat_sets; do
      [ "${owner_of[$s]:-}" = "$name" ] || continue
      to+=("$feats/$s")
      for split in $norm_fit_splits; do
        [ "$s" = "${name}_$split" ] && fit+=("$feats/$s")
      done
    done
    [ ${#to[@]} -gt 0 ] || continue
    [ ${#fit[@]} -gt 0 ] || die "$name: none of the splits '$norm_fit_splits' has features to fit statistics on"
    # feats.scp plus the feature stamps (.done names the audio's fingerprint)
    stamp=$( (echo "fit: ${fit[*]}"; cat "${fit[@]/%//feats.scp}" "${to[@]/%//.done}" \
              "${pooled[@]/%//.done}") | sha256sum | cut -c1-16)
    done_file=$feats/local/norm_$name.done
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

# ------------------------------------------------------------ experiments
# An experiment: a tag, source and target sets, systems (maybe cross-validated
# over folds). Its options come from this driver's command line, or from line
# N of the recipe's local/experiments.sh. Experiments run in waves: the driver
# asks for N = 1, 2, ... until the script prints nothing (no more experiments)
# or `wait` (experiment N needs the results of the ones before it); every
# training job of the wave's experiments is then submitted at once, then every
# decoding job, and the script is asked for N again with experiments_done=N-1.
exp_options="tag source target systems folds pool_set baseline train_args shared_args decode_sets report_set report_opts title"
export experiments_done=0
experiment_line() {  # the options of experiment $1 (empty after the last), or `wait`
  if [ -x local/experiments.sh ]; then
    local/experiments.sh "$1"
  elif [ "$1" -eq 1 ] && [ -n "$systems" ]; then
    for o in $exp_options; do printf -- '--%s %q ' "${o//_/-}" "${!o}"; done
  fi
}
is_wait() { [[ $1 =~ ^[[:space:]]*wait[[:space:]]*$ ]]; }
set_experiment() {  # set the experiment variables from its options "$@"
  local name
  while [ $# -gt 0 ]; do
    name=${1#--}; name=${name//-/_}
    [[ " $exp_options " == *" $name "* ]] || die "experiment option '$1' is not one of: $exp_options"
    [ $# -ge 2 ] || die "experiment option '$1' needs a value"
    printf -v "$name" '%s' "$2"; shift 2
  done
  [ -n "$systems" ] || die "experiment '$tag' has no systems"
  [ -n "$source" ] && [ -n "$target" ] || die "experiment '$tag' needs --source and --target"
  [ -z "$folds" ] || [ -n "$pool_set" ] || die "experiment '$tag': --folds needs --pool-set"
}
# the resolve_config options of the experiment whose variables are set, on one line
resolve_args() {
  local settings=("train.device=$device")
  [ -z "$ntrials" ] || settings+=("train.trials=$ntrials")
  printf '%q ' --exp "$expdir/$tag" --systems "$systems" --feats "$feats" --source "$source" \
    --target "$target" --folds "$folds" --train-args "$train_args" --shared-args "$shared_args" \
    --decode-sets "$decode_sets" "${settings[@]}"
  echo
}
# every experiment of a batch file in one process; $1: write | check | list; $2: the
# file; prints "<line><TAB>name<TAB>dir<TAB>trials<TAB>vectorize" per system (and fold)
resolve_batch() {
  local mode=()
  [ "$1" = write ] || mode=("--$1")
  python -m serda.bin.resolve_config "${mode[@]}" --batch "$2"
}

# training and decoding go through $cuda_cmd (asks the scheduler for a GPU)
# when --device cuda, else $train_cmd / $decode_cmd
if [ "$device" = cuda ]; then fit_cmd=$cuda_cmd; infer_cmd=$cuda_cmd
else fit_cmd=$train_cmd; infer_cmd=$decode_cmd; fi

# The jobs of a wave, as task lists (one "<log><TAB><command>" per line) under
# $expdir/jobs/: one list per wave and stage, or with --serial true one per
# system, each submitted after the one before it has finished.
jobdir=$expdir/jobs
declare -A listed_logs=()
train_lists=(); decode_lists=(); pool_cmds=(); n_lists=0
next_list() {  # $1: train | decode; sets $list: the task list this system's tasks go to
  local -n lists=${1}_lists
  if $serial || [ ${#lists[@]} -eq 0 ]; then
    n_lists=$((n_lists + 1)); lists+=("$jobdir/$1.$n_lists.tasks")
    : > "${lists[-1]}"
  fi
  list=${lists[-1]}
}
add_task() {  # $1: list, $2: log, $3...: command words
  local list=$1 log_file=$2; shift 2
  [ -z "${listed_logs[$log_file]:-}" ] || die "two experiments of one wave write $log_file" \
    "(experiment ${listed_logs[$log_file]} and $n): make local/experiments.sh print 'wait' between them"
  listed_logs[$log_file]=$n
  printf '%s\t%s\n' "$log_file" "$(printf '%q ' "$@")" >> "$list"
}
trained() {  # $1: system dir, $2..: trials; true when every one is complete
  local d=$1 k; shift
  for k in "$@"; do [ -f "$d/trial$k/summary.json" ] || return 1; done
}
# A vectorised system is one job (all its trials, and all its folds when it is
# cross-validated and they train on as many rows each); any other, one job per
# trial and fold. A complete one gets no training job.
add_system_tasks() {  # $1: train | decode, $2: name, $3: trials, $4: vectorize, $5...: configs
  local what=$1 name=$2 n=$3 vectorize=$4 list c k todo=() extra=() pool=(); shift 4
  [ "$what" = train ] || extra=(--sets $decode_sets)
  # a cross-validated system's trials: its folds' test predictions pooled (stage 5)
  [ "$what" = train ] || [ -z "$folds" ] || pool=(--pool-into "$expdir/$tag/$name" --pool-data "$feats/$pool_set")
  if [ "$vectorize" = true ]; then
    if [ "$what" = train ]; then
      for c in "$@"; do trained "$(dirname "$c")" $(seq 1 "$n") || todo+=("$c"); done
      [ ${#todo[@]} -gt 0 ] || { log "$name: trained, skipping"; return 0; }
      log "$name: $n trial(s)$([ $# -eq 1 ] || echo " x $# folds") vectorised in one job; log in $expdir/$tag/$name/log/$what.log"
    fi
    next_list "$what"
    add_task "$list" "$expdir/$tag/$name/log/$what.log" \
      python -m serda.bin."$what" --config "$@" --trials "1:$n" "${extra[@]}" "${pool[@]}"
    return 0
  fi
  for c in "$@"; do
    todo=()
    for k in $(seq 1 "$n"); do
      [ "$what" = decode ] || ! trained "$(dirname "$c")" "$k" || continue
      todo+=("$k")
    done
    [ ${#todo[@]} -gt 0 ] || { log "$name: $(dirname "$c") trained, skipping"; continue; }
    [ "$what" = decode ] || log "$name: ${#todo[@]} of $n trial(s) to train; logs in $(dirname "$c")/log/$what.<k>.log"
    next_list "$what"
    for k in "${todo[@]}"; do
      add_task "$list" "$(dirname "$c")/log/$what.$k.log" \
        python -m serda.bin."$what" --config "$c" --trial "$k" "${extra[@]}"
    done
  done
  if [ ${#pool[@]} -gt 0 ]; then
    pool_cmds+=("$(printf '%q ' python -m serda.bin.pool_folds --set target_test \
      --data "$feats/$pool_set" --out "$expdir/$tag/$name" --folds "${@%/config.yaml}")")
  fi
}
add_experiment_tasks() {  # $1: train | decode; stdin: the experiment's lines of resolve_batch (no number)
  local name dir n vectorize prev= pn= pv= configs=()
  while IFS=$'\t' read -r name dir n vectorize; do
    if [ "$name" != "$prev" ] && [ -n "$prev" ]; then
      add_system_tasks "$1" "$prev" "$pn" "$pv" "${configs[@]}"; configs=()
    fi
    prev=$name; pn=$n; pv=$vectorize; configs+=("$dir/config.yaml")
  done
  [ -z "$prev" ] || add_system_tasks "$1" "$prev" "$pn" "$pv" "${configs[@]}"
}
submit_lists() {  # $1: train | decode: each list through one runner call, in order
  local -n lists=${1}_lists
  local list cmd=$fit_cmd what=training
  [ "$1" = train ] || { cmd=$infer_cmd; what=decoding; }
  for list in "${lists[@]}"; do
    log "$(wc -l < "$list") $what job(s) ($list), at most $nj at once"
    $cmd --max-jobs-run "$nj" --tasks "$list" </dev/null \
      || die "$what jobs of $list failed (their logs are named above)"
  done
  lists=()
}

declare -A tag_systems=() tag_baseline=() tag_title=() tag_set=() tag_opts=()
tags=()
run_wave() {  # stages 4-5 of the experiments whose option lines are "$@" (numbered from $1st)
  local first=$1 line p i=0 resolved batch=$jobdir/wave.batch mode=list; shift
  [ "$stage" -gt 4 ] || mode=write
  listed_logs=()
  : > "$batch"
  for line in "$@"; do   # every config of the wave written (or read) by one process
    eval "$defaults"; eval "set_experiment $line"; resolve_args >> "$batch"
  done
  resolved=$(resolve_batch "$mode" "$batch")
  n=$first
  for line in "$@"; do
    i=$((i + 1))
    eval "$defaults"
    eval "set_experiment $line"
    systems_list=$(awk -F'\t' -v i="$i" '$1 == i' <<< "$resolved" | cut -f2-)
    if [ "$stage" -le 4 ]; then
      log "Stage 4: training, experiment $n -> $expdir/$tag/<system>"
      mkdir -p "$expdir/$tag"
      printf '#!/usr/bin/env bash\n# the command that made this experiment (from the recipe directory)\ncd %q && %s"$@"\n' \
        "$PWD" "$run_cmd" > "$expdir/$tag/run.sh"
      chmod +x "$expdir/$tag/run.sh"
      add_experiment_tasks train <<< "$systems_list"
    fi
    if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 5 ]; then
      add_experiment_tasks decode <<< "$systems_list"
    fi
    [ -n "${tag_title[$tag]:-}" ] || tags+=("$tag")
    tag_systems[$tag]="${tag_systems[$tag]:-} $(cut -f1 <<< "$systems_list" | uniq | tr '\n' ' ')"
    [ -z "$baseline" ] || tag_baseline[$tag]=$(python -m serda.systems name "$baseline" "$train_args")
    tag_title[$tag]=${title:-"$tag: $source -> $target"}
    tag_set[$tag]=$report_set
    tag_opts[$tag]=$report_opts
    n=$((n + 1))
  done
  [ "$stage" -gt 4 ] || submit_lists train
  if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 5 ]; then
    log "Stage 5: inference and scoring, experiment(s) $first-$((n - 1))"
    submit_lists decode
    for p in "${pool_cmds[@]}"; do eval "$p"; done
  fi
  pool_cmds=()
}

if [ "$stop_stage" -ge 4 ]; then
  mkdir -p "$jobdir"
  defaults=$(for o in $exp_options; do printf '%s=%q; ' "$o" "${!o}"; done)
  if [ "$stage" -le 4 ]; then  # check every experiment that can be made now, before any job
    n=1
    : > "$jobdir/check.batch"
    while line=$(experiment_line "$n" 2>/dev/null) && [ -n "$line" ] && ! is_wait "$line"; do
      (eval "$defaults"; eval "set_experiment $line"; resolve_args) >> "$jobdir/check.batch"
      n=$((n + 1))
    done
    resolve_batch check "$jobdir/check.batch" >/dev/null
    log "Stage 4: configs of $((n - 1)) experiment(s) checked" \
        "$([ -x local/experiments.sh ] && echo '(later ones are checked when they are made)')"
  fi
  n=1
  while true; do
    wave=(); first=$n
    while true; do
      line=$(experiment_line "$n") || die "local/experiments.sh $n failed"
      if is_wait "$line"; then
        [ ${#wave[@]} -gt 0 ] || die "local/experiments.sh $n printed 'wait' with no experiment" \
          "before it to wait for (experiments_done=$experiments_done)"
        break
      fi
      [ -n "$line" ] || break
      wave+=("$line"); n=$((n + 1))
      ! $serial || break
    done
    [ ${#wave[@]} -gt 0 ] || break
    run_wave "$first" "${wave[@]}"
    experiments_done=$((n - 1))
  done
fi

if [ "$stage" -le 6 ] && [ "$stop_stage" -ge 6 ]; then
  for t in "${tags[@]}"; do
    log "Stage 6: report -> $expdir/$t/RESULTS.md"
    # shellcheck disable=SC2086
    python -m serda.bin.report --exp "$expdir/$t" --systems ${tag_systems[$t]} \
      ${tag_baseline[$t]:+--baseline "${tag_baseline[$t]}"} --set "${tag_set[$t]}" \
      --title "${tag_title[$t]}" ${tag_opts[$t]}
  done
fi

if [ "$stage" -le 7 ] && [ "$stop_stage" -ge 7 ] && [ -x local/report.sh ]; then
  log "Stage 7: the recipe's tables and figures (local/report.sh)"
  local/report.sh
fi

log "Finished stages $stage to $stop_stage"
