# How the heavy stages run. Kaldi's interface:
#   $train_cmd JOB=1:N exp/x/log/name.JOB.log <command with JOB>
#
# backend  what runs the jobs
# local    parallel processes on this machine (utils/run.py), the default
#
# Choose with CMD_BACKEND=<backend> ./run.sh ..., or edit the default below.
# To change this for one recipe only, replace that recipe's cmd.sh link with
# a copy of this file.
cmd_backend=${CMD_BACKEND:-local}
case "$cmd_backend" in
  local)
    export train_cmd="utils/run.py"
    export decode_cmd="utils/run.py"
    export cuda_cmd="utils/run.py --gpu 1"
    ;;
  *)
    echo "cmd.sh: unknown CMD_BACKEND '$cmd_backend' (available: local)" >&2
    exit 1 ;;
esac
