#!/usr/bin/env bash
# Regenerates the JSON form of the standard 10k-card model (python3-yaml): the same deal as
# models/guosen-2025-standard-10k.yaml, to test that a JSON model reads through the one loader.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 - "$here/../../../models/guosen-2025-standard-10k.yaml" "$here/guosen-2025-standard-10k.json" <<'PY'
import datetime, json, sys, yaml
def plain(value):
    if isinstance(value, dict): return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list): return [plain(item) for item in value]
    if isinstance(value, datetime.date): return value.isoformat()
    return value
json.dump(plain(yaml.safe_load(open(sys.argv[1]))), open(sys.argv[2], "w"), indent=2)
PY
