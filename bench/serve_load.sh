#!/usr/bin/env bash
# The pricing service under load, on loopback only (about 75 seconds): starts `leasecalc serve` on a
# free port and runs wrk (Debian package `wrk`, scripts/setup.sh --bench) against /v1/quote on the
# standard 10k-card model (the same quote again and again, which the service answers from the
# quotes it keeps, then a new price on every request, each computed), /v1/run (exact, the whole
# model posted) and /v1/batch (10 quotes), then prints requests a second and the p50 and p99
# latencies of each.
# Usage: bench/serve_load.sh [BUILD_DIR] [SECONDS_PER_ENDPOINT (default 15)]
# The figures are the machine's: other work on it (builds) lowers them; `uptime` is printed first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
seconds=${2:-15}
exe="$build/apps/leasecalc"
command -v wrk >/dev/null || { echo "serve_load.sh: wrk is missing (scripts/setup.sh --bench installs it)" >&2; exit 2; }
[ -x "$exe" ] || { echo "serve_load.sh: $exe is missing (cmake --build $build --target leasecalc-cli)" >&2; exit 2; }

threads=$(nproc)
out=$(mktemp)
"$exe" serve --port 0 --threads "$threads" >"$out" 2>/dev/null &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out")
[ -n "$port" ] || { echo "serve_load.sh: the server did not start" >&2; exit 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; server threads: $threads"
printf '%-34s %12s %10s %10s\n' endpoint requests/s p50 p99
measure() {  # NAME PATH SCRIPT CONNECTIONS
  local report
  # One wrk thread drives the connections: wrk shares the server's two cores, and one thread of it
  # takes less of them a request than two (some 15 to 17 µs of CPU against 22 on new quotes).
  report=$(LEASECALC_MODEL="$root/models/guosen-2025-standard-10k.yaml" \
    wrk -t1 -c"$4" -d"${seconds}s" --latency -s "$root/bench/serve/$3" "http://127.0.0.1:$port$2")
  if echo "$report" | grep -q "Non-2xx"; then echo "serve_load.sh: $1 answered errors:" >&2; echo "$report" >&2; exit 1; fi
  printf '%-34s %12s %10s %10s\n' "$1" "$(echo "$report" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$report" | awk '$1 == "50%" {print $2}')" "$(echo "$report" | awk '$1 == "99%" {print $2}')"
}
# Two connections a server thread keep both threads busy; more only queue requests (the same rate,
# a longer wait): the new quotes are measured at 8 connections too, to show it.
measure "POST /v1/quote (fast)" /v1/quote quote.lua 4
measure "POST /v1/quote (fast, each new)" /v1/quote quote_distinct.lua 4
measure "POST /v1/quote (each new, 8 conn.)" /v1/quote quote_distinct.lua 8
measure "POST /v1/run (exact, whole model)" /v1/run run.lua 4
measure "POST /v1/batch (10 quotes)" /v1/batch batch.lua 4
