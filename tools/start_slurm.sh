#!/usr/bin/env bash
# Start a single-node Slurm on this machine (for serda's tests and for trying
# the slurm backend): installs slurm-wlm and munge (Debian packages) when
# missing, writes a munge key and a localhost /etc/slurm/slurm.conf (one node
# with this machine's CPUs and memory, one partition 'serda'), starts munged,
# slurmctld and slurmd, and waits until `sinfo` shows the node idle.
#
# Idempotent: when the node is already up it only says so. Daemons it started
# are listed in /run/serda-slurm.started; tools/stop_slurm.sh stops exactly
# those and nothing else. Must run as root.
set -euo pipefail

state=/run/serda-slurm.started
conf=/etc/slurm/slurm.conf
marker="# written by serda tools/start_slurm.sh"

log() { echo "start_slurm: $*"; }
[ "$(id -u)" -eq 0 ] || { log "run as root (it installs packages and starts daemons)"; exit 1; }

if command -v sinfo >/dev/null && timeout 10 sinfo -h -o %t 2>/dev/null | grep -qx idle; then
  log "Slurm is up: $(sinfo -h -o '%P %D %t %c' | head -1)"; exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# munge: a key readable by the munge user only
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
touch "$state"
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  echo munged >> "$state"
  log "started munged"
fi

# slurm.conf for this one machine
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  log "$conf exists and was not written by serda; not touching it"; exit 1
fi
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > "$conf" <<CONF
$marker
ClusterName=serda
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1024
MaxArraySize=10001
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.txt
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=serda Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

if ! pgrep -x slurmctld >/dev/null; then
  slurmctld
  echo slurmctld >> "$state"
  log "started slurmctld"
fi
if ! pgrep -x slurmd >/dev/null; then
  slurmd
  echo slurmd >> "$state"
  log "started slurmd"
fi

for _ in $(seq 60); do
  if timeout 10 sinfo -h -o %t 2>/dev/null | grep -qx idle; then
    log "Slurm is up: $(sinfo -h -o '%P %D %t %c')"; exit 0
  fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 1
done
log "the node did not become idle; see /var/log/slurm/"; sinfo || true; exit 1
