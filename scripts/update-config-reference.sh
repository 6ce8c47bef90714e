#!/usr/bin/env bash
# Regenerates the option table in docs/config-reference.md from the declarations
# (everything after the "## All options" heading is replaced).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/evsweep}
head=$(sed -n '1,/^## All options$/p' docs/config-reference.md)
{ printf '%s\n\n' "$head"; "$bin" options --markdown; } > docs/config-reference.md.new
mv docs/config-reference.md.new docs/config-reference.md
echo "docs/config-reference.md updated"
