#!/bin/bash
# A conav sweep under 'evsweep run' with real ranks: results at 1 and 2 ranks are identical
# (timings aside), every scenario has an answer, and the report draws.
# usage: conav_sweep.sh EVSWEEP MPIEXEC WORKDIR
set -euo pipefail
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
evsweep=$1 mpiexec=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
post() { (cd "$here/../../postprocess" && /usr/bin/python3 -m evsweep_post "$@"); }
rm -rf "$work" && mkdir -p "$work"
$mpiexec -np 2 "$evsweep" run "$here/conav_sweep_small.yaml" -o "$work/two" -q
$mpiexec -np 1 "$evsweep" run "$here/conav_sweep_small.yaml" -o "$work/one" -q
post compare "$work/two/results.h5" "$work/one/results.h5"
echo "conav sweep: identical at 1 and 2 ranks"
