#!/usr/bin/env bash
# Configure and build evsweep (Release) into ${BUILD_DIR:-build}. Used by the two top-level
# commands; plain CMake works too:  cmake -S . -B build && cmake --build build -j
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
