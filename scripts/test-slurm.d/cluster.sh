# A one-node Slurm cluster on localhost for scripts/test-slurm (sourced; uses $sudo, pids, say).
# Its own ports, state and config under WORK; SLURM_CONF points the clients at it.

start_cluster() {
  local w="$1" node
  mkdir -p "$w/state" "$w/spool" "$w/shared"
  node=$(slurmd -C | head -1)
  cat > "$w/slurm.conf" <<CONF
ClusterName=indexer-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$w/state
SlurmdSpoolDir=$w/spool
SlurmctldPidFile=$w/slurmctld.pid
SlurmdPidFile=$w/slurmd.pid
SlurmctldLogFile=$w/slurmctld.log
SlurmdLogFile=$w/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$w/slurm.conf"
  if ! pgrep -x munged >/dev/null; then
    $sudo mkdir -p /run/munge && $sudo chown munge:munge /run/munge
    [ -f /etc/munge/munge.key ] || $sudo -u munge /usr/sbin/mungekey --create
    $sudo runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
    local k; for k in $(seq 1 20); do [ -s /run/munge/munged.pid ] && break; sleep 0.2; done
    pids+=("$(cat /run/munge/munged.pid)")
  fi
  $sudo env SLURM_CONF="$w/slurm.conf" slurmctld -f "$w/slurm.conf"
  $sudo env SLURM_CONF="$w/slurm.conf" slurmd -f "$w/slurm.conf"
  local i
  for i in $(seq 1 60); do [ -s "$w/slurmctld.pid" ] && [ -s "$w/slurmd.pid" ] && break; sleep 0.5; done
  pids+=("$(cat "$w/slurmd.pid")" "$(cat "$w/slurmctld.pid")")
  for i in $(seq 1 60); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 1; done
  sinfo -h -o %T | grep -qE '^idle' || { cat "$w/slurmctld.log" "$w/slurmd.log" >&2; echo "test-slurm: the node did not come up" >&2; return 1; }
  say "cluster up: $(sinfo -h -o '%N %c CPUs %m MB %T')"
}

# The state of job (or array task) ID.
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }

# Waits until job ID has left the queue (30 min at most).
wait_job() {
  local i s
  for i in $(seq 1 1800); do
    s=$(job_state "$1")
    case "$s" in PENDING|RUNNING|CONFIGURING|COMPLETING|"") sleep 1 ;; *) return 0 ;; esac
  done
  echo "test-slurm: job $1 still $s after 30 min" >&2; return 1
}

expect_state() {
  local s; s=$(job_state "$1")
  if [ "$s" != "$2" ]; then
    echo "test-slurm: job $1 is $s, expected $2; logs:" >&2
    tail -n 30 "$LOGS"/*.log >&2 || true
    scontrol show job "$1" >&2 || true
    return 1
  fi
}
