// Before the end-to-end suite: build what it packs and spawns (dist/ and .cache/tools), then make
// sure n8n is provisioned (scripts/provision-n8n.sh is idempotent: a no-op once done), and Chromium
// for the browser test (scripts/provision-chromium.sh, likewise). Every step is bounded; a failure
// stops the suite with the step's output (Chromium's only fails the browser test).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

function step(title, command, args, timeoutMs) {
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.error || result.status !== 0) {
		const reason = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
		throw new Error(`e2e setup: ${title} failed after ${seconds}s (${reason})\n${result.stdout}\n${result.stderr}`);
	}
	process.stderr.write(`[e2e setup] ${title}: ${seconds}s\n`);
	return result;
}

module.exports = async () => {
	if (process.env.MLC_E2E_SKIP_BUILD !== '1') {
		step('npm run build', 'npm', ['run', 'build'], 300_000);
		step('npm run build:tools', 'npm', ['run', 'build:tools'], 300_000);
	}
	// The provisioner has its own per-step timeouts; this is the outer bound (a cold install is ~4–8 min).
	const provision = step('provision n8n', 'bash', [path.join(root, 'scripts', 'provision-n8n.sh')], 60 * 60_000);
	const cache = /MLC_E2E_CACHE=(.*)/.exec(provision.stdout);
	if (cache) process.env.MLC_E2E_CACHE = cache[1].trim();
	// Headless Chromium for browser.e2e.test.ts (a no-op when present; apt-get as root otherwise).
	// Not fatal here: only the browser test needs it, and it reports this error when it runs.
	try {
		const chromium = step('provision chromium', 'bash', [path.join(root, 'scripts', 'provision-chromium.sh')], 20 * 60_000);
		const found = /CHROMIUM=(.*)/.exec(chromium.stdout);
		if (found) process.env.MLC_E2E_CHROMIUM = found[1].trim();
	} catch (error) {
		process.env.MLC_E2E_CHROMIUM_ERROR = error instanceof Error ? error.message : String(error);
		process.stderr.write(`[e2e setup] ${process.env.MLC_E2E_CHROMIUM_ERROR}\n`);
	}
};
