#!/usr/bin/env bash
# Sets up, builds, and runs the main job: the standard 10k-card model. Extra arguments go to
# `leasecalc run` (e.g. --format json, --monthly).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build" >/dev/null
exec "$root/build/apps/leasecalc" run "$root/models/guosen-2025-standard-10k.yaml" "$@"
