#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang under AddressSanitizer and UndefinedBehaviorSanitizer
# in a build directory of their own, and runs each for a while. Before a release, an hour each:
#   scripts/fuzz.sh 3600
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=600] [TARGET...]   (targets: load_deal units calc irr
# serve; all by default). The corpus a run grows is kept in build-fuzz/corpus/TARGET, seeded from
# fuzz/corpus/TARGET (and models/ for the loader). An input that fails is saved under
# build-fuzz/crashes/TARGET/ and the script exits 1: turn it into a regression test in tests/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load_deal units calc irr serve)
build=${LEASECALC_FUZZ_BUILD_DIR:-"$root/build-fuzz"}
"$root/scripts/setup.sh"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DLEASECALC_FUZZ=ON -DLEASECALC_BUILD_TESTS=OFF \
  -DLEASECALC_BUILD_APPS=OFF -DLEASECALC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]/%/_fuzzer}"

status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target/"
  log="$build/$target.log"
  mkdir -p "$corpus" "$crashes"
  seeds=("$root/fuzz/corpus/$target")
  [ "$target" != load_deal ] || seeds+=("$root/models")
  echo "== fuzzing $target for ${seconds}s"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build/fuzz/${target}_fuzzer" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=30 \
      -rss_limit_mb=2048 -artifact_prefix="$crashes" -print_final_stats=1 >"$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added" "$log" | tr '\n' ' '
    echo
  else
    echo "fuzz.sh: $target failed; the input is in $crashes, the log in $log:" >&2
    tail -n 40 "$log" >&2
    status=1
  fi
done
exit $status
