#!/usr/bin/env bash
# Installs leasecalc's build dependencies from Debian packages. Idempotent: installs only what
# is missing. Usage: scripts/setup.sh [--bench] [--golden]
#   --bench   also QuantLib (the peer library the benchmarks compare against)
#   --golden  also LibreOffice Calc and QuantLib (to regenerate golden test values)
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config
          libboost-dev libboost-date-time-dev libeigen3-dev libyaml-cpp-dev
          libgtest-dev libgmock-dev nlohmann-json3-dev
          libxlsxwriter-dev  # the --xlsx workbooks (report/xlsx)
          libgoogle-perftools-dev  # tcmalloc, the programs' allocator
          libreoffice-calc-nogui  # the workbook test recalculates every bundled model's workbook
          python3 python3-jsonschema  # validates the service's answers against docs/openapi.json
          python3-dev pybind11-dev python3-pybind11  # the Python module (python/)
          python3-numpy python3-pytest python3-yaml  # ... its arrays and its tests
          python3-distributed  # examples/dask_sweep.py and its test on a local cluster
          chromium  # renders the deal memo in a test (tests/memo_browser_check.py)
          clang libclang-rt-dev)  # clang and its libFuzzer runtime, for fuzz/ (scripts/fuzz.sh)
for arg in "$@"; do
  case "$arg" in
    --bench)  packages+=(libbenchmark-dev libquantlib0-dev wrk) ;;  # wrk: bench/serve_load.sh
    --golden) packages+=(libquantlib0-dev libreoffice-calc-nogui python3 python3-mpmath) ;;
    *) echo "setup.sh: unknown option '$arg' (expected --bench or --golden)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup.sh: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
