#!/bin/bash
# The sweep engine with real MPI ranks and real files, on a 12-scenario study:
#  1. results at 1 and 2 ranks are identical, bit for bit (timings aside);
#  2. crash safety: a 2-rank run is killed with SIGKILL mid-way; 'evsweep run --resume'
#     solves exactly the scenarios that are missing, and results.h5 equals the uninterrupted one;
#  3. --part 1/2 and 2/2 as separate jobs, then 'evsweep merge', give the same file too;
#  4. 'evsweep dispatch --scenario K' solves scenario K of the sweep: the same metrics.
# usage: sweep_mpi.sh EVSWEEP MPIEXEC STUDY WORKDIR
set -euo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # CI runs as root (docs/building.md, trap 3)
evsweep=$1 mpiexec=$2 study=$3 work=$4
post() { (cd "$(dirname "$0")/../../postprocess" && /usr/bin/python3 -m evsweep_post "$@"); }
rm -rf "$work" && mkdir -p "$work"

echo "== uninterrupted reference runs, 2 ranks and 1 rank"
$mpiexec -np 2 "$evsweep" run "$study" -o "$work/ref" -q
$mpiexec -np 1 "$evsweep" run "$study" -o "$work/one" -q
post compare "$work/ref/results.h5" "$work/one/results.h5"

echo "== run to be killed"
$mpiexec -np 2 "$evsweep" --log-level debug run "$study" -o "$work/cut" -q 2>"$work/cut.log" &
job=$!
# Scenarios take ~0.1 s each: poll often and kill after the first two, well before all 12.
for _ in $(seq 3000); do
  finished=$(grep -cE "scenario [0-9]+ (ok|: )" "$work/cut.log" || true)
  [ "$finished" -ge 2 ] && break
  kill -0 $job 2>/dev/null || { echo "the run ended before it could be killed"; cat "$work/cut.log"; exit 1; }
  sleep 0.02
done
# SIGKILL for mpirun and both ranks at once (Open MPI puts ranks in their own process
# groups, so a group kill of mpirun would leave them running).
pkill -KILL -f -- "-o $work/cut" || true
wait $job 2>/dev/null || true
for _ in $(seq 100); do pgrep -f -- "-o $work/cut" >/dev/null || break; sleep 0.05; done
echo "killed after $finished finished scenarios"
[ -e "$work/cut/results.h5" ] || { echo "no plan was written before the solves"; exit 1; }

echo "== what the part files kept"
merged=$("$evsweep" merge "$work/cut" || true)
echo "$merged"
missing=$(echo "$merged" | sed -nE 's/.* ([0-9]+) missing$/\1/p')
[ -n "$missing" ] && [ "$missing" -gt 0 ] && [ "$missing" -lt 12 ] || { echo "expected some scenarios missing"; exit 1; }

echo "== resume"
out=$($mpiexec -np 2 "$evsweep" run "$study" -o "$work/cut" --resume -q)
echo "$out"
solved=$(echo "$out" | sed -nE 's/^solved ([0-9]+) of ([0-9]+) scenarios to do.*/\1 \2/p')
[ "$solved" = "$missing $missing" ] || { echo "resume solved '$solved', expected the $missing missing"; exit 1; }

echo "== compare with the reference"
post compare "$work/ref/results.h5" "$work/cut/results.h5"

echo "== two parts as separate jobs, then merge"
$mpiexec -np 1 "$evsweep" run "$study" -o "$work/parts" --part 1/2 -q
set +e
"$evsweep" merge "$work/parts"
code=$?
set -e
[ $code -eq 4 ] || { echo "merge of half the parts should exit 4 (incomplete), got $code"; exit 1; }
$mpiexec -np 2 "$evsweep" run "$study" -o "$work/parts" --part 2/2 -q
"$evsweep" merge "$work/parts"
post compare "$work/ref/results.h5" "$work/parts/results.h5"
echo "== one scenario of the sweep on its own"
"$evsweep" dispatch "$study" --scenario 7 --json > "$work/k7.json" || true  # exit 3 if infeasible
/usr/bin/python3 - "$work/ref/results.h5" "$work/k7.json" <<'PY'
import json, sys, h5py
f, j = h5py.File(sys.argv[1], "r"), json.load(open(sys.argv[2]))
row = list(f["scenarios/id"][:]).index(7)
for name in ("cost", "objective", "tstt", "vmin_pu", "loss_mwh", "dispatch_iterations"):
    stored = float(f["scenarios/" + name][row])
    assert stored == j[name], f"scenario 7 {name}: sweep {stored!r} vs dispatch --scenario {j[name]!r}"
print("dispatch --scenario 7 equals the sweep's scenario 7")
PY
echo "sweep_mpi: all checks passed"
