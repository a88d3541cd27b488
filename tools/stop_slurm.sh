#!/usr/bin/env bash
# Stop the Slurm daemons that tools/start_slurm.sh started (and only those).
set -euo pipefail
state=/run/serda-slurm.started
[ -f "$state" ] || { echo "stop_slurm: nothing was started by tools/start_slurm.sh"; exit 0; }
for daemon in $(tac "$state"); do
  case $daemon in
    slurmd|slurmctld) pkill -x "$daemon" || true ;;
    munged) pkill -x munged || true ;;
  esac
  echo "stop_slurm: stopped $daemon"
done
rm -f "$state"
for _ in $(seq 20); do pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || break; sleep 0.5; done
