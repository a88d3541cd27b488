# How the heavy stages run. Kaldi's interface:
#   $train_cmd JOB=1:N exp/x/log/name.JOB.log <command with JOB>
#
# backend  what runs the jobs
# local    parallel processes on this machine (utils/run.py), the default
# slurm    one Slurm array job per call (utils/slurm.py, sbatch --array --wait);
#          site flags (partition, account) in conf/slurm.conf
# sge      one Grid Engine array job per call (utils/sge.py, qsub -t -sync y);
#          site flags in conf/queue.conf -- untested on a real Grid Engine
#
# Choose with CMD_BACKEND=<backend> ./run.sh ..., or edit the default below.
# To change this for one recipe only, replace that recipe's cmd.sh link with
# a copy of this file. $cuda_cmd asks for one GPU; training run through it
# with --device cuda uses the GPU the job got.
cmd_backend=${CMD_BACKEND:-local}
case "$cmd_backend" in
  local)
    export train_cmd="utils/run.py"
    export decode_cmd="utils/run.py"
    export cuda_cmd="utils/run.py --gpu 1"
    ;;
  slurm)
    export train_cmd="utils/slurm.py --mem 2G"
    export decode_cmd="utils/slurm.py --mem 2G"
    export cuda_cmd="utils/slurm.py --mem 8G --gpu 1"
    ;;
  sge)
    export train_cmd="utils/sge.py --mem 2G"
    export decode_cmd="utils/sge.py --mem 2G"
    export cuda_cmd="utils/sge.py --mem 8G --gpu 1"
    ;;
  *)
    echo "cmd.sh: unknown CMD_BACKEND '$cmd_backend' (available: local slurm sge)" >&2
    exit 1 ;;
esac
