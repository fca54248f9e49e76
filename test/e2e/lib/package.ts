/**
 * Our package as a user gets it: `npm pack` of the repository (only what `files` ships), installed
 * the way n8n 2.41 installs a community package (modules/community-packages: `npm pack`, `tar -xzf
 * … --strip-components=1` into <user folder>/.n8n/nodes/node_modules/<name>, dev/peer/optional
 * dependencies dropped from its package.json, then `npm install --ignore-scripts` inside it). A file
 * missing from the tarball therefore fails here exactly as it would for a user.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PACKAGE_NAME, REPO_ROOT } from './paths';
import { run } from './processes';

export interface PackedPackage {
	tarball: string;
	files: string[];
	/** Removes the tarball's temporary folder. */
	dispose(): void;
}

/** A clean npm environment: no npm_* variables inherited from an `npm run` around us. */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key)) continue;
		env[key] = value;
	}
	return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

/** Packs the repository (dist/ must be built). */
export async function packRepository(timeoutMs = 120_000): Promise<PackedPackage> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run "npm run build" first');
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-pack-'));
	const result = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], {
		cwd: REPO_ROOT,
		env: npmEnv(),
		timeoutMs,
	});
	if (result.code !== 0) {
		fs.rmSync(folder, { recursive: true, force: true });
		throw new Error(`npm pack failed (${result.code ?? result.signal}): ${result.stderr}`);
	}
	const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const tarball = path.join(folder, report[0].filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${tarball}, which does not exist`);
	return {
		tarball,
		files: report[0].files.map((file) => file.path),
		dispose: () => fs.rmSync(folder, { recursive: true, force: true }),
	};
}

/** The folder n8n loads community packages from. */
export function communityNodesFolder(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes');
}

/** Installs a packed tarball into an n8n user folder as n8n's community-package installer does. */
export async function installTarball(tarball: string, userFolder: string, timeoutMs = 120_000): Promise<string> {
	const nodesFolder = communityNodesFolder(userFolder);
	const target = path.join(nodesFolder, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	const untar = await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { timeoutMs });
	if (untar.code !== 0) throw new Error(`tar -xzf ${tarball} failed: ${untar.stderr}`);

	const manifestPath = path.join(target, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

	const install = await run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: target, env: npmEnv(), timeoutMs },
	);
	if (install.code !== 0) throw new Error(`npm install in ${target} failed: ${install.stderr}`);

	return target;
}
