#!/usr/bin/env bash
# Command (1) of the README: install what is needed, build, and run the default study.
#   sudo scripts/run-default.sh
# Until the sweep engine lands (issue 5) this validates configs/default.yaml, solves its base
# scenario end to end (traffic day -> station loads -> dispatch -> AC check) and runs the AC
# power flow of its feeder (IEEE 33-bus, case33bw) with both methods.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
scripts/build.sh
bin=${BUILD_DIR:-build}/evsweep
"$bin" validate configs/default.yaml
"$bin" dispatch configs/default.yaml
"$bin" pf data/grid/case33bw.m --method newton
"$bin" pf data/grid/case33bw.m --method sweep
