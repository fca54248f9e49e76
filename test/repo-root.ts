/**
 * The repository root, found from the calling file whether it runs from source under jest or
 * compiled under .cache/tools.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGE_NAME = 'n8n-nodes-ml-connector';

export function findRepoRoot(start: string): string {
	let dir = start;
	for (;;) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest)) {
			try {
				if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
			} catch {
				// not ours; keep walking
			}
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} repository above ${start}`);
		dir = parent;
	}
}

export const REPO_ROOT = findRepoRoot(__dirname);
