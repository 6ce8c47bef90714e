#!/bin/bash
# A real single-node Slurm: starts munged, slurmctld and slurmd (as root, no systemd),
# submits jobs/evsweep.sbatch and jobs/submit-array.sh (array of 2 parts + merge with
# afterok) on a small study, waits with a timeout, checks both results files are complete
# and identical, and stops the daemons. Skips (exit 77) only where Slurm is not installed.
# usage: slurm_test.sh EVSWEEP STUDY WORKDIR
set -euo pipefail
evsweep=$1 study=$2 work=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps.sh installs slurm-wlm)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: starting slurmctld/slurmd needs root"; exit 77; }

rm -rf "$work" && mkdir -p "$work"/{state,spool,log}
host=$(hostname -s) cpus=$(nproc)
conf=$work/slurm.conf
cat >"$conf" <<CONF
ClusterName=evsweep-test
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf

started=()  # daemons this test started, stopped together at exit
cleanup() {
  [ ${#started[@]} -eq 0 ] && return
  kill "${started[@]}" 2>/dev/null || true
  for _ in $(seq 100); do
    alive=0
    for p in "${started[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "${started[@]}" 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p /run/munge && chown munge:munge /run/munge
if ! pgrep -x munged >/dev/null; then
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
  started+=("$(cat /run/munge/munged.pid)")
fi
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 50); do [ -s "$work/slurmctld.pid" ] && [ -s "$work/slurmd.pid" ] && break; sleep 0.1; done
started+=("$(cat "$work/slurmctld.pid")" "$(cat "$work/slurmd.pid")")
for _ in $(seq 100); do
  timeout 5 sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 0.2
done
timeout 5 sinfo -h -o "%P %T %c" || true
timeout 5 sinfo -h -o %T | grep -q idle || { echo "Slurm did not come up"; cat "$work"/log/*.log; exit 1; }

# Jobs run as root: Open MPI's root flags go in through the environment.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 EVSWEEP=$evsweep
export EVSWEEP_MPIRUN_FLAGS="--oversubscribe"
cd "$work"

wait_job() {  # id timeout_s -> prints the final state
  local id=$1 limit=$2 state
  for _ in $(seq $((limit * 5))); do
    [ -z "$(squeue -h -j "$id" 2>/dev/null)" ] && break
    sleep 0.2
  done
  state=$(scontrol show job "$id" 2>/dev/null | sed -nE 's/.*JobState=([A-Z_]+).*/\1/p' | head -1)
  echo "${state:-UNKNOWN}"
}

echo "== one MPI job (jobs/evsweep.sbatch, 2 tasks)"
single=$(sbatch --parsable --ntasks=2 --time=00:10:00 "$src/jobs/evsweep.sbatch" "$study" "$work/single")
state=$(wait_job "$single" 300)
echo "job $single: $state"; cat "$work"/evsweep-"$single".log
[ "$state" = COMPLETED ] || exit 1

echo "== job array of 2 parts + merge after them (jobs/submit-array.sh)"
ids=$("$src/jobs/submit-array.sh" "$study" "$work/array" 2 --ntasks=1 --time=00:10:00 | tail -1)
array=${ids% *} merge=${ids#* }
state=$(wait_job "$merge" 400)
echo "merge job $merge: $state"
cat "$work"/evsweep-"$array"_*.log "$work"/evsweep-merge-"$merge".log
[ "$state" = COMPLETED ] || exit 1

echo "== results"
"$evsweep" merge "$work/single" | tail -1
(cd "$src/postprocess" && /usr/bin/python3 -m evsweep_post compare "$work/single/results.h5" "$work/array/results.h5")
/usr/bin/python3 - "$work/array/results.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    state = f.attrs["state"].decode()
    n = int(f.attrs["scenarios"])
    assert state == "complete", state
    assert n == len(f["scenarios/id"]), n
    print(f"array results: {state}, {n} scenarios")
PY
echo "slurm test: all checks passed"
