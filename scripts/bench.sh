#!/usr/bin/env bash
# Builds and runs the benchmarks (leasecalc next to QuantLib). Usage: scripts/bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build-bench"}
"$root/scripts/setup.sh" --bench
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEASECALC_BUILD_BENCH=ON \
  -DLEASECALC_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target leasecalc-bench --parallel "$(nproc)"
"$build/bench/leasecalc-bench" "${@:2}"
