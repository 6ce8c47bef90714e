#!/usr/bin/env bash
# Regenerates the tables generated from the declarations: the option table in
# docs/config-reference.md (after "## All options") and the metric list in
# docs/results-schema.md (after "## Metrics" and its note).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/evsweep}
head=$(sed -n '1,/^## All options$/p' docs/config-reference.md)
{ printf '%s\n\n' "$head"; "$bin" options --markdown; } > docs/config-reference.md.new
mv docs/config-reference.md.new docs/config-reference.md
head=$(sed -n '1,/^<!-- generated below/p' docs/results-schema.md)
{ printf '%s\n\n' "$head"; "$bin" metrics --markdown; } > docs/results-schema.md.new
mv docs/results-schema.md.new docs/results-schema.md
echo "docs/config-reference.md and docs/results-schema.md updated"
