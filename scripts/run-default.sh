#!/usr/bin/env bash
# Command (1) of the README: install what is needed, build, and run the default study
# (configs/default.yaml: 1,792 coupled scenarios) on every local core, then write its report.
#   sudo scripts/run-default.sh            results in results/default/ (results.h5, report/)
# Environment: NP (ranks, default: all cores), OUT (results directory).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Open MPI refuses to run as root without these (docs/building.md, trap 3).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
scripts/build.sh
bin=$(pwd)/${BUILD_DIR:-build}/evsweep
np=${NP:-$(nproc)}
out=${OUT:-results/default}
"$bin" validate configs/default.yaml
# Results of an earlier version of the study (another config hash) cannot be resumed:
# keep them under a dated name and start afresh.
if [ -f "$out/results.h5" ] && ! "$bin" plan configs/default.yaml -o "$out" >/dev/null 2>&1; then
  old="$out.$(date +%Y%m%d-%H%M%S)"
  mv "$out" "$old"
  echo "run-default: $out held results of an earlier version of configs/default.yaml; kept as $old"
fi
start=$(date +%s)
# --resume: a second call continues (or, when complete, just re-merges) instead of failing.
mpirun -np "$np" "$bin" --log-level warn run configs/default.yaml -o "$out" --resume
(cd postprocess && /usr/bin/python3 -m evsweep_post report "../$out/results.h5" -o "../$out/report")
echo "default study: $(( $(date +%s) - start )) s for the sweep and the report; figures in $out/report/"
