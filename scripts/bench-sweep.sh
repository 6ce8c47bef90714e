#!/usr/bin/env bash
# Sweep-engine benchmarks for BENCHMARKS.md (issue 5), all measured in the same run:
#  1. the default study's physics (480 scenarios, Sobol) at 1 and 2 ranks: scenarios/s,
#     parallel efficiency rate(2) / (2 rate(1)), time outside the scenarios;
#  2. 10,000 traffic-only scenarios (sub-millisecond work, so engine costs show) at 2 ranks:
#     engine overhead and resident memory early vs at the end (flat = no growth per scenario).
# usage: scripts/bench-sweep.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/${1:-build}/evsweep
work=$(pwd)/${1:-build}/bench-sweep
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rm -rf "$work" && mkdir -p "$work"
data=$(pwd)/data
sed -e "s#\.\./data/#$data/#" -e 's/  design: saltelli/  design: sobol/' -e 's/^  scenarios: [0-9]*$/  scenarios: 480/' \
    -e 's/  series: \[head_load, station_load, bus_voltage\].*/  series: []/' configs/default.yaml > "$work/default480.yaml"
sed -e "s#\.\./\.\./\.\./data/#$data/#" -e 's/  design: saltelli/  design: monte_carlo/' \
    -e 's/  scenarios: 64/  scenarios: 10000/' tests/data/sweep/traffic_saltelli.yaml > "$work/traffic10k.yaml"
rate() { sed -nE 's/.* ([0-9.]+) scenarios\/s.*/\1/p'; }
outside() { sed -nE 's/.*time outside the scenarios ([0-9.]+) %.*/\1/p'; }
echo "== default study physics, 480 scenarios"
one=$(mpirun -np 1 "$bin" run "$work/default480.yaml" -o "$work/d1" -q)
two=$(mpirun -np 2 "$bin" run "$work/default480.yaml" -o "$work/d2" -q)
echo "$one"; echo "$two"
r1=$(echo "$one" | rate) r2=$(echo "$two" | rate)
echo "RESULT default: 1 rank $r1 scenarios/s, 2 ranks $r2 scenarios/s, efficiency $(echo "$r2 / (2 * $r1) * 100" | bc -l | cut -c1-5) %, outside the scenarios at 2 ranks $(echo "$two" | outside) %"
echo "== 10,000 traffic-only scenarios, 2 ranks"
t=$(mpirun -np 2 "$bin" run "$work/traffic10k.yaml" -o "$work/t" -q)
echo "$t"
echo "RESULT traffic10k: $(echo "$t" | rate) scenarios/s, outside the scenarios $(echo "$t" | outside) %, $(echo "$t" | grep '^memory')"
