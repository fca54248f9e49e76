#!/usr/bin/env bash
# The README's test command (`npm test`): sets up a fresh clone and runs every test —
# lint (as n8n's scanner does), unit, sandbox and in-process workflow tests, the timing
# acceptance, the package contents, and the end-to-end tests in a real n8n 2.41.1.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }
started=$SECONDS

# --ignore-scripts: n8n-workflow pulls isolated-vm, whose native build fails on Node 20 (the
# in-process engine never loads it), and a lint plugin's preinstall insists on pnpm.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	step "Installing dev dependencies"
	npm ci --ignore-scripts --no-audit --no-fund
fi

step "Build (tsc + assets) and test tools"
npm run build
npm run build:tools

step "Lint: shipped code with the community-package rules (inline disables ignored), dist, tests"
npm run lint

step "Type-check tests"
npm run typecheck:tests

step "Unit, sandbox and workflow tests (n8n-core WorkflowExecute)"
npx jest

step "Timing acceptance (run alone)"
npx jest -c jest.perf.config.js

step "Package contents (npm pack)"
node scripts/check-pack.js

step "End-to-end in a real n8n 2.41.1 (and its editor in headless Chromium)"
bash scripts/provision-n8n.sh
bash scripts/provision-chromium.sh
MLC_E2E_SKIP_BUILD=1 npx jest -c jest.e2e.config.js

printf '\nAll tests passed in %ss.\n' "$((SECONDS - started))"
