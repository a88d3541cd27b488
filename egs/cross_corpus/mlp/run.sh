#!/usr/bin/env bash
# Your own cross-corpus benchmark: every ordered pair of the given corpora, every method,
# a leaderboard. Any built-in corpus of serda.bin.prepare_data --list, or your own through
# the table importer (README: "Your own corpus"), each from its db.sh variable.
#
#   ./run.sh --corpora "emodb emovo ravdess" --methods "src dann coral" --task valence
#   ./run.sh ... --methods "src adabn dann mcc" --grid true    each method's settings too
#   ./run.sh --mini true      three synthetic corpora, tiny: the same stages and leaderboard
#
# One call of the driver (../../TEMPLATE/serda.sh; its options pass through): 0-1 corpora
# and data dirs; per corpus (local/data.sh) min(5, speakers) gender-balanced speaker folds,
# the cross-corpus source = all folds but one (train) + that one (dev: model selection), the
# whole corpus = the unlabelled target pool and the target test set (features extracted
# once per audio file); 2-3 features (eGeMAPS), z-normalised per corpus; 4-5 one experiment
# per ordered pair (every method of --methods, conf/<method>.yaml) and one per corpus (its
# own speaker-independent cross-validation: the within-corpus reference); 6 RESULTS.md per
# experiment; 7 exp/<tag>/LEADERBOARD.md, heatmaps and SHIFT.md (local/report.sh).
set -euo pipefail

corpora="emodb emovo ravdess"   # "<module>:<name>" or "<name>" (module = name); db.sh: <NAME>
methods="src dann"              # conf/<method>.yaml each
grid=false                      # true: also each method's settings of conf/grid.txt
task=valence                    # arousal | valence (binary, from categories) | emo4 (4 classes)
feat=egemaps
trials=5
overrides=                      # "key=value ..." for every system, not in their names
mini=false
mini_corpora="mini_en mini_de mini_acted_de"
mini_sim_opts="--utts-per-speaker 12 --unlab-per-speaker 0"
mini_train_args="train.epochs=15"
mini_trials=3
help_message=$(sed -n '2,17p' "$0")
pass_options=()
. ./path.sh
. utils/parse_options.sh
. utils/mini_roots.sh

case $task in
  arousal|valence) task_args="task.label_map=category_to_binary task.label_args='{dimension: $task}'" ;;
  emo4) task_args="task.label_map=category_to_class task.label_args='{}'" ;;
  *) echo "$0: --task must be arousal, valence or emo4, not '$task'" >&2; exit 1 ;;
esac
for m in $methods; do
  [ -f "conf/$m.yaml" ] || { echo "$0: no conf/$m.yaml for method '$m' (have: $(cd conf && ls -- *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))" >&2; exit 1; }
done
specs=; names=
if $mini; then
  # shellcheck disable=SC2086
  mini_roots CROSS $mini_corpora
  for name in $mini_corpora; do specs="$specs synth:$name"; names="$names $name"; done
  sim=(--simulate true --sim-opts "$mini_sim_opts")
  shared="$mini_train_args $overrides"; exp_tag=mini_$task; trials=$mini_trials
else
  for c in $corpora; do
    [[ $c == *:* ]] && specs="$specs $c" || specs="$specs $c:$c"
    names="$names ${c#*:}"
  done
  sim=(); shared=$overrides; exp_tag=$task
fi
names=${names# }
# what the hooks in local/ read
export names methods grid task_args trials shared exp_tag

./serda.sh --corpora "${specs# }" "${sim[@]}" --feat "$feat" --nj 2 --norm-fit-splits all \
  "${pass_options[@]}"
