#!/usr/bin/env bash
# Regenerates daycount_golden.csv from QuantLib C++ (Debian package libquantlib0-dev, version
# 1.29). The tests read the CSV file and never call QuantLib.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -std=c++17 -O2 -o "$work/make_daycount_golden" "$here/make_daycount_golden.cpp" -lQuantLib
"$work/make_daycount_golden" "$here"
