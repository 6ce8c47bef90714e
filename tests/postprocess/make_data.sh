#!/bin/bash
# CTest fixture: real results files for the postprocess tests.
# usage: make_data.sh EVSWEEP SOURCE_DIR OUTDIR
set -euo pipefail
evsweep=$1 src=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
for study in small traffic_morris traffic_saltelli traffic_replicates planning_small; do
  "$evsweep" run "$src/tests/data/sweep/$study.yaml" -o "$out/$study" -q
done
"$evsweep" run "$src/tests/kinds/stackelberg_sweep_small.yaml" -o "$out/stackelberg_small" -q
# One scenario with every series (the JSON of a single solve), for the scenario figure.
"$evsweep" solve "$src/tests/data/sweep/small.yaml" --scenario 3 --json > "$out/solve3.json" || true  # 3 if infeasible
