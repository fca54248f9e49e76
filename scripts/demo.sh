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

step() { # title timeout-seconds command...
	local title="$1" limit="$2"
	shift 2
	local t0=$SECONDS
	printf '[demo.sh] %s …\n' "$title"
	if ! timeout -k 10 "$limit" "$@"; then
		printf '[demo.sh] %s failed (or took longer than %ss)\n' "$title" "$limit" >&2
		exit 1
	fi
	printf '[demo.sh] %s: %ss\n' "$title" "$((SECONDS - t0))"
}

if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/gulp ]; then
	step "npm ci --ignore-scripts" 900 npm ci --ignore-scripts --no-audit --no-fund
fi
step "npm run build" 300 npm run build --silent
step "npm run build:tools" 300 npm run build:tools --silent
# The provisioner bounds each of its steps itself; a cold install takes ~4–8 min on 2 cores.
step "provision n8n (first time ~4–8 min, then instant)" 3600 bash scripts/provision-n8n.sh

# The demo handles SIGINT/SIGTERM itself and stops every process it started; exec so Ctrl-C
# reaches it directly.
exec node .cache/tools/scripts/demo.js "$@"
