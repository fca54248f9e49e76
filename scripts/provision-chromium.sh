#!/usr/bin/env bash
# Headless Chromium for the browser end-to-end test (test/e2e/browser.e2e.test.ts), from Debian's
# packages: playwright-core drives it and downloads no browser of its own.
#
#   bash scripts/provision-chromium.sh           # installs chromium when missing, prints CHROMIUM=<path>
#   bash scripts/provision-chromium.sh --check   # only reports; exit 1 when missing
#
# Idempotent: an executable that answers --version is a no-op. Otherwise (Debian/Ubuntu, as root):
# apt-get update + apt-get install -y --no-install-recommends chromium fonts-liberation, every
# step under `timeout`, serialized with flock. MLC_E2E_CHROMIUM points at another binary.
set -euo pipefail

CHROMIUM="${MLC_E2E_CHROMIUM:-/usr/bin/chromium}"
PACKAGES=(chromium fonts-liberation)   # fonts are only a Recommends of chromium; without any, text renders as boxes
LOCK="${TMPDIR:-/tmp}/mlc-provision-chromium.lock"

say() { printf '[provision-chromium] %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

# The Debian wrapper script prints a harmless shell warning on stderr; only the exit code matters.
works() { [ -x "$CHROMIUM" ] && timeout 30 "$CHROMIUM" --headless --no-sandbox --version >/dev/null 2>&1; }

report() {
	local version
	version="$(timeout 30 "$CHROMIUM" --headless --no-sandbox --version 2>/dev/null || true)"
	say "ready: $CHROMIUM ($version)"
	echo "CHROMIUM=$CHROMIUM"
}

if works; then
	report
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	say "missing: $CHROMIUM (run: bash scripts/provision-chromium.sh)"
	exit 1
fi
if [ -n "${MLC_E2E_CHROMIUM:-}" ]; then
	fail "MLC_E2E_CHROMIUM=$MLC_E2E_CHROMIUM is not a working Chromium; unset it to install Debian's package"
fi
command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and apt-get is not available: install Chromium by hand and set MLC_E2E_CHROMIUM=<path>"
[ "$(id -u)" = "0" ] || fail "$CHROMIUM is missing and installing it needs root: run 'sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}' (or this script as root)"

exec 9>"$LOCK"
flock -w 900 9 || fail "timed out waiting for another provisioning run ($LOCK)"
if works; then   # another run finished it while we waited
	report
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
started=$SECONDS
say "installing ${PACKAGES[*]} with apt-get"
# DPkg::Lock::Timeout: wait (bounded) for another apt/dpkg instead of failing at once.
timeout 300 apt-get -o DPkg::Lock::Timeout=120 update -qq \
	|| fail "apt-get update failed or timed out (300 s)"
timeout 900 apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2 \
	|| fail "apt-get install ${PACKAGES[*]} failed or timed out (900 s)"
works || fail "installed ${PACKAGES[*]}, but $CHROMIUM --version does not answer"
say "installed in $((SECONDS - started)) s"
report
