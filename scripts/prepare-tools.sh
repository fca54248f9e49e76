# Sourced by scripts/demo.sh and bench/run.sh (they share this start on a fresh clone):
#   installs dev dependencies if missing (npm ci --ignore-scripts), builds the package and the tools
#   (.cache/tools), provisions Node 24 + n8n 2.41.1 once (scripts/provision-n8n.sh; honours
#   MLC_E2E_CACHE) and exports MLC_E2E_CACHE as the provisioner reports it.
# Progress goes to stderr, so a caller's stdout stays its own. Usage: source … "<label>"
PREPARE_LABEL="${1:-prepare}"

step() { # title timeout-seconds command...
	local title="$1" limit="$2"
	shift 2
	local t0=$SECONDS
	printf '[%s] %s …\n' "$PREPARE_LABEL" "$title" >&2
	if ! timeout -k 10 "$limit" "$@" >&2; then
		printf '[%s] %s failed (or took longer than %ss)\n' "$PREPARE_LABEL" "$title" "$limit" >&2
		exit 1
	fi
	printf '[%s] %s: %ss\n' "$PREPARE_LABEL" "$title" "$((SECONDS - t0))" >&2
}

if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/gulp ]; then
	step "npm ci --ignore-scripts" 900 npm ci --ignore-scripts --no-audit --no-fund
fi
step "npm run build" 300 npm run build --silent
step "npm run build:tools" 300 npm run build:tools --silent
# The provisioner bounds each of its steps itself; a cold install takes ~4–8 min on 2 cores. Its
# last line names the cache it used.
printf '[%s] provision n8n (first time ~4–8 min, then instant) …\n' "$PREPARE_LABEL" >&2
provisioned="$(timeout -k 10 3600 bash scripts/provision-n8n.sh)" || { printf '[%s] provisioning n8n failed\n' "$PREPARE_LABEL" >&2; exit 1; }
MLC_E2E_CACHE="$(printf '%s\n' "$provisioned" | sed -n 's/^MLC_E2E_CACHE=//p' | tail -n 1)"
export MLC_E2E_CACHE
