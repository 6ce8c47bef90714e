#!/bin/bash
# A sweep whose results directory fills up (a 600 KB tmpfs): the run stops cleanly with
# exit 4, says why and what is safe on disk, leaves no half-written file; after space is
# freed, 'evsweep run --resume' completes it, and the results equal an uninterrupted run's.
# Needs root (mount); skipped (77) where a tmpfs cannot be mounted.
# usage: full_disk.sh EVSWEEP MPIEXEC STUDY WORKDIR
set -euo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
evsweep=$1 mpiexec=$2 study=$3 work=$4
post() { (cd "$(dirname "$0")/../../postprocess" && /usr/bin/python3 -m evsweep_post "$@"); }
mnt=$work/small
mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
rm -rf "$work" && mkdir -p "$mnt"
mount -t tmpfs -o size=600k evsweep-test "$mnt" 2>/dev/null || { echo "cannot mount a tmpfs here: skipped"; exit 77; }
trap 'umount "$mnt" 2>/dev/null || true' EXIT

# The 12-scenario study with 120 scenarios (every series kept: ~13 KB a row).
data=$(cd "$(dirname "$study")/../../../data" && pwd)
sed -e "s#\.\./\.\./\.\./data/#$data/#" -e 's/^  scenarios: 12$/  scenarios: 120/' "$study" > "$work/study120.yaml"
grep -q "scenarios: 120" "$work/study120.yaml" || { echo "could not enlarge $study"; exit 1; }

echo "== reference run on an ordinary disk"
$mpiexec -np 2 "$evsweep" run "$work/study120.yaml" -o "$work/ref" -q

echo "== the same run into a directory that fills up"
set +e
$mpiexec -np 2 "$evsweep" run "$work/study120.yaml" -o "$mnt/out" -q >"$work/full.out" 2>"$work/full.err"
code=$?
set -e
cat "$work/full.out" "$work/full.err"
[ $code -eq 4 ] || { echo "a full disk should end the run with exit 4, got $code"; exit 1; }
grep -q "results could not be written" "$work/full.err" || { echo "no reason given"; exit 1; }
grep -q "Safe on disk: [0-9]* attempts" "$work/full.err" || { echo "does not say what is safe"; exit 1; }
grep -q -- "--resume" "$work/full.err" || { echo "does not say how to go on"; exit 1; }
grep -qi "segmentation\|core dumped\|signal" "$work/full.err" && { echo "crashed"; exit 1; }
ls "$mnt/out"/results.h5.tmp.* 2>/dev/null && { echo "a half-written results file was left behind"; exit 1; }
solved=$(sed -nE 's/^solved ([0-9]+) of 120 .*/\1/p' "$work/full.out")
[ -n "$solved" ] && [ "$solved" -lt 120 ] || { echo "expected the run to stop early, solved '$solved'"; exit 1; }

echo "== space freed, resume"
mount -o remount,size=64m "$mnt"
$mpiexec -np 2 "$evsweep" run "$work/study120.yaml" -o "$mnt/out" -q --resume
post compare "$work/ref/results.h5" "$mnt/out/results.h5"
echo "full_disk: all checks passed"
