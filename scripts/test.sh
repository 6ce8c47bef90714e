#!/usr/bin/env bash
# Command (2) of the README: install what is needed, build, and run the whole test suite.
#   sudo scripts/test.sh            (as root on a fresh Debian 12 machine)
# Extra arguments go to ctest, e.g.  scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Open MPI refuses to run as root without these (docs/building.md, trap 3).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 "$@"
