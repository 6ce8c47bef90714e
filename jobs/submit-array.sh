#!/bin/bash
# Submits a study as a job array of N parts and a merge job that runs when all succeed.
#   jobs/submit-array.sh STUDY.yaml OUTDIR N [extra sbatch options...]
# Prints the two job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
study=${1:?usage: submit-array.sh STUDY.yaml OUTDIR N [sbatch options]}
out=${2:?output directory}
n=${3:?number of parts}
shift 3
array=$(sbatch --parsable --array=1-"$n" "$@" "$here/evsweep-array.sbatch" "$study" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$@" "$here/merge.sbatch" "$out")
echo "array job $array ($n parts), merge job $merge (after all parts succeed)"
echo "$array $merge"
