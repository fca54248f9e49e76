#!/usr/bin/env bash
# npm run demo  — the whole thing on a fresh clone:
#   installs dependencies if missing (npm ci --ignore-scripts), builds the package and the tools,
#   provisions Node 24 + n8n 2.41.1 (once; scripts/provision-n8n.sh), then runs scripts/demo.ts:
#   IFS sandbox + a real n8n with this package installed, templates imported and run,
#   editor open on http://127.0.0.1:5678 until Ctrl-C.
# Arguments are passed to the demo: --no-wait, --port=N, --sandbox-port=N, --keep.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=../scripts/prepare-tools.sh
source scripts/prepare-tools.sh "demo.sh"

# The demo handles SIGINT/SIGTERM itself and stops every process it started; exec so Ctrl-C
# reaches it directly.
exec node .cache/tools/scripts/demo.js "$@"
